"""Customer messages in the demo shop and the benchmark shop."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from customers.models import CustomerPhone
from messaging.models import InboundMessage
from messaging.services import inbound_text_receive, status_update_enqueue
from outbox.models import Channel, OutboundMessage
from workorders.models import WorkOrder

DEMO_REPLY_ID = "demo-reply-1"
BENCH_KEY = "bench-seed:"
BENCH_CONVERSATIONS = 5000
BENCH_STATUSES = ["Waiting for Approval", "Approved", "Waiting for Parts", "Ready for Pickup"]


def seed_demo(stdout) -> dict:
    """A work order's status update went out, and its customer answered: an unread reply."""
    if InboundMessage.objects.filter(provider_message_id=DEMO_REPLY_ID).exists():
        return {}
    work_order = (
        WorkOrder.objects.filter(
            status__send_customer_update=True,
            closed_at__isnull=True,
            customer__text_consent=True,
            customer__phones__kind=CustomerPhone.Kind.CELL,
        )
        .select_related("customer", "vehicle", "status")
        .order_by("id")
        .first()
    )
    if work_order is not None:
        # Keyed by the status history row: seeding again sends nothing more.
        status_update_enqueue(work_order=work_order, status=work_order.status)
    texted = (
        OutboundMessage.objects.filter(channel=Channel.SMS, customer__isnull=False)
        .order_by("created_at")
        .first()
    )
    if texted is not None:
        number = texted.to
    else:
        phone = (
            CustomerPhone.objects.filter(kind=CustomerPhone.Kind.CELL, customer__text_consent=True)
            .exclude(e164="")
            .order_by("id")
            .first()
        )
        if phone is None:
            return {}
        number = phone.e164
    reply = inbound_text_receive(
        provider_message_id=DEMO_REPLY_ID,
        from_number=number,
        body="Thanks! While it's there, could you also check the wiper blades?",
    )
    return {"reply_from": reply.customer.display_name if reply.customer else number}


@transaction.atomic
def seed_bench(stdout, *, rng: random.Random) -> None:
    """Years of texts and e-mails: four updates each for 5,000 customers, some replies."""
    if OutboundMessage.objects.filter(idempotency_key__startswith=BENCH_KEY).exists():
        return
    # One cell number per customer (some have two).
    phones = list(
        dict(
            CustomerPhone.objects.filter(kind=CustomerPhone.Kind.CELL)
            .exclude(e164="")
            .order_by("-customer_id", "-id")
            .values_list("customer_id", "e164")[: BENCH_CONVERSATIONS * 2]
        ).items()
    )[:BENCH_CONVERSATIONS]
    now = timezone.now()
    outbound: list[OutboundMessage] = []
    inbound: list[InboundMessage] = []
    for n, (customer_id, e164) in enumerate(phones):
        start = now - timedelta(days=rng.randint(0, 3 * 365), minutes=rng.randint(0, 600))
        for step, status in enumerate(BENCH_STATUSES):
            at = start + timedelta(hours=step * 3)
            channel = Channel.SMS if step % 2 == 0 else Channel.EMAIL
            outbound.append(
                OutboundMessage(
                    channel=channel,
                    kind=OutboundMessage.Kind.STATUS_UPDATE,
                    to=e164 if channel == Channel.SMS else f"customer{customer_id}@mail.example",
                    customer_id=customer_id,
                    subject="" if channel == Channel.SMS else f"Main Street Auto: {status}",
                    body=f"An update on your vehicle from Main Street Auto: {status}.",
                    idempotency_key=f"{BENCH_KEY}{customer_id}:{step}",
                    state=OutboundMessage.State.DELIVERED,
                    attempts=1,
                    next_attempt_at=at,
                    sent_at=at,
                    delivered_at=at,
                )
            )
        if n % 5 == 0:
            inbound.append(
                InboundMessage(
                    provider_message_id=f"{BENCH_KEY}{customer_id}",
                    from_number=e164,
                    from_e164=e164,
                    body="Thanks, see you at five.",
                    customer_id=customer_id,
                    read_at=None if n % 10 == 0 else now,
                )
            )
    OutboundMessage.objects.bulk_create(outbound, batch_size=2000)
    InboundMessage.objects.bulk_create(inbound, batch_size=2000)
    stdout.write(f"  messaging: {len(outbound)} messages sent, {len(inbound)} replies")
