"""Reads of messaging: conversations, unread replies, the inbox, failures to look at."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from messaging.models import Channel, InboundMessage, OutboundMessage

CONVERSATION_LENGTH = 200
FAILURES_SHOWN_DAYS = 7


def customers_with_unread_replies(customer_ids: Iterable[int]) -> set[int]:
    """Which of these customers have texted a reply nobody has read yet: one query.

    The board turns their text button orange and links it to `conversation_url`.
    """
    ids = list(customer_ids)
    if not ids:
        return set()
    return set(
        InboundMessage.objects.filter(customer_id__in=ids, read_at__isnull=True)
        .values_list("customer_id", flat=True)
        .distinct()
    )


def conversation_url(customer_id: int) -> str:
    return reverse("messaging:conversation", args=[customer_id])


@dataclass(frozen=True)
class ConversationEntry:
    at: datetime
    inbound: bool
    body: str
    message: OutboundMessage | InboundMessage

    @property
    def key(self) -> str:
        return f"{'in' if self.inbound else 'out'}-{self.message.pk}"


def conversation_for(customer: Customer) -> list[ConversationEntry]:
    """The customer's texts, both ways, oldest first (the latest CONVERSATION_LENGTH)."""
    outbound = (
        OutboundMessage.objects.filter(customer=customer, channel=Channel.SMS)
        .select_related("sent_by")
        .order_by("-created_at")[:CONVERSATION_LENGTH]
    )
    inbound = InboundMessage.objects.filter(customer=customer).order_by("-received_at")[
        :CONVERSATION_LENGTH
    ]
    entries = [ConversationEntry(m.created_at, False, m.body, m) for m in outbound]
    entries += [ConversationEntry(m.received_at, True, m.body, m) for m in inbound]
    entries.sort(key=lambda e: (e.at, e.key))
    return entries[-CONVERSATION_LENGTH:]


def emails_for(customer: Customer) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(customer=customer, channel=Channel.EMAIL).order_by(
        "-created_at"
    )


@dataclass(frozen=True)
class InboxRow:
    customer: Customer
    unread: int
    last_at: datetime


def inbox(*, limit: int = 100) -> list[InboxRow]:
    """Customers who texted the shop, unread first, then the latest: three queries."""
    rows = list(
        InboundMessage.objects.filter(customer__isnull=False)
        .values("customer_id")
        .annotate(unread=Count("id", filter=Q(read_at__isnull=True)), last_at=Max("received_at"))
        .order_by("-unread", "-last_at")[:limit]
    )
    customers = Customer.objects.in_bulk([row["customer_id"] for row in rows])
    return [
        InboxRow(customers[row["customer_id"]], row["unread"], row["last_at"])
        for row in rows
        if row["customer_id"] in customers
    ]


def unmatched_texts(*, limit: int = 50) -> QuerySet[InboundMessage]:
    """Texts from numbers that belong to no customer."""
    return InboundMessage.objects.filter(customer__isnull=True).order_by("-received_at")[:limit]


def recent_failures(*, limit: int = 50) -> QuerySet[OutboundMessage]:
    """Messages that did not reach the customer lately: the advisor looks at these."""
    since = timezone.now() - timedelta(days=FAILURES_SHOWN_DAYS)
    return (
        OutboundMessage.objects.filter(
            state__in=[
                OutboundMessage.State.FAILED,
                OutboundMessage.State.UNDELIVERED,
                OutboundMessage.State.SUPPRESSED,
            ],
            updated_at__gte=since,
        )
        .exclude(channel=Channel.WEBHOOK)  # outside systems' deliveries: Integrations page
        .select_related("customer")
        .order_by("-updated_at")[:limit]
    )


def outbound_messages() -> QuerySet[OutboundMessage]:
    """Messages to customers (webhooks to outside systems are listed under Integrations)."""
    return (
        OutboundMessage.objects.exclude(channel=Channel.WEBHOOK)
        .select_related("customer")
        .order_by("-created_at", "-id")
    )


def customer_link_work_order(work_order_id: int):
    """The work order as the customer's link shows it: three queries whatever its size."""
    from django.db.models import Prefetch

    from workorders.models import Job, Line, WorkOrder

    work_order = (
        WorkOrder.objects.select_related("customer", "vehicle", "status")
        .prefetch_related(
            Prefetch(
                "jobs",
                queryset=Job.objects.order_by("position", "id").prefetch_related(
                    Prefetch("lines", queryset=Line.objects.order_by("position", "id"))
                ),
            )
        )
        .filter(pk=work_order_id)
        .first()
    )
    if work_order is not None:
        for job in work_order.jobs.all():
            job.customer_total = sum((line.net_amount for line in job.lines.all()), Decimal("0"))
    return work_order
