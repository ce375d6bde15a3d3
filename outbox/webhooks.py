"""Signed webhooks: the outbox's "webhook" transport, one HTTP POST per try.

A webhook is an outbox row like a text: written in the transaction of the change,
claimed, retried with the outbox's backoff, picked up by the relay, its tries in
the delivery log (outbox/services.py). Its `to` is the URL, its `body` the JSON
exactly as it is signed and posted, its `subject` the event code, and its `cause`
the record that holds the secret: an integration's webhook subscription, a fleet
company. Each receiver verifies its own signature format, so the app that owns
that record registers a signer for its model (`register_signer`, from its
AppConfig.ready()):

- integrations: `X-Shop-Signature: v1=<hex>` and its event headers
  (integrations/webhooks.py);
- fleet: `X-Fleet-Signature: sha256=<hex>`, `X-Fleet-Timestamp`,
  `X-Fleet-Company-Id` (fleet/services/webhooks.py).

A signer gets the message, the body's bytes and this try's Unix timestamp and
returns the headers that sign it; it raises PermanentProviderError when the
record is gone or turned off. The POST and how its answer is read are the same
for every receiver: a 2xx is sent; 410 Gone means "no more" (failed, not
retried); anything else, or no answer within the timeouts, is retried.
Receivers may get a webhook twice (at least once: a worker that died mid-post
re-sends it), and drop a repeat by its event id.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Model

from outbox.errors import PermanentProviderError, TransientProviderError
from outbox.models import OutboundMessage
from shop.errors import ServiceError

# Seconds to connect, and to wait for the answer; the worker gives up after that.
TIMEOUT = (3.05, 10)
USER_AGENT = "Shop-Webhooks/1"

Signer = Callable[[OutboundMessage, bytes, int], dict[str, str]]

# By the label of the cause's model ("integrations.webhooksubscription").
_signers: dict[str, Signer] = {}


def register_signer(model: type[Model], sign: Signer) -> None:
    """Sign the webhooks whose cause is a `model` row with `sign`."""
    _signers[model._meta.label_lower] = sign


def webhook_url_clean(to: str) -> str:
    url = (to or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ServiceError(f"“{to}” is not a web address.", field="to") from None
    if len(url) > 254:
        raise ServiceError("The web address is too long (254 characters at most).", field="to")
    return url


def _signer_of(message: OutboundMessage) -> Signer:
    if message.cause_type_id is not None:
        cause_type = ContentType.objects.get_for_id(message.cause_type_id)  # cached
        signer = _signers.get(f"{cause_type.app_label}.{cause_type.model}")
        if signer is not None:
            return signer
    raise PermanentProviderError("Nothing signs this webhook: its sender is not installed.")


def webhook_post(message: OutboundMessage) -> str:
    """POST one webhook, signed now; return "HTTP <status>" or raise for the outbox."""
    body = message.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **_signer_of(message)(message, body, int(time.time())),
    }
    try:
        response = requests.post(
            message.to, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
    except requests.RequestException as error:
        raise TransientProviderError(f"{error.__class__.__name__}: {error}") from error
    if 200 <= response.status_code < 300:
        return f"HTTP {response.status_code}"
    if response.status_code == 410:
        raise PermanentProviderError("The receiver answered 410 Gone: it wants no more.")
    raise TransientProviderError(f"The receiver answered HTTP {response.status_code}.")


def _receivers_drop_repeats(message: OutboundMessage) -> bool:
    return True


def register() -> None:
    """The "webhook" channel (outbox.apps.OutboxConfig.ready)."""
    from outbox import transports
    from outbox.models import Channel

    transports.register(
        Channel.WEBHOOK,
        send=webhook_post,
        clean_recipient=webhook_url_clean,
        drops_duplicates=_receivers_drop_repeats,
    )
