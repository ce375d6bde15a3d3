"""The shop records a job's approval (in person, by phone, text or e-mail) in the editor."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from shop.errors import ServiceError
from shop.security import security_function
from workorders import services
from workorders.forms import JobApprovalForm
from workorders.models import Job
from workorders.views.common import refuse_if_hidden
from workorders.views.work_orders import _back, _job_response


@require_POST
@security_function("edit_work_orders")
def job_approval(request: HttpRequest, work_order_id: int, job_id: int) -> HttpResponse:
    """Approve or decline one job, recorded in its trail with how, who and when."""
    job = get_object_or_404(Job, pk=job_id, work_order_id=work_order_id)
    form = JobApprovalForm(request.POST, auto_id=f"job{job.pk}_approval_%s")
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.job_approval_set(
                job=job,
                version=data["version"],
                approval=data["decision"],
                method=data["method"],
                by=request.user,
                by_name=data["by_name"],
                at=data["at"],
                note=data["note"],
            )
        except ServiceError as service_error:
            refuse_if_hidden(service_error)
            error = service_error
    else:
        first = next(iter(form.errors.values()))[0]
        error = ServiceError(f"Check the approval: {first}")
    if not request.htmx:
        if error:
            messages.error(request, error.message)
        return _back(work_order_id, f"job-{job.pk}")
    return _job_response(request, job.pk, error=error, with_approvals=True)
