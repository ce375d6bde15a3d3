"""Reads of messaging: conversations, unread replies, the inbox, failures to look at."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from messaging.models import InboundMessage
from outbox.models import Channel, OutboundMessage
from workorders.models import (
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionVideo,
    Job,
    Line,
    WorkOrder,
)

CONVERSATION_LENGTH = 200
FAILURES_SHOWN_DAYS = 7


def customers_with_unread_replies(customer_ids: Iterable[int]) -> set[int]:
    """Which of these customers have texted a reply nobody has read yet: one query.

    The board turns their text button orange (messaging/board.py).
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
        .exclude(channel=Channel.WEBHOOK)  # webhooks: the Integrations and fleet pages
        .select_related("customer")
        .order_by("-updated_at")[:limit]
    )


def outbound_messages() -> QuerySet[OutboundMessage]:
    """Messages to customers (webhooks are listed under Integrations and under Fleet)."""
    return (
        OutboundMessage.objects.exclude(channel=Channel.WEBHOOK)
        .select_related("customer")
        .order_by("-created_at", "-id")
    )


def customer_link_work_order(work_order_id: int) -> WorkOrder | None:
    """The work order as the customer's link shows it, with its inspections' rated items and
    photos and videos (`work_order.customer_inspections`): seven queries whatever its size."""
    rated = (
        InspectionResult.objects.exclude(rating=InspectionResult.Rating.NOT_CHECKED)
        .prefetch_related(
            Prefetch("photos", queryset=InspectionPhoto.objects.order_by("uploaded_at", "id")),
            Prefetch("videos", queryset=InspectionVideo.objects.order_by("uploaded_at", "id")),
        )
        .order_by("position", "id")
    )
    work_order = (
        WorkOrder.objects.select_related("customer", "vehicle", "status")
        .prefetch_related(
            Prefetch(
                "jobs",
                queryset=Job.objects.order_by("position", "id").prefetch_related(
                    Prefetch("lines", queryset=Line.objects.order_by("position", "id"))
                ),
            ),
            Prefetch(
                "inspections",
                queryset=Inspection.objects.order_by("started_at", "id").prefetch_related(
                    Prefetch("results", queryset=rated)
                ),
            ),
        )
        .filter(pk=work_order_id)
        .first()
    )
    if work_order is not None:
        for job in work_order.jobs.all():
            job.customer_total = sum((line.net_amount for line in job.lines.all()), Decimal("0"))
        work_order.customer_inspections = customer_inspections(work_order)
    return work_order


@dataclass(frozen=True)
class CustomerFinding:
    """One rated item as the customer sees it, with the job on the estimate it led to."""

    result: InspectionResult
    photos: list[CustomerPhoto]
    job: Job | None  # the job it led to, when that job is on this work order
    videos: list[InspectionVideo] = field(default_factory=list)


@dataclass(frozen=True)
class CustomerPhoto:
    photo: InspectionPhoto
    width: int  # the thumbnail's, so the page keeps its place while it loads
    height: int


@dataclass(frozen=True)
class CustomerInspection:
    inspection: Inspection
    attention: list[CustomerFinding]  # red (now) first, then yellow (soon)
    fine: list[CustomerFinding]  # green

    @property
    def red_count(self) -> int:
        return sum(1 for f in self.attention if f.result.rating == InspectionResult.Rating.RED)

    @property
    def yellow_count(self) -> int:
        return len(self.attention) - self.red_count

    @property
    def summary(self) -> str:
        """“We checked 3 items: 1 needs attention now, 2 are fine.”"""

        def need(count: int, when: str) -> str:
            return f"{count} {'needs' if count == 1 else 'need'} attention {when}"

        parts = [need(self.red_count, "now")] if self.red_count else []
        if self.yellow_count:
            parts.append(need(self.yellow_count, "soon"))
        if self.fine:
            parts.append(f"{len(self.fine)} {'is' if len(self.fine) == 1 else 'are'} fine")
        checked = len(self.attention) + len(self.fine)
        return f"We checked {checked} item{'' if checked == 1 else 's'}: {', '.join(parts)}."


def _thumbnail_size(photo: InspectionPhoto) -> tuple[int, int]:
    # The thumbnail is the photo scaled to fit THUMBNAIL_SIDE (never enlarged); older rows
    # without a size get a 4:3 box.
    from workorders.services import THUMBNAIL_SIDE

    if not photo.width or not photo.height:
        return THUMBNAIL_SIDE, THUMBNAIL_SIDE * 3 // 4
    scale = min(1.0, THUMBNAIL_SIDE / max(photo.width, photo.height))
    return max(1, round(photo.width * scale)), max(1, round(photo.height * scale))


def customer_inspections(work_order: WorkOrder) -> list[CustomerInspection]:
    """The work order's inspections that have rated items, from the prefetched rows (no query).

    Inspections nobody rated anything on yet are left out: the customer sees only findings.
    """
    jobs = {job.pk: job for job in work_order.jobs.all()}
    urgency = {InspectionResult.Rating.RED: 0, InspectionResult.Rating.YELLOW: 1}
    shown = []
    for inspection in work_order.inspections.all():
        findings = [
            CustomerFinding(
                result=result,
                photos=[CustomerPhoto(p, *_thumbnail_size(p)) for p in result.photos.all()],
                job=jobs.get(result.recommended_job_id),
                videos=list(result.videos.all()),
            )
            for result in inspection.results.all()
        ]
        if not findings:
            continue
        for finding in findings:
            if finding.job is not None and finding.result.rating in urgency:
                finding.job.inspection_finding = finding  # the job links back to the photos
        attention = sorted(
            (f for f in findings if f.result.rating in urgency),
            key=lambda f: urgency[f.result.rating],  # stable: sheet order within each
        )
        fine = [f for f in findings if f.result.rating == InspectionResult.Rating.GREEN]
        shown.append(CustomerInspection(inspection, attention, fine))
    return shown


def customer_link_photo(*, work_order_id: int, photo_id: int) -> InspectionPhoto | None:
    """A photo of a rated item of one of this work order's inspections, or None: the link
    shows no other (an item not rated yet is not a finding the customer sees)."""
    return (
        InspectionPhoto.objects.filter(pk=photo_id, result__inspection__work_order_id=work_order_id)
        .exclude(result__rating="")
        .first()
    )


def customer_link_video(*, work_order_id: int, video_id: int) -> InspectionVideo | None:
    """A video of a rated item of one of this work order's inspections, or None (as photos)."""
    return (
        InspectionVideo.objects.filter(pk=video_id, result__inspection__work_order_id=work_order_id)
        .exclude(result__rating="")
        .first()
    )
