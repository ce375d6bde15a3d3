"""Two-way texting and messages an advisor writes: replies in, STOP and START, answers out."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import Customer, CustomerPhone
from messaging.models import InboundMessage, SmsOptOut, WebhookReceipt
from messaging.phones import phone_to_e164
from messaging.services.outbox import message_enqueue
from outbox.models import Channel, OutboundMessage
from shop.errors import ServiceError
from shop.models import User

logger = logging.getLogger(__name__)

# The carriers' and Twilio's opt-out and opt-in keywords (the whole text, any case).
STOP_KEYWORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"}
START_KEYWORDS = {"start", "unstop"}
# "Yes" opts back in only a number that had opted out; otherwise it is just an answer.
START_IF_OPTED_OUT = {"yes"}


def webhook_receipt_record(*, key: str) -> bool:
    """Accept a provider callback once: False when this exact callback was seen before."""
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


def webhook_receipts_prune(*, older_than: timedelta) -> int:
    """Forget receipts older than the providers' retry window; how many went.

    A receipt only has to outlive the provider's own retries of a callback: Twilio
    retries for hours, so weeks are plenty. A replayed inbound text is refused by its
    message id in any case (InboundMessage.provider_message_id is unique).
    """
    deleted, _ = WebhookReceipt.objects.filter(received_at__lt=timezone.now() - older_than).delete()
    return deleted


def customer_for_phone_find(e164: str) -> Customer | None:
    """The customer a text from this number belongs to.

    A number can be on several customers (a household's shared phone): the one the shop
    last texted at it wins, then the customer whose cell phone it is, then the newest.
    """
    if not e164:
        return None
    last_texted = (
        OutboundMessage.objects.filter(channel=Channel.SMS, to=e164, customer__isnull=False)
        .order_by("-created_at")
        .values_list("customer_id", flat=True)
        .first()
    )
    if last_texted:
        return Customer.objects.get(pk=last_texted)
    phones = CustomerPhone.objects.filter(e164=e164).select_related("customer")
    phone = phones.filter(kind=CustomerPhone.Kind.CELL).order_by("-customer_id").first()
    phone = phone or phones.order_by("-customer_id").first()
    return phone.customer if phone else None


def _keyword(body: str) -> str:
    word = "".join(ch for ch in body.strip().lower() if ch.isalpha())
    if word in STOP_KEYWORDS:
        return "stop"
    if word in START_KEYWORDS:
        return "start"
    if word in START_IF_OPTED_OUT:
        return "start?"
    return ""


@transaction.atomic
def inbound_text_receive(
    *, provider_message_id: str, from_number: str, to_number: str = "", body: str = ""
) -> InboundMessage:
    """Add a text to its customer's conversation; honour STOP and START.

    STOP revokes text consent for every customer with that number and blocks the number
    itself; START restores both. A provider id seen before is refused.
    """
    if not provider_message_id:
        raise ServiceError("A text without its provider id cannot be stored.")
    e164 = phone_to_e164(from_number) or from_number.strip()[:20]
    if InboundMessage.objects.filter(provider_message_id=provider_message_id).exists():
        raise ServiceError("This text was already received.", code="duplicate")
    keyword = _keyword(body)
    now = timezone.now()
    if keyword == "start?":
        keyword = "start" if SmsOptOut.objects.filter(e164=e164).exists() else ""
    customer_ids = list(
        CustomerPhone.objects.filter(e164=e164).values_list("customer_id", flat=True).distinct()
    )
    if keyword == "stop":
        SmsOptOut.objects.get_or_create(e164=e164)
        # Customers' consent fields are written here, not through customers' services:
        # the opt-out must land in the same transaction as the text that asked for it.
        Customer.objects.filter(pk__in=customer_ids, text_consent=True).update(
            text_consent=False, text_consent_at=now
        )
        logger.info("%s texted STOP: texts to it are revoked", e164)
    elif keyword == "start":
        SmsOptOut.objects.filter(e164=e164).delete()
        Customer.objects.filter(pk__in=customer_ids, text_consent=False).update(
            text_consent=True, text_consent_at=now
        )
        logger.info("%s texted START: texts to it are allowed again", e164)
    return InboundMessage.objects.create(
        provider_message_id=provider_message_id[:100],
        from_number=from_number[:40],
        from_e164=e164,
        to_number=to_number[:40],
        body=body,
        customer=customer_for_phone_find(e164),
        keyword=keyword,
    )


def conversation_mark_read(*, customer: Customer, by: User) -> int:
    """The advisor opened the conversation: its replies are no longer unread."""
    return InboundMessage.objects.filter(customer=customer, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=by
    )


def texting_number_get(customer: Customer) -> str:
    """Where a text to this customer goes: the number they last texted from, else a cell."""
    last_inbound = (
        InboundMessage.objects.filter(customer=customer)
        .order_by("-received_at")
        .values_list("from_e164", flat=True)
        .first()
    )
    if last_inbound:
        return last_inbound
    phones = list(customer.phones.all())
    for phone in sorted(phones, key=lambda p: p.kind != CustomerPhone.Kind.CELL):
        e164 = phone.e164 or phone_to_e164(phone.number)
        if e164:
            return e164
    return ""


def email_address_get(customer: Customer) -> str:
    first = customer.emails.first()
    return first.address if first else ""


@transaction.atomic
def customer_message_send(
    *,
    customer: Customer,
    channel: str,
    body: str,
    by: User,
    token: str,
    subject: str = "",
) -> OutboundMessage:
    """An advisor's message to a customer, by text or e-mail.

    `token` comes from the form: the same form sent twice (a double click, a resend after
    a timeout) makes one message.
    """
    if not token or len(token) > 64:
        raise ServiceError("The form has expired; open it again.")
    if channel == Channel.SMS:
        to = texting_number_get(customer)
        if not to:
            raise ServiceError(f"{customer.display_name} has no phone number to text.")
    elif channel == Channel.EMAIL:
        to = email_address_get(customer)
        if not to:
            raise ServiceError(f"{customer.display_name} has no e-mail address.")
    else:
        raise ServiceError("Choose text or e-mail.", field="channel")
    return message_enqueue(
        channel=channel,
        to=to,
        body=body,
        subject=subject,
        customer=customer,
        kind=OutboundMessage.Kind.MANUAL,
        sent_by=by,
        idempotency_key=f"manual:{customer.pk}:{token}",
    )


@transaction.atomic
def message_resend(*, message: OutboundMessage, by: User, token: str) -> OutboundMessage:
    """Send a failed or undelivered message again, as a new message that points at it."""
    if not message.is_final_failure:
        raise ServiceError("Only a message that did not reach the customer is sent again.")
    if not token or len(token) > 64:
        raise ServiceError("The form has expired; open the page again.")
    return message_enqueue(
        channel=message.channel,
        to=message.to,
        subject=message.subject,
        body=message.body,
        customer=message.customer,
        kind=OutboundMessage.Kind.MANUAL,
        cause=message,
        sent_by=by,
        idempotency_key=f"resend:{message.pk}:{token}",
    )
