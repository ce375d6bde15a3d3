"""Reads of the work-order app, tuned to a fixed number of queries per page."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from customers.models import Customer, Vehicle
from shop.dates import day_bounds
from shop.models import User
from shop.selectors import single_row_get
from workorders.models import (
    Appointment,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionSheet,
    InspectionVideo,
    Job,
    JobApproval,
    Line,
    Package,
    Stage,
    Status,
    StatusChange,
    WorkOrder,
    WorkOrderSettings,
)


def workorder_settings_get() -> WorkOrderSettings:
    """The work-order settings: stage ranges, default labor line, board warning."""
    return single_row_get(WorkOrderSettings)


def employees() -> QuerySet[User]:
    return (
        User.objects.exclude(role="")
        .filter(is_active=True)
        .only("id", "username", "first_name", "last_name", "role")
        .order_by("first_name", "last_name")
    )


def technicians() -> QuerySet[User]:
    return employees().filter(role=User.Role.TECHNICIAN)


def advisors() -> QuerySet[User]:
    return employees().exclude(role=User.Role.TECHNICIAN)


def status_list() -> QuerySet[Status]:
    return Status.objects.order_by("number")


def package_choices() -> QuerySet[Package]:
    return Package.objects.filter(is_active=True).only("id", "name").order_by("name")


def work_order_list() -> QuerySet[WorkOrder]:
    return WorkOrder.objects.select_related("customer", "vehicle", "status", "advisor").order_by(
        "-created_at", "-id"
    )


def visible_work_orders(user: User, queryset: QuerySet[WorkOrder], request=None):
    """Below "See estimates" (technicians), work orders are repair orders and invoices only."""
    from shop.security import can

    if can(user, "view_estimates", request):
        return queryset
    return queryset.exclude(stage=Stage.ESTIMATE)


def may_see(user: User, work_order: WorkOrder, request=None) -> bool:
    from shop.security import can

    return work_order.stage != Stage.ESTIMATE or can(user, "view_estimates", request)


def job_queryset() -> QuerySet[Job]:
    lines = Line.objects.select_related("technician").order_by("position", "id")
    return (
        Job.objects.select_related("technician")
        .prefetch_related(
            Prefetch("lines", queryset=lines),
            Prefetch("approvals", queryset=approval_rows()),
        )
        .order_by("position", "id")
    )


def approval_rows() -> QuerySet[JobApproval]:
    return JobApproval.objects.select_related("recorded_by").order_by("at", "id")


def approvals_newest_first(jobs: list[Job]) -> list[JobApproval]:
    """The same trail as approval_trail(), from jobs loaded with job_queryset(): their
    approvals are prefetched already, so it costs no query."""
    rows = (row for job in jobs for row in job.approvals.all())
    return sorted(rows, key=lambda row: (row.at, row.id), reverse=True)


def approval_trail(work_order: WorkOrder) -> QuerySet[JobApproval]:
    """Every approval decision on the work order, newest first, with its job."""
    return work_order.job_approvals.select_related("job", "recorded_by").order_by("-at", "-id")


def work_order_for_editor(pk: int) -> WorkOrder:
    """The work order with everything the editor and the PDFs show: three queries."""
    return (
        WorkOrder.objects.select_related(
            "customer", "vehicle", "status", "advisor", "default_technician", "closed_by"
        )
        .prefetch_related(Prefetch("jobs", queryset=job_queryset()))
        .get(pk=pk)
    )


def job_for_editor(pk: int) -> Job:
    return job_queryset().select_related("work_order", "work_order__default_technician").get(pk=pk)


def status_history(work_order: WorkOrder) -> QuerySet[StatusChange]:
    return work_order.status_changes.select_related(
        "from_status", "to_status", "changed_by"
    ).order_by("-changed_at", "-id")


def reopen_status_default(
    work_order: WorkOrder, history: list[StatusChange], statuses: list[Status]
) -> int | None:
    """Reopening an invoice: the last repair-order status it had (newest first in
    `history`), else the first repair-order status of `statuses` (status_list(), which
    the page has loaded for its choices). Never an estimate: reopened to an estimate,
    the work would vanish from the technicians' list."""
    if not work_order.is_closed:
        return None
    row = workorder_settings_get()
    for change in history:
        if row.stage_for(change.to_status.number) == Stage.REPAIR_ORDER:
            return change.to_status_id
    in_repair_order = (
        status
        for status in sorted(statuses, key=lambda status: status.number)
        if row.repair_order_from <= status.number <= row.repair_order_to
    )
    return next((status.pk for status in in_repair_order), None)


