"""Status updates: a work order entering a status marked "send customer update" tells the customer.

The work orders publish `status_changed` inside the transaction that changed the
status (workorders/events.py), so the messages written here commit or roll back
with the change. Each message's idempotency key names the status-history row
and the channel, so the same event delivered again cannot send a second time.
"""

from __future__ import annotations

import logging

from django.db import transaction

from messaging.services.conversations import email_address_get, texting_number_get
from messaging.services.customer_link import customer_link_url_make
from messaging.services.outbox import consent_check, message_enqueue
from outbox.models import Channel, OutboundMessage
from shop.errors import ServiceError
from shop.selectors import shop_profile_get
from workorders.models import Status, StatusChange, WorkOrder

logger = logging.getLogger(__name__)

DEFAULT_TEMPLATE = "Hi {customer}, an update on your {vehicle} from {shop}: {status}."


def status_message_render(*, template: str, work_order: WorkOrder, status: Status) -> str:
    """Fill the status's template. Unknown braces are left as typed; a link is always given."""
    template = (template or "").strip() or DEFAULT_TEMPLATE
    link = customer_link_url_make(work_order)
    fields = {
        "{customer}": work_order.customer.display_name,
        "{vehicle}": str(work_order.vehicle),
        "{status}": status.name,
        "{shop}": shop_profile_get().name,
        "{link}": link,
    }
    text = template
    for merge_field, value in fields.items():
        text = text.replace(merge_field, value)
    if "{link}" not in template:
        # The link is how the customer sees the estimate and approves: always include it.
        text = f"{text}\n{link}"
    return text


def on_status_changed(sender, *, work_order: WorkOrder, to_status: Status, **kwargs) -> None:
    """Receiver of workorders.events.status_changed."""
    if to_status.send_customer_update:
        status_update_enqueue(work_order=work_order, status=to_status)


@transaction.atomic
def status_update_enqueue(*, work_order: WorkOrder, status: Status) -> list[OutboundMessage]:
    """Queue the status's message to each channel the customer agreed to.

    A channel that cannot be used (no consent, no number, STOP) is skipped; an update is
    never a reason to refuse the status change itself.
    """
    change = (
        StatusChange.objects.filter(work_order=work_order, to_status=status)
        .order_by("-changed_at", "-id")
        .first()
    )
    if change is None:
        return []
    customer = work_order.customer
    body = status_message_render(
        template=status.message_template, work_order=work_order, status=status
    )
    shop = shop_profile_get()
    channels = [
        (Channel.SMS, texting_number_get(customer), ""),
        (
            Channel.EMAIL,
            email_address_get(customer),
            f"{shop.name}: {status.name} — {work_order.vehicle}",
        ),
    ]
    queued = []
    for channel, to, subject in channels:
        if not to or consent_check(channel=channel, to=to, customer=customer):
            continue
        try:
            queued.append(
                message_enqueue(
                    channel=channel,
                    to=to,
                    subject=subject,
                    body=body,
                    customer=customer,
                    kind=OutboundMessage.Kind.STATUS_UPDATE,
                    cause=change,
                    idempotency_key=f"status:{work_order.pk}:{change.pk}:{channel}",
                    check_consent=False,
                )
            )
        except ServiceError as error:
            logger.warning(
                "No %s status update for work order %s: %s", channel, work_order.pk, error.message
            )
    return queued
