"""The technician's tablet view: my jobs in priority order (repair orders only), a job with
its notes, add a note, mark it done. Another technician's job or an estimate is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shop.errors import ServiceError
from shop.security import security_function
from workorders import board, selectors, services
from workorders.models import Job


def _my_job(request: HttpRequest, job_id: int) -> Job:
    try:
        return selectors.technician_job(request.user, job_id)
    except Job.DoesNotExist:
        raise Http404("That job is not one of yours.") from None


def _attach_timers(jobs: list[Job]) -> None:
    """Each job's Count Down: the time its vehicle has left in its status, if it counts down."""
    now = timezone.now()
    warn = selectors.workorder_settings_get().board_warning_minutes
    for job in jobs:
        timer = board.work_order_timer(job.work_order, now, warn)
        job.timer = timer if timer.kind == "count_down" else None


@security_function("technician_jobs")
def my_jobs(request: HttpRequest) -> HttpResponse:
    jobs = list(selectors.technician_jobs(request.user))
    _attach_timers(jobs)
    # Only approved work is work to do; what waits for the customer (or was declined) is
    # listed apart, marked, so nobody starts it by mistake.
    return render(
        request,
        "workorders/technician/my_jobs.html",
        {
            "open_jobs": [j for j in jobs if not j.done_at and j.approval == Job.Approval.APPROVED],
            "not_approved_jobs": [
                j for j in jobs if not j.done_at and j.approval != Job.Approval.APPROVED
            ],
            "done_jobs": [j for j in jobs if j.done_at],
        },
    )


@security_function("technician_jobs")
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _my_job(request, job_id)
    _attach_timers([job])
    inspection = selectors.inspection_for(job.work_order_id)
    return render(
        request,
        "workorders/technician/job.html",
        {
            "job": job,
            "lines": list(job.lines.order_by("position", "id")),
            "wo": job.work_order,
            "inspection": inspection,
            "sheets": list(selectors.inspection_sheets().filter(is_active=True)),
        },
    )


@require_POST
@security_function("technician_jobs")
def job_note(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _my_job(request, job_id)
    try:
        services.job_note_add(
            by=request.user,
            job=job,
            text=request.POST.get("text", ""),
            customer_facing=request.POST.get("audience") == "customer",
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The note was added.")
    return redirect("workorders:tech_job", job.pk)


@require_POST
@security_function("technician_jobs")
def job_done(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _my_job(request, job_id)
    done = request.POST.get("done", "1") == "1"
    try:
        services.job_done_set(by=request.user, job=job, done=done)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("workorders:tech_job", job.pk)
    messages.success(request, f"“{job.title}” is {'done' if done else 'open again'}.")
    return redirect("workorders:my_jobs")