def _history(queryset: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    return (
        queryset.select_related("vehicle", "status")
        .prefetch_related(
            Prefetch("jobs", queryset=Job.objects.only("id", "work_order_id", "title", "position"))
        )
        .order_by("-created_at", "-id")
    )


def vehicle_history(vehicle: Vehicle) -> QuerySet[WorkOrder]:
    return _history(WorkOrder.objects.filter(vehicle=vehicle))


def customer_history(customer: Customer) -> QuerySet[WorkOrder]:
    return _history(WorkOrder.objects.filter(customer=customer))


def vehicle_search(query: str, *, limit: int = 20) -> list[Vehicle]:
    """Active vehicles by plate, VIN, or their customer's name or company."""
    query = query.strip()
    if len(query) < 2:
        return []
    condition = (
        Q(plate__iexact=query)
        | Q(vin__iexact=query)
        | Q(customer__last_name__istartswith=query)
        | Q(customer__company_name__istartswith=query)
    )
    if query.isdigit():
        condition |= Q(customer_id=int(query))
    return list(
        Vehicle.objects.filter(condition, is_active=True)
        .select_related("customer")
        .order_by("customer__last_name", "customer__first_name", "id")[:limit]
    )


def appointments_on(day: date) -> QuerySet[Appointment]:
    start, end = day_bounds(day)
    return (
        Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related(
            "customer", "vehicle", "advisor", "cancelled_by", "work_order", "work_order__status"
        )
        .order_by("starts_at", "id")
    )


# --- The technician's tablet view and inspections -------------------------------------------


def technician_jobs(technician: User) -> QuerySet[Job]:
    """The technician's jobs on open repair orders (never estimates), in priority order:
    the job's own technician, or the work order's default one when the job has none."""
    mine = Q(technician=technician) | Q(
        technician__isnull=True, work_order__default_technician=technician
    )
    return (
        Job.objects.filter(mine, work_order__stage=Stage.REPAIR_ORDER, work_order__closed_at=None)
        .select_related(
            "work_order", "work_order__status", "work_order__vehicle", "work_order__customer"
        )
        .order_by(
            "done_at", "-work_order__priority", "work_order__status_entered_at", "position", "id"
        )
    )


def technician_job(technician: User, job_id: int) -> Job:
    """One of the technician's jobs; anything else (an estimate, another technician's job)
    does not exist for them."""
    return technician_jobs(technician).get(pk=job_id)


def inspection_for(work_order_id: int) -> Inspection | None:
    """The work order's latest inspection with its items, photos and videos: four queries."""
    photos = InspectionPhoto.objects.order_by("uploaded_at", "id")
    videos = InspectionVideo.objects.order_by("uploaded_at", "id")
    return (
        Inspection.objects.filter(work_order_id=work_order_id)
        .prefetch_related(
            Prefetch(
                "results",
                queryset=InspectionResult.objects.select_related("recommended_job")
                .prefetch_related(
                    Prefetch("photos", queryset=photos), Prefetch("videos", queryset=videos)
                )
                .order_by("position", "id"),
            )
        )
        .order_by("-started_at", "-id")
        .first()
    )


def inspection_sheets() -> QuerySet[InspectionSheet]:
    return InspectionSheet.objects.annotate(item_count=Count("sections__points")).order_by("name")


def open_estimates(vehicle: Vehicle) -> list[WorkOrder]:
    """The vehicle's estimates not yet turned into a repair order, newest first: the new
    estimate page warns before a second one is started."""
    return list(
        WorkOrder.objects.filter(vehicle=vehicle, stage=Stage.ESTIMATE)
        .select_related("status")
        .order_by("-created_at", "-id")[:5]
    )
