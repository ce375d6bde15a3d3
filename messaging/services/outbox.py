"""Texts and e-mails to customers, through the shop's one outbox (outbox/).

The outbox (outbox/services.py) writes the row in the caller's transaction,
claims it, retries it, relays it and logs its tries for every channel. What is
particular to customers lives here, as the "sms" and "email" transports that
messaging registers (`register`, from MessagingConfig.ready()):

- the recipient as stored: an E.164 phone number, a checked e-mail address;
- consent, asked when the message is written and again when it is sent: a
  number that texted STOP, a customer who has not agreed to texts or e-mail;
- the providers: the SMS backend (messaging/sms.py), Django's mail backend
  (messaging/emails.py);
- whether a text its worker left "sending" may go again: only where the SMS
  backend drops a second send of the same key; an e-mail never.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef, QuerySet

from customers.models import Customer
from messaging.emails import send_outbound_email
from messaging.models import SmsOptOut
from messaging.phones import phone_to_e164
from messaging.sms import get_sms_backend, sms_backend_drops_duplicates
from outbox import transports
from outbox.models import Channel, OutboundMessage
from outbox.services import outbound_message_enqueue
from shop.errors import ServiceError
from shop.models import User

# --- Consent ------------------------------------------------------------------


def consent_check(
    *, channel: str, to: str, customer: Customer | None, opted_out: bool | None = None
) -> str:
    """Why this contact may not be sent to, or "" when they may. Checked again at send time.

    `opted_out` is whether `to` texted STOP, when the caller already knows.
    """
    if channel == Channel.SMS:
        if opted_out is None:
            opted_out = SmsOptOut.objects.filter(e164=to).exists()
        if opted_out:
            return f"{to} texted STOP: no texts go to this number until it texts START."
        if customer is not None and not customer.text_consent:
            return f"{customer.display_name} has not agreed to receive texts."
    elif channel == Channel.EMAIL and customer is not None and not customer.email_consent:
        return f"{customer.display_name} has not agreed to receive e-mail."
    return ""


# --- Enqueue -------------------------------------------------------------------


def message_enqueue(
    *,
    channel: str,
    to: str,
    body: str,
    idempotency_key: str,
    subject: str = "",
    customer: Customer | None = None,
    kind: str = OutboundMessage.Kind.MANUAL,
    cause=None,
    sent_by: User | None = None,
    check_consent: bool = True,
) -> OutboundMessage:
    """Write a text or an e-mail to the outbox in the caller's transaction.

    It is sent after commit (outbox.services.outbound_message_enqueue). The same
    idempotency key twice returns the first message and sends nothing more. A contact
    without consent is refused with a ServiceError (and checked again at send time, so
    a STOP that arrives meanwhile still wins).
    """
    if channel not in (Channel.SMS, Channel.EMAIL):
        raise ServiceError("Choose text or e-mail.", field="channel")
    return outbound_message_enqueue(
        channel=channel,
        to=to,
        body=body,
        idempotency_key=idempotency_key,
        subject=subject,
        customer=customer,
        kind=kind,
        cause=cause,
        sent_by=sent_by,
        check_consent=check_consent,
    )


# --- The transports ---------------------------------------------------------------


def _phone_clean(to: str) -> str:
    e164 = phone_to_e164(to)
    if not e164:
        raise ServiceError(f"“{to}” is not a phone number a text can go to.", field="to")
    return e164


def _email_clean(to: str) -> str:
    address = (to or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ServiceError(f"“{to}” is not an e-mail address.", field="to") from None
    return address


def _with_opt_out(rows: QuerySet) -> QuerySet:
    return rows.annotate(opted_out=Exists(SmsOptOut.objects.filter(e164=OuterRef("to"))))


def _text_refusal(*, to: str, customer: Customer | None, message=None) -> str:
    opted_out = getattr(message, "opted_out", None) if message is not None else None
    return consent_check(channel=Channel.SMS, to=to, customer=customer, opted_out=opted_out)


def _email_refusal(*, to: str, customer: Customer | None, message=None) -> str:
    return consent_check(channel=Channel.EMAIL, to=to, customer=customer)


def _text_send(message: OutboundMessage) -> str:
    return get_sms_backend().send(
        to=message.to,
        body=message.body,
        idempotency_key=message.idempotency_key,
        message_id=message.pk,
    )


def _text_drops_duplicates(message: OutboundMessage) -> bool:
    return sms_backend_drops_duplicates()


def register() -> None:
    """The "sms" and "email" channels of the outbox (messaging.apps.MessagingConfig.ready)."""
    transports.register(
        Channel.SMS,
        send=_text_send,
        clean_recipient=_phone_clean,
        refusal=_text_refusal,
        annotate=_with_opt_out,
        drops_duplicates=_text_drops_duplicates,
    )
    transports.register(
        Channel.EMAIL,
        send=send_outbound_email,
        clean_recipient=_email_clean,
        refusal=_email_refusal,
        missing_subject_error="An e-mail needs a subject.",
    )
