"""Writes from Today's Vehicles Page and the technician's tablet view: priority, Count Down,
notes, done."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from shop.errors import ServiceError
from shop.models import User
from workorders.models import Job, Stage, Status, StatusChange, WorkOrder
from workorders.services.work_orders import work_order_claim, work_order_open_check, work_order_save


@transaction.atomic
def workorder_priority_set(*, by: User, work_order: WorkOrder, priority: int) -> WorkOrder:
    """The technician priority, set from the board (the technicians' list follows it)."""
    if priority not in WorkOrder.Priority.values:
        raise ServiceError("Choose a priority: Low, Normal, High or Urgent.", field="priority")
    # No version: whoever sets the priority last wins, and nothing else changes.
    work_order = work_order_claim(work_order, None, by=by)
    work_order_open_check(work_order)
    if work_order.priority != priority:
        work_order.priority = priority
        work_order_save(work_order, ["priority"])
    return work_order


def _technicians_job(by: User, job: Job) -> Job:
    job = Job.objects.select_for_update(of=("self",)).select_related("work_order").get(pk=job.pk)
    work_order = job.work_order
    if work_order.stage != Stage.REPAIR_ORDER:
        raise ServiceError("Only a repair order's jobs are worked on.", code="not_repair_order")
    if (job.technician_id or work_order.default_technician_id) != by.pk:
        raise ServiceError("That job is another technician's.", code="not_yours")
    return job


@transaction.atomic
def job_note_add(*, by: User, job: Job, text: str, customer_facing: bool) -> Job:
    """A technician's note on a job, signed and timed; customer-facing ones go on the invoice
    and the customer's link, the others stay in the shop."""
    text = text.strip()
    if not text:
        raise ServiceError("Write the note first.", field="text")
    job = _technicians_job(by, job)
    work_order = work_order_claim(job.work_order_id, None, by=by)
    work_order_open_check(work_order)
    name = by.get_full_name() or by.username
    stamp = timezone.localtime().strftime("%b %d %H:%M")
    line = f"{text} ({name}, {stamp})" if not customer_facing else text
    field = "customer_notes" if customer_facing else "internal_notes"
    current = getattr(job, field)
    setattr(job, field, f"{current}\n{line}".strip() if current else line)
    job.save(update_fields=[field])
    work_order_save(work_order, [])
    return job


@transaction.atomic
def job_done_set(*, by: User, job: Job, done: bool = True) -> Job:
    """Mark the technician's job done (or not done after all)."""
    job = _technicians_job(by, job)
    work_order = work_order_claim(job.work_order_id, None, by=by)
    work_order_open_check(work_order)
    if done and job.approval != Job.Approval.APPROVED:
        state = "was declined" if job.approval == Job.Approval.DECLINED else "waits for approval"
        raise ServiceError(
            f"“{job.title}” {state}: it is not work to do. Ask the advisor.",
            code="not_approved",
        )
    job.done_at = timezone.now() if done else None
    job.done_by = by if done else None
    job.save(update_fields=["done_at", "done_by"])
    work_order_save(work_order, [])
    return job


COUNTDOWN_MAX_HOURS = 99


@transaction.atomic
def workorder_countdown_set(
    *, by: User, work_order: WorkOrder, hours: Any, minutes: Any
) -> WorkOrder:
    """The time this vehicle gets in its current Count Down status, set on the board's card
    (the status's default was only the starting value). Counted from when the status was
    entered; kept on the status history row of that entry."""
    try:
        hours = int(str(hours).strip() or "0")
        minutes = int(str(minutes).strip() or "0")
    except ValueError:
        raise ServiceError(
            "Write the hours and minutes as whole numbers, e.g. 1 h 30 min.", field="hours"
        ) from None
    if not 0 <= hours <= COUNTDOWN_MAX_HOURS:
        raise ServiceError(f"Hours are from 0 to {COUNTDOWN_MAX_HOURS}.", field="hours")
    if not 0 <= minutes <= 59:
        raise ServiceError("Minutes are from 0 to 59.", field="minutes")
    total = hours * 60 + minutes
    if total == 0:
        raise ServiceError("Give the vehicle at least one minute.", field="minutes")
    # No version: whoever sets the time last wins, and nothing else changes.
    work_order = work_order_claim(work_order, None, by=by)
    work_order_open_check(work_order)
    if work_order.status.time_display != Status.TimeDisplay.COUNT_DOWN:
        raise ServiceError(
            f"“{work_order.status.name}” does not count down; there is no time to set.",
            code="not_count_down",
        )
    if work_order.countdown_minutes != total:
        work_order.countdown_minutes = total
        work_order_save(work_order, ["countdown_minutes"])
        entry = (
            StatusChange.objects.filter(work_order=work_order, to_status=work_order.status)
            .order_by("-changed_at", "-id")
            .first()
        )
        if entry is not None:
            entry.countdown_minutes = total
            entry.save(update_fields=["countdown_minutes"])
    return work_order
