"""Approvals: every job on an invoice was approved by someone, and the work order says
who, when and how.

One service, `job_approval_set`, writes every decision: the advisor's (in person,
by phone with the name of who approved, by text or e-mail), the customer's link,
the fleet's, an outside system's sync, and the estimate's authorization when it
becomes a repair order. Each decision is a new `JobApproval` row (the trail is
never changed); the job's own approval fields summarise the latest one.

A status change approves nothing by itself. Only leaving the estimate stage (an
estimate becoming a repair order, or billed out straight from the estimate)
approves the estimate's pending jobs, recorded as the customer's authorization
of that estimate. A job added afterwards, such as a recommendation from the
inspection, waits for its own approval, and billing out refuses while a job
with lines waits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from shop.errors import ServiceError
from shop.models import User
from workorders.models import ApprovalMethod, Job, JobApproval, WorkOrder
from workorders.services.work_orders import (
    totals_refresh,
    work_order_claim,
    work_order_open_check,
    work_order_save,
)

# A clock a few minutes fast on the recording tablet is not "the future".
FUTURE_SLACK = timedelta(minutes=5)


def _check_time(at: datetime, work_order: WorkOrder, now: datetime) -> None:
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + FUTURE_SLACK:
        raise ServiceError("An approval cannot be given in the future.", field="at")
    if at < work_order.created_at - FUTURE_SLACK:
        raise ServiceError(
            f"{work_order} was written on {timezone.localtime(work_order.created_at):%b %d %Y}; "
            "an approval cannot be older than the work order.",
            field="at",
        )


def approval_row_write(
    *,
    work_order: WorkOrder,
    job: Job,
    decision: str,
    method: str,
    approved_by_name: str,
    recorded_by: User | None,
    at: datetime,
    note: str = "",
) -> JobApproval:
    """The trail row and the job's summary of it. The caller holds the work order's lock
    and refreshes the totals."""
    row = JobApproval.objects.create(
        work_order=work_order,
        job=job,
        decision=decision,
        method=method,
        approved_by_name=approved_by_name[:160],
        recorded_by=recorded_by,
        at=at,
        recorded_at=timezone.now(),
        note=note[:300],
    )
    job.approval = decision
    job.approval_by = row.approved_by_name
    job.approval_at = at
    job.approval_method = method
    job.save(update_fields=["approval", "approval_by", "approval_at", "approval_method"])
    return row


@transaction.atomic
def job_approval_set(
    *,
    job: Job,
    version: int | None,
    approval: str,
    method: str,
    by: User | None = None,
    by_name: str = "",
    at: datetime | None = None,
    note: str = "",
) -> Job:
    """Approve or decline a job, recorded in its trail: how (`method`), who gave it
    (`by_name`: required by phone; the customer's name otherwise), who recorded it
    (`by`, an employee, or None for the link, the fleet and a sync) and when (`at`, now
    by default). Declined jobs stay on the work order but are not charged; a declined
    job may be approved again later (and the other way round), each time a new row.

    The same decision by the same method and person as the latest one writes nothing
    (a double click, a retried request).
    """
    if approval not in JobApproval.Decision.values:
        raise ServiceError("Choose approve or decline.", field="approval")
    if method not in ApprovalMethod.values:
        raise ServiceError(
            "Choose how the approval was given: in person, phone, text or e-mail.",
            field="method",
        )
    by_name = " ".join((by_name or "").split())
    note = (note or "").strip()
    if len(note) > 300:
        raise ServiceError("A note is at most 300 characters.", field="note")
    if method == ApprovalMethod.PHONE and not by_name:
        raise ServiceError("Say who gave it on the phone.", field="by_name")
    work_order = work_order_claim(job.work_order_id, version, by=by)
    work_order_open_check(work_order)
    job = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if job.work_order_id != work_order.pk:
        raise ServiceError("That job belongs to another work order.")
    now = timezone.now()
    at = at or now
    _check_time(at, work_order, now)
    by_name = by_name or work_order.customer.display_name
    if (
        job.approval == approval
        and job.approval_method == method
        and job.approval_by == by_name[:160]
    ):
        return job
    approval_row_write(
        work_order=work_order,
        job=job,
        decision=approval,
        method=method,
        approved_by_name=by_name,
        recorded_by=by,
        at=at,
        note=note,
    )
    totals_refresh(work_order)
    work_order_save(work_order, list(WorkOrder.TOTAL_FIELDS))
    return job


def estimate_authorize(*, work_order: WorkOrder, by: User | None, now: datetime) -> int:
    """The estimate leaves the estimate stage: its pending jobs are approved as the
    customer's authorization of that estimate (declined ones stay declined). The caller
    holds the work order's lock. Returns how many jobs it approved."""
    jobs = list(work_order.jobs.filter(approval=Job.Approval.PENDING).select_for_update())
    name = work_order.customer.display_name
    for job in jobs:
        approval_row_write(
            work_order=work_order,
            job=job,
            decision=JobApproval.Decision.APPROVED,
            method=ApprovalMethod.ESTIMATE,
            approved_by_name=name,
            recorded_by=by,
            at=now,
        )
    return len(jobs)


def pending_jobs_error_build(work_order: WorkOrder) -> ServiceError | None:
    """Billing out: a job with lines still waiting for approval stops it, named."""
    titles = list(
        work_order.jobs.filter(approval=Job.Approval.PENDING, lines__isnull=False)
        .distinct()
        .order_by("position", "id")
        .values_list("title", flat=True)
    )
    if not titles:
        return None
    named = ", ".join(f"“{title}”" for title in titles)
    count = f"{len(titles)} jobs wait" if len(titles) > 1 else "1 job waits"
    return ServiceError(
        f"{count} for approval ({named}): approve, decline or remove them before billing out.",
        code="pending_approval",
    )
