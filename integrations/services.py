"""Creating, changing and revoking integrations (their tokens)."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import Integration, WebhookSubscription
from integrations.webhook_sources import webhook_event_codes
from integrations.webhooks import event_id_of
from outbox.models import Channel, OutboundMessage
from outbox.services import outbound_message_enqueue
from shop.errors import ServiceError
from shop.models import User

TOKEN_PREFIX = "shop_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check(*, name: str, access: str, security_level: int) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError("Name the outside system this token is for.", field="name")
    if access not in Integration.Access.values:
        raise ServiceError("Choose read only, or read and write.", field="access")
    if security_level not in (1, 2, 3, 4, 5):
        raise ServiceError("The security level is 1 to 5.", field="security_level")
    return name


@transaction.atomic
def integration_create(
    *, by: User, name: str, access: str, security_level: int = 3
) -> tuple[Integration, str]:
    """Make an integration and its token; the token is returned once and never kept."""
    name = _check(name=name, access=access, security_level=security_level)
    if Integration.objects.filter(name__iexact=name).exists():
        raise ServiceError(f"An integration called “{name}” exists already.", field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    user = User(
        username=f"integration-{secrets.token_hex(6)}",
        first_name=name[:150],
        role="",
        security_level=security_level,
        is_active=True,
    )
    user.set_unusable_password()
    user.save()
    try:
        with transaction.atomic():
            integration = Integration.objects.create(
                name=name,
                access=access,
                security_level=security_level,
                token_prefix=token[: len(TOKEN_PREFIX) + 6],
                token_hash=token_hash(token),
                user=user,
                created_by=by,
            )
    except IntegrityError:
        message = f"An integration called “{name}” exists already."
        raise ServiceError(message, field="name") from None
    return integration, token


@transaction.atomic
def integration_update(
    *, by: User, integration: Integration, access: str, security_level: int
) -> Integration:
    _check(name=integration.name, access=access, security_level=security_level)
    if integration.is_revoked:
        raise ServiceError("This token is revoked; make a new one instead.")
    integration.access = access
    integration.security_level = security_level
    integration.save(update_fields=["access", "security_level"])
    User.objects.filter(pk=integration.user_id).update(
        security_level=security_level, updated_at=timezone.now()
    )
    return integration


@transaction.atomic
def integration_revoke(*, by: User, integration: Integration) -> Integration:
    """Stop the token at once (401 from then on). The record and its log stay."""
    if integration.is_revoked:
        return integration
    integration.revoked_at = timezone.now()
    integration.revoked_by = by
    integration.save(update_fields=["revoked_at", "revoked_by"])
    User.objects.filter(pk=integration.user_id).update(is_active=False, updated_at=timezone.now())
    return integration


# --- Webhook subscriptions ---------------------------------------------------------


def _clean_webhook(*, url: str, events: list[str]) -> tuple[str, list[str]]:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ServiceError(f"“{url}” is not a web address.", field="url") from None
    if len(url) > 254:
        raise ServiceError("The web address is too long (254 characters at most).", field="url")
    codes = webhook_event_codes()
    unknown = [code for code in events if code not in codes]
    if unknown:
        raise ServiceError(f"Unknown events: {', '.join(unknown)}.", field="events")
    if not events:
        raise ServiceError("Choose at least one event.", field="events")
    return url, [code for code in codes if code in events]


@transaction.atomic
def webhook_subscription_create(*, by: User, integration: Integration, url: str, events: list[str]):
    if integration.is_revoked:
        raise ServiceError("This token is revoked; make a new one instead.")
    url, events = _clean_webhook(url=url, events=events)
    return WebhookSubscription.objects.create(
        integration=integration,
        url=url,
        events=events,
        secret="whsec_" + secrets.token_urlsafe(32),
    )


@transaction.atomic
def webhook_subscription_update(
    *, by: User, subscription, url: str, events: list[str], is_active: bool
):
    url, events = _clean_webhook(url=url, events=events)
    subscription.url = url
    subscription.events = events
    subscription.is_active = is_active
    subscription.save(update_fields=["url", "events", "is_active"])
    return subscription


@transaction.atomic
def webhook_redeliver(*, by: User, message):
    """Send a delivery again, as a new outbox message with the same event id and body."""
    if message.channel != Channel.WEBHOOK:
        raise ServiceError("Only webhook deliveries can be sent again here.")
    subscription = WebhookSubscription.objects.filter(pk=message.cause_id).first()
    if subscription is None or not subscription.is_active:
        raise ServiceError("This webhook is turned off: turn it on to send again.")
    if subscription.integration.is_revoked:
        raise ServiceError("This integration's token is revoked.")
    return outbound_message_enqueue(
        channel=Channel.WEBHOOK,
        to=subscription.url,
        subject=message.subject,
        body=message.body,
        idempotency_key=f"webhook:{subscription.pk}:{event_id_of(message)}:again:{secrets.token_hex(8)}",
        kind=OutboundMessage.Kind.SYSTEM,
        cause=subscription,
        sent_by=by,
        check_consent=False,
    )
