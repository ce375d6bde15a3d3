"""Delivery reports: the provider says whether each text reached the phone."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from outbox.models import OutboundMessage
from shop.errors import ServiceError

State = OutboundMessage.State

# Twilio's message statuses, and what each means for the outbox row.
DELIVERY_STATES = {
    "sent": State.SENT,
    "delivered": State.DELIVERED,
    "undelivered": State.UNDELIVERED,
    "failed": State.UNDELIVERED,
}
# A report never moves a message backwards (a late "sent" after "delivered").
STATE_RANK = {
    State.QUEUED: 0,
    State.SENDING: 1,
    State.FAILED: 1,  # "failed" by us when a worker died: a report settles it
    State.SENT: 2,
    State.DELIVERED: 3,
    State.UNDELIVERED: 3,
}


@transaction.atomic
def delivery_report_record(
    *,
    provider_message_id: str,
    provider_status: str,
    error_code: str = "",
    message_id: int | None = None,
) -> OutboundMessage | None:
    """Apply a provider's delivery report to its message; None when no message matches."""
    messages = OutboundMessage.objects.select_for_update()
    message = None
    if message_id is not None:
        message = messages.filter(pk=message_id).first()
    if message is None and provider_message_id:
        message = messages.filter(provider_message_id=provider_message_id).first()
    if message is None:
        return None
    state = DELIVERY_STATES.get(provider_status)
    now = timezone.now()
    if provider_message_id and not message.provider_message_id:
        message.provider_message_id = provider_message_id[:100]
        message.sent_at = message.sent_at or now
    if state is not None and STATE_RANK.get(state, 0) > STATE_RANK.get(message.state, 9):
        message.state = state
        if state == State.DELIVERED:
            message.delivered_at = now
            message.last_error = ""
        elif state == State.UNDELIVERED:
            message.failed_at = now
            message.last_error = (
                f"The carrier did not deliver it (error {error_code or 'unknown'})."
            )
        elif state == State.SENT:
            message.last_error = ""
    message.save()
    return message


@transaction.atomic
def delivery_report_accept(
    *,
    provider_message_id: str,
    provider_status: str,
    error_code: str = "",
    message_id: int | None = None,
) -> OutboundMessage | None:
    """A delivery report webhook, accepted once: the same report again is refused."""
    from messaging.services.conversations import webhook_receipt_record

    if not provider_message_id or not provider_status:
        raise ServiceError("A delivery report needs MessageSid and MessageStatus.")
    key = f"twilio:status:{provider_message_id}:{provider_status}"
    if not webhook_receipt_record(key=key):
        raise ServiceError("This delivery report was already received.", code="duplicate")
    return delivery_report_record(
        provider_message_id=provider_message_id,
        provider_status=provider_status,
        error_code=error_code,
        message_id=message_id,
    )
