"""Work orders: creation, the header, status changes, billing out (close) and reopening.

Optimistic locking: every change names the `version` the person started from.
The row is locked, the version compared, and the change refused with a
conflict when someone else saved in between; nothing is overwritten.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from customers.models import Vehicle
from shop.errors import ServiceError
from shop.models import User
from shop.selectors import shop_profile_get
from workorders import events
from workorders.bill_out import bill_out_refusal
from workorders.models import Job, Line, Stage, Status, StatusChange, WorkOrder
from workorders.selectors import workorder_settings_get
from workorders.services.statuses import stage_for_number
from workorders.services.totals import totals_compute

HEADER_FIELDS = {
    "advisor",
    "default_technician",
    "concern",
    "odometer_in",
    "odometer_out",
    "promised_at",
    "priority",
}


def conflict_error_build(work_order: WorkOrder) -> ServiceError:
    return ServiceError(
        f"{work_order} was changed by someone else since you opened it. Nothing was saved: "
        "reload it to see their changes, then make yours again.",
        code="conflict",
    )


def locked_error_build(work_order: WorkOrder) -> ServiceError:
    return ServiceError(
        f"Invoice #{work_order.pk} is billed out and locked. Reopen it to change it.",
        code="locked",
    )


def hidden_error_build(
    by: User, work_order: WorkOrder | None, *, into_estimate: bool = False
) -> ServiceError:
    from shop.security import required_level, user_level

    level = user_level(by)
    yours = f"yours is level {level}" if level else "you have no security level"
    if work_order is None:
        what = "write an estimate"
    elif into_estimate:
        what = f"turn {work_order} into an estimate"
    else:
        what = f"change {work_order}"
    return ServiceError(
        f"“See estimates” needs security level {required_level('view_estimates')} and "
        f"{yours}: you may not {what}. Nothing was saved.",
        code="hidden",
    )


# Moving a work order into an estimate status: whoever does it must be able to see it after.
_AS_ESTIMATE = WorkOrder(stage=Stage.ESTIMATE)


def _may_write(by: User, work_order: WorkOrder) -> bool:
    """selectors.may_see, with the answer for estimates kept on the user object for the
    rest of the request: a sync or a package writes through several services, and the
    levels are read once (as shop.security keeps them on the request)."""
    if work_order.stage != Stage.ESTIMATE:
        return True
    sees = getattr(by, "_sees_estimates", None)
    if sees is None:
        from workorders.selectors import may_see

        sees = by._sees_estimates = may_see(by, work_order)
    return sees


def work_order_claim(
    work_order: WorkOrder | int, version: int | None, *, by: User | None = None
) -> WorkOrder:
    """Lock the work order's row, check the version the caller started from, and check
    that the employee making the change (`by`) may see this work order at all.

    Every write to a work order claims it here first, so who may see it (the estimates
    below "See estimates" are hidden) is checked in this one place, whatever the page or
    API that called. `by=None` is a change no employee makes (the customer's link, a
    fleet's decision, the rules themselves).

    `version=None` is only for changes that cannot conflict (a brand-new work
    order's first lines from the same request).
    """
    pk = work_order.pk if isinstance(work_order, WorkOrder) else work_order
    locked = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("status", "customer", "vehicle")
        .get(pk=pk)
    )
    if by is not None and not _may_write(by, locked):
        raise hidden_error_build(by, locked)
    if version is not None and int(version) != locked.version:
        raise conflict_error_build(locked)
    return locked


def work_order_open_check(work_order: WorkOrder) -> None:
    if work_order.closed_at is not None:
        raise locked_error_build(work_order)


def totals_refresh(work_order: WorkOrder) -> None:
    """Recompute the stored totals from the lines (declined jobs are not charged)."""
    lines = (
        Line.objects.filter(work_order=work_order)
        .exclude(job__approval=Job.Approval.DECLINED)
        .values("kind", "amount", "discount", "taxable")
    )
    totals = totals_compute(lines, shop_profile_get().tax_rate)
    for name, value in totals.as_fields().items():
        setattr(work_order, name, value)


def work_order_save(work_order: WorkOrder, fields: list[str]) -> None:
    """Save the claimed work order with its version bumped, and tell the other apps
    (`work_order_changed`): every change to a work order, its jobs and lines saves it
    here."""
    work_order.version += 1
    saved = [*fields, "version", "updated_at"]
    work_order.save(update_fields=saved)
    events.work_order_changed.send(sender=WorkOrder, work_order=work_order, fields=saved)


def countdown_start(status: Status) -> int | None:
    """The time a vehicle gets in a Count Down status when it enters it (the status's
    default); the advisor changes it for the vehicle on the board (workorder_countdown_set)."""
    if status.time_display != Status.TimeDisplay.COUNT_DOWN:
        return None
    return status.default_minutes


def first_status_get(stage: str) -> Status:
    row = workorder_settings_get()
    for status in Status.objects.order_by("number"):
        if row.stage_for(status.number) == stage:
            return status
    raise ServiceError(
        f"There is no {Stage(stage).label.lower()} status yet. Add one in Statuses first.",
        code="no_status",
    )


@transaction.atomic
def workorder_create(
    *,
    by: User | None,
    vehicle: Vehicle,
    status: Status | None = None,
    advisor: User | None = None,
    concern: str = "",
    odometer_in: int | None = None,
    promised_at: datetime | None = None,
    priority: int = WorkOrder.Priority.NORMAL,
    default_technician: User | None = None,
) -> WorkOrder:
    """A new estimate (or repair order) for the vehicle's customer."""
    if not vehicle.is_active:
        raise ServiceError(f"{vehicle} is disabled; enable it before writing a work order.")
    if odometer_in is not None and odometer_in < 0:
        raise ServiceError("The odometer cannot be negative.", field="odometer_in")
    status = status or first_status_get(Stage.ESTIMATE)
    stage = stage_for_number(status.number)
    if stage == Stage.ESTIMATE and by is not None and not _may_write(by, _AS_ESTIMATE):
        raise hidden_error_build(by, None)
    if stage == Stage.INVOICE:
        raise ServiceError(
            "A new work order starts as an estimate or a repair order; bill it out once it "
            "has its lines.",
            field="status",
        )
    now = timezone.now()
    work_order = WorkOrder.objects.create(
        customer_id=vehicle.customer_id,
        vehicle=vehicle,
        status=status,
        stage=stage,
        status_entered_at=now,
        countdown_minutes=countdown_start(status),
        advisor=advisor if advisor is not None else by,
        concern=concern,
        odometer_in=odometer_in,
        promised_at=promised_at,
        priority=priority,
        default_technician=default_technician,
        created_at=now,
        tax_rate=shop_profile_get().tax_rate,
    )
    StatusChange.objects.create(
        work_order=work_order,
        kind=StatusChange.Kind.CREATED,
        to_status=status,
        changed_by=by,
        changed_at=now,
        countdown_minutes=work_order.countdown_minutes,
    )
    events.work_order_created.send(sender=WorkOrder, work_order=work_order, by=by)
    return work_order


@transaction.atomic
def workorder_update(*, by: User, work_order: WorkOrder, version: int, **fields: Any) -> WorkOrder:
    unknown = set(fields) - HEADER_FIELDS
    if unknown:
        raise ServiceError(f"Unknown work order fields: {', '.join(sorted(unknown))}.")
    work_order = work_order_claim(work_order, version, by=by)
    work_order_open_check(work_order)
    for name in ("odometer_in", "odometer_out"):
        if fields.get(name) is not None and fields[name] < 0:
            raise ServiceError("The odometer cannot be negative.", field=name)
    odometer_in = fields.get("odometer_in", work_order.odometer_in)
    odometer_out = fields.get("odometer_out", work_order.odometer_out)
    if odometer_in is not None and odometer_out is not None and odometer_out < odometer_in:
        raise ServiceError("Odometer out cannot be less than odometer in.", field="odometer_out")
    if "priority" in fields and fields["priority"] not in WorkOrder.Priority.values:
        raise ServiceError("Choose a priority.", field="priority")
    for name, value in fields.items():
        setattr(work_order, name, value)
    work_order_save(work_order, list(fields))
    return work_order


@transaction.atomic
def workorder_status_set(
    *, by: User | None, work_order: WorkOrder, version: int | None, status: Status
) -> WorkOrder:
    """Move the work order to a status; entering the invoice stage bills it out and locks it.

    A status change approves nothing by itself; only leaving the estimate stage approves
    the estimate's pending jobs, as the customer's authorization of that estimate
    (services.approvals).

    Billing out may be refused, before anything is written: with no line; while a job
    with lines waits for approval; or by a bill-out check another app registered
    (workorders.bill_out: the fleet's approval, for one).
    """
    # Imported here: the approvals module builds on this one's claim and save.
    from workorders.services.approvals import estimate_authorize, pending_jobs_error_build

    work_order = work_order_claim(work_order, version, by=by)
    work_order_open_check(work_order)
    if status.pk == work_order.status_id:
        return work_order
    previous_status = work_order.status
    previous_stage = work_order.stage
    stage = stage_for_number(status.number)
    if stage == Stage.ESTIMATE and by is not None and not _may_write(by, _AS_ESTIMATE):
        raise hidden_error_build(by, work_order, into_estimate=True)
    if stage == Stage.INVOICE:
        if not work_order.lines.exists():
            raise ServiceError("Add at least one line before billing the work order out.")
        # Billed out straight from the estimate, its pending jobs are authorized below.
        if previous_stage != Stage.ESTIMATE:
            pending = pending_jobs_error_build(work_order)
            if pending is not None:
                raise pending
        refused = bill_out_refusal(work_order=work_order, by=by)
        if refused is not None:
            raise refused
    now = timezone.now()
    fields = ["status", "stage", "status_entered_at", "countdown_minutes"]
    if previous_stage == Stage.ESTIMATE and stage in (Stage.REPAIR_ORDER, Stage.INVOICE):
        estimate_authorize(work_order=work_order, by=by, now=now)
    if stage == Stage.INVOICE:
        totals_refresh(work_order)
        work_order.closed_at = now
        work_order.closed_by = by
        if work_order.odometer_out is None:
            work_order.odometer_out = work_order.odometer_in
        fields += ["closed_at", "closed_by", "odometer_out", *WorkOrder.TOTAL_FIELDS]
    StatusChange.objects.create(
        work_order=work_order,
        from_status=previous_status,
        to_status=status,
        changed_by=by,
        changed_at=now,
        seconds_in_previous=max(0, int((now - work_order.status_entered_at).total_seconds())),
        countdown_minutes=countdown_start(status),
    )
    work_order.status = status
    work_order.stage = stage
    work_order.status_entered_at = now
    work_order.countdown_minutes = countdown_start(status)
    work_order_save(work_order, fields)
    _publish(work_order, previous_status, status, previous_stage, by)
    return work_order


def _publish(
    work_order: WorkOrder,
    previous_status: Status | None,
    status: Status,
    previous_stage: str | None,
    by: User | None,
) -> None:
    events.status_changed.send(
        sender=WorkOrder,
        work_order=work_order,
        from_status=previous_status,
        to_status=status,
        by=by,
    )
    if previous_stage != work_order.stage:
        events.stage_entered.send(
            sender=WorkOrder,
            work_order=work_order,
            stage=work_order.stage,
            previous_stage=previous_stage,
            by=by,
        )
    if work_order.stage == Stage.INVOICE:
        events.work_order_closed.send(sender=WorkOrder, work_order=work_order, by=by)


@transaction.atomic
def workorder_reopen(
    *, by: User, work_order: WorkOrder, version: int, status: Status, reason: str
) -> WorkOrder:
    """Reopen a billed-out invoice into an estimate or repair-order status; recorded with why."""
    work_order = work_order_claim(work_order, version, by=by)
    if work_order.closed_at is None:
        raise ServiceError(f"{work_order} is not billed out; there is nothing to reopen.")
    if not reason.strip():
        raise ServiceError("Say why the invoice is reopened.", field="reason")
    stage = stage_for_number(status.number)
    if stage == Stage.INVOICE:
        raise ServiceError(
            "Reopen into an estimate or repair-order status, not an invoice status.",
            field="status",
        )
    if stage == Stage.ESTIMATE and not _may_write(by, _AS_ESTIMATE):
        raise hidden_error_build(by, work_order, into_estimate=True)
    now = timezone.now()
    previous_status = work_order.status
    StatusChange.objects.create(
        work_order=work_order,
        kind=StatusChange.Kind.REOPENED,
        from_status=previous_status,
        to_status=status,
        changed_by=by,
        changed_at=now,
        seconds_in_previous=max(0, int((now - work_order.status_entered_at).total_seconds())),
        note=reason.strip()[:300],
        countdown_minutes=countdown_start(status),
    )
    work_order.status = status
    work_order.stage = stage
    work_order.status_entered_at = now
    work_order.countdown_minutes = countdown_start(status)
    work_order.closed_at = None
    work_order.closed_by = None
    work_order_save(
        work_order,
        ["status", "stage", "status_entered_at", "countdown_minutes", "closed_at", "closed_by"],
    )
    _publish(work_order, previous_status, status, Stage.INVOICE, by)
    return work_order
