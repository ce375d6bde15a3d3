"""Writes from Today's Vehicles Page and the technician's tablet view: priority, notes, done."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from shop.errors import ServiceError
from shop.models import User
from workorders.models import Job, Stage, WorkOrder
from workorders.services.work_orders import check_open, work_order_claim, work_order_save


@transaction.atomic
def workorder_priority_set(*, by: User, work_order: WorkOrder, priority: int) -> WorkOrder:
    """The technician priority, set from the board (the technicians' list follows it)."""
    if priority not in WorkOrder.Priority.values:
        raise ServiceError("Choose a priority: Low, Normal, High or Urgent.", field="priority")
    # No version: whoever sets the priority last wins, and nothing else changes.
    work_order = work_order_claim(work_order, None, by=by)
    check_open(work_order)
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
    check_open(work_order)
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
    check_open(work_order)
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
