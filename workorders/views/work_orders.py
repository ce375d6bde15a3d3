"""The work-order list, the new-estimate page and the editor with its htmx parts."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from customers.models import Vehicle
from shop.errors import ServiceError
from shop.forms import form_error
from shop.models import User
from shop.security import can, security_function
from workorders import selectors, services
from workorders.filters import WorkOrderFilter
from workorders.forms import (
    JobApprovalForm,
    JobForm,
    JobNotesForm,
    LineEditForm,
    LineForm,
    PackageChoiceForm,
    ReopenForm,
    StatusChangeForm,
    WorkOrderHeaderForm,
)
from workorders.models import Job, Line, WorkOrder
from workorders.views.common import refuse_if_hidden


@security_function("view_work_orders")
def work_order_list(request: HttpRequest) -> HttpResponse:
    work_orders = selectors.visible_work_orders(request.user, selectors.work_order_list(), request)
    filterset = WorkOrderFilter(request.GET or None, queryset=work_orders)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode()}
    if request.htmx:
        return render(request, "workorders/partials/work_order_rows.html", context)
    return render(request, "workorders/work_order_list.html", context)


@security_function("edit_work_orders")
def work_order_new(request: HttpRequest) -> HttpResponse:
    """Find the vehicle (or arrive with ?vehicle=) and start its estimate."""
    if request.method == "POST":
        vehicle = get_object_or_404(
            Vehicle.objects.select_related("customer"), pk=request.POST.get("vehicle")
        )
        if selectors.open_estimates(vehicle) and request.POST.get("second_estimate") != "1":
            # A second estimate is allowed, but only as a choice made knowing the first.
            messages.error(
                request, f"{vehicle} already has an open estimate: open it, or start another."
            )
            return redirect(f"{reverse('workorders:new')}?vehicle={vehicle.pk}")
        try:
            work_order = services.workorder_create(
                by=request.user, vehicle=vehicle, concern=request.POST.get("concern", "")
            )
        except ServiceError as error:
            refuse_if_hidden(error)
            messages.error(request, error.message)
            return redirect(f"{reverse('workorders:new')}?vehicle={vehicle.pk}")
        return redirect("workorders:editor", work_order.pk)
    query = request.GET.get("q", "")
    chosen = None
    if request.GET.get("vehicle", "").isdigit():
        chosen = (
            Vehicle.objects.select_related("customer").filter(pk=request.GET["vehicle"]).first()
        )
    context = {
        "query": query,
        "results": selectors.vehicle_search(query),
        "chosen": chosen,
        "open_estimates": selectors.open_estimates(chosen) if chosen else [],
        "action": "estimate",
    }
    if request.htmx:
        return render(request, "workorders/partials/vehicle_results.html", context)
    return render(request, "workorders/work_order_new.html", context)


def _attach_job_forms(
    job: Job, work_order: WorkOrder, technicians: list, line_form: LineForm | None = None
) -> None:
    """Each job's own add-line and notes forms, with ids unique on the page."""
    version = {"version": work_order.version}
    job.line_form = line_form or LineForm(auto_id=f"job{job.pk}_%s", initial=version)
    job.notes_form = JobNotesForm(
        technicians=technicians,
        auto_id=f"job{job.pk}_notes_%s",
        initial={
            **version,
            "technician": job.technician_id,
            "customer_notes": job.customer_notes,
            "internal_notes": job.internal_notes,
        },
    )
    job.approval_form = JobApprovalForm(
        auto_id=f"job{job.pk}_approval_%s",
        initial={**version, "decision": "approved", "method": "in_person"},
    )


def _editor_context(request: HttpRequest, work_order: WorkOrder, **forms) -> dict:
    version = {"version": work_order.version}
    header_initial = {
        **version,
        "advisor": work_order.advisor_id,
        "default_technician": work_order.default_technician_id,
        "priority": work_order.priority,
        "odometer_in": work_order.odometer_in,
        "odometer_out": work_order.odometer_out,
        "promised_at": work_order.promised_at,
        "concern": work_order.concern,
    }
    jobs = list(work_order.jobs.all())
    can_edit = can(request.user, "edit_work_orders", request) and not work_order.is_closed
    can_reopen = can(request.user, "reopen_invoices", request) and work_order.is_closed
    # One query for the people and one for the statuses; each select reuses them
    # rather than running its own count and cursor. Only the forms drawn ask: a page
    # that cannot be edited (an invoice, a viewer) shows no people nor packages, and
    # the statuses only to someone who may reopen it.
    staff = list(selectors.employees()) if can_edit else []
    technicians = [u for u in staff if u.role == User.Role.TECHNICIAN]
    people = [(u.pk, str(u)) for u in staff if u.role != User.Role.TECHNICIAN]
    status_rows = list(selectors.status_list()) if can_edit or can_reopen else []
    statuses = [(s.pk, str(s)) for s in status_rows]
    packages = [(p.pk, p.name) for p in selectors.package_choices()] if can_edit else []
    blank = [("", "---------")]
    for job in jobs:
        _attach_job_forms(job, work_order, technicians)
    header_form = forms.get("header_form") or WorkOrderHeaderForm(initial=header_initial)
    header_form.fields["advisor"].choices = blank + people
    header_form.fields["default_technician"].choices = blank + [(u.pk, str(u)) for u in technicians]
    status_form = StatusChangeForm(initial={**version, "status": work_order.status_id})
    status_form.fields["status"].choices = statuses
    history = list(selectors.status_history(work_order))
    reopen_status = (
        selectors.reopen_status_default(work_order, history, status_rows) if can_reopen else None
    )
    reopen_form = ReopenForm(initial={**version, "status": reopen_status})
    reopen_form.fields["status"].choices = statuses
    package_form = PackageChoiceForm(initial=version)
    package_form.fields["package"].choices = blank + packages
    # ?edit_line=: a line's row opened as a form (Edit without htmx).
    edit_line = request.GET.get("edit_line", "")
    edit_line_id, edit_line_form = None, None
    if can_edit and edit_line.isdigit():
        for line in (line for job in jobs for line in job.lines.all()):
            if line.pk == int(edit_line):
                line.work_order = work_order
                edit_line_id = line.pk
                edit_line_form = _line_edit_form(line, technicians)
    return {
        "wo": work_order,
        "jobs": jobs,
        "edit_line_id": edit_line_id,
        "edit_line_form": edit_line_form,
        "header_form": header_form,
        "status_form": status_form,
        "reopen_form": reopen_form,
        "job_form": forms.get("job_form") or JobForm(initial=version),
        "package_form": package_form,
        "history": history,
        "approvals": selectors.approvals_newest_first(jobs),
        "can_edit": can_edit,
        "can_reopen": can_reopen,
    }


@security_function("view_work_orders")
def editor(request: HttpRequest, work_order_id: int) -> HttpResponse:
    try:
        work_order = selectors.work_order_for_editor(work_order_id)
    except WorkOrder.DoesNotExist:
        raise Http404("No such work order.") from None
    if not selectors.may_see(request.user, work_order, request):
        raise Http404("No such work order.")
    return render(request, "workorders/editor.html", _editor_context(request, work_order))


def _back(work_order_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("workorders:editor", args=[work_order_id])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@require_POST
@security_function("edit_work_orders")
def header_save(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    form = WorkOrderHeaderForm(request.POST)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        try:
            services.workorder_update(
                by=request.user, work_order=work_order, version=version, **fields
            )
        except ServiceError as error:
            refuse_if_hidden(error)
            form_error(form, error)
        else:
            messages.success(request, f"{work_order} was saved.")
            return _back(work_order.pk)
    work_order = selectors.work_order_for_editor(work_order.pk)
    return render(
        request,
        "workorders/editor.html",
        _editor_context(request, work_order, header_form=form),
    )


@require_POST
@security_function("edit_work_orders")
def status_change(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
        return _back(work_order.pk)
    try:
        work_order = services.workorder_status_set(
            by=request.user,
            work_order=work_order,
            version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except ServiceError as error:
        refuse_if_hidden(error)
        messages.error(request, error.message)
    else:
        if work_order.is_closed:
            messages.success(request, f"Billed out: invoice #{work_order.pk} is closed.")
        else:
            messages.success(request, f"Status: {work_order.status}.")
    return _back(work_order.pk)


@require_POST
@security_function("reopen_invoices")
def reopen(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the status to reopen it in and say why.")
        return _back(work_order.pk)
    try:
        services.workorder_reopen(by=request.user, work_order=work_order, **form.cleaned_data)
    except ServiceError as error:
        refuse_if_hidden(error)
        messages.error(request, error.message)
    else:
        messages.success(request, f"Invoice #{work_order.pk} was reopened.")
    return _back(work_order.pk)


@require_POST
@security_function("edit_work_orders")
def job_add(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = get_object_or_404(WorkOrder, pk=work_order_id)
    try:
        if "package" in request.POST:
            form = PackageChoiceForm(request.POST)
            if not form.is_valid():
                raise ServiceError("Choose a package.")
            job = services.job_add_package(
                by=request.user, work_order=work_order, **form.cleaned_data
            )
        else:
            form = JobForm(request.POST)
            if not form.is_valid():
                raise ServiceError("A job needs a title, e.g. “Front brakes”.")
            job = services.job_add(by=request.user, work_order=work_order, **form.cleaned_data)
    except ServiceError as error:
        refuse_if_hidden(error)
        messages.error(request, error.message)
        return _back(work_order.pk, "add-job")
    return _back(work_order.pk, f"job-{job.pk}")


def _job_response(
    request: HttpRequest,
    job_id: int,
    *,
    line_form: LineForm | None = None,
    error=None,
    with_approvals: bool = False,
) -> HttpResponse:
    """The job re-drawn, with the totals and the new version out of band (htmx); after an
    approval, the work order's list of approvals too."""
    job = selectors.job_for_editor(job_id)
    work_order = job.work_order
    if line_form is not None:
        line_form.auto_id = f"job{job.pk}_%s"
    _attach_job_forms(job, work_order, list(selectors.technicians()), line_form)
    context = {
        "wo": work_order,
        "job": job,
        "job_error": error.message if error else "",
        "can_edit": not work_order.is_closed,
        "oob": True,
        # After a conflict the page keeps its old version: the advisor must reload
        # to see the other change rather than overwrite it from a stale page.
        "send_version": not (error and error.code == "conflict"),
        "approvals": list(selectors.approval_trail(work_order)) if with_approvals else None,
    }
    return render(request, "workorders/partials/job_response.html", context)


@require_POST
@security_function("edit_work_orders")
def line_add(request: HttpRequest, work_order_id: int, job_id: int) -> HttpResponse:
    """Add a line. For htmx the answer is the same size however long the job is: a fresh
    form, the new rows (the part and any labor line the rule added) appended out of band,
    the totals and the new version."""
    job = get_object_or_404(Job, pk=job_id, work_order_id=work_order_id)
    form = LineForm(request.POST, auto_id=f"job{job.pk}_%s")
    error = None
    line = None
    if form.is_valid():
        try:
            line = services.line_add(
                by=request.user,
                job=job,
                version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ServiceError as service_error:
            refuse_if_hidden(service_error)
            form_error(form, service_error)
            # A field's error shows beside the field; the others above the form.
            error = None if service_error.field in form.fields else service_error
    if not request.htmx:
        if line is None:
            field_errors = " ".join(e for errors in form.errors.values() for e in errors)
            messages.error(request, error.message if error else field_errors)
        return _back(work_order_id, f"job-{job.pk}")
    work_order = WorkOrder.objects.get(pk=work_order_id)
    new_lines: list[Line] = []
    was_empty = False
    if line is not None:
        form = LineForm(auto_id=f"job{job.pk}_%s", initial={"version": work_order.version})
        new_lines = list(Line.objects.filter(job=job, pk__gte=line.pk).select_related("technician"))
        was_empty = not Line.objects.filter(job=job, pk__lt=line.pk).exists()
    job.line_form = form
    context = {
        "wo": work_order,
        "job": job,
        "new_lines": new_lines,
        "was_empty": was_empty,
        "line_error": error.message if error else "",
        "can_edit": True,
        "oob": True,
        # After a conflict the page keeps its old version: reload rather than overwrite.
        "send_version": not (error and error.code == "conflict"),
    }
    return render(request, "workorders/partials/line_added.html", context)


@require_POST
@security_function("edit_work_orders")
def line_remove(request: HttpRequest, work_order_id: int, job_id: int) -> HttpResponse:
    """The job's Remove buttons share one form; the button pressed names the line."""
    line = get_object_or_404(
        Line, pk=request.POST.get("line") or 0, job_id=job_id, work_order_id=work_order_id
    )
    error = None
    try:
        version = int(request.POST.get("version") or 0)
        services.line_remove(by=request.user, line=line, version=version)
    except ValueError:
        error = ServiceError("Reload the work order and try again.")
    except ServiceError as service_error:
        refuse_if_hidden(service_error)
        error = service_error
    if not request.htmx:
        if error:
            messages.error(request, error.message)
        return _back(work_order_id, f"job-{job_id}")
    return _job_response(request, job_id, error=error)


@require_POST
@security_function("edit_work_orders")
def job_notes(request: HttpRequest, work_order_id: int, job_id: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id, work_order_id=work_order_id)
    form = JobNotesForm(request.POST, technicians=list(selectors.technicians()))
    error = None
    if form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        try:
            services.job_update(by=request.user, job=job, version=version, **fields)
        except ServiceError as service_error:
            refuse_if_hidden(service_error)
            error = service_error
    else:
        error = ServiceError("Check the job's technician and notes.")
    if not request.htmx:
        if error:
            messages.error(request, error.message)
        return _back(work_order_id, f"job-{job.pk}")
    return _job_response(request, job.pk, error=error)


# --- A line edited in place: Edit turns its row into a form, Save or Cancel turn it back. ---


def _line_in(request: HttpRequest, work_order_id: int, job_id: int, line_id: int) -> Line:
    line = get_object_or_404(
        Line.objects.select_related("work_order", "job", "technician"),
        pk=line_id,
        job_id=job_id,
        work_order_id=work_order_id,
    )
    if not selectors.may_see(request.user, line.work_order, request):
        raise Http404("No such work order.")
    return line


def _line_edit_form(line: Line, technicians: list, data=None) -> LineEditForm:
    initial = None if data is not None else {"version": line.work_order.version}
    form = LineEditForm(data, line=line, technicians=technicians, auto_id=f"line{line.pk}_%s")
    if initial:
        form.initial["version"] = initial["version"]
    return form


def _line_row(request: HttpRequest, line: Line, **context) -> HttpResponse:
    return render(
        request,
        "workorders/partials/line_row.html",
        {"wo": line.work_order, "job": line.job, "line": line, "focus_edit": True, **context},
    )


@security_function("view_work_orders")
def line_row(request: HttpRequest, work_order_id: int, job_id: int, line_id: int) -> HttpResponse:
    """The line's row as it reads (Cancel of an edit, for htmx)."""
    line = _line_in(request, work_order_id, job_id, line_id)
    if not request.htmx:
        return _back(work_order_id, f"line-{line.pk}")
    can_edit = can(request.user, "edit_work_orders", request) and not line.work_order.is_closed
    return _line_row(request, line, can_edit=can_edit)


@security_function("edit_work_orders")
def line_edit(request: HttpRequest, work_order_id: int, job_id: int, line_id: int) -> HttpResponse:
    """GET: the line's row as a form (htmx; a page load opens the editor with it open).
    POST: save it. For htmx the answer is the row, the totals and the new version (out of
    band); a refusal keeps the form with what was typed and says why."""
    line = _line_in(request, work_order_id, job_id, line_id)
    technicians = list(selectors.technicians())
    editor_url = reverse("workorders:editor", args=[work_order_id])
    if request.method == "GET":
        if not request.htmx:
            return redirect(f"{editor_url}?edit_line={line.pk}#line-{line.pk}")
        if line.work_order.is_closed:
            return _line_row(request, line, can_edit=False)
        form = _line_edit_form(line, technicians)
        return render(
            request,
            "workorders/partials/line_edit_row.html",
            {"wo": line.work_order, "job": line.job, "line": line, "form": form},
        )
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    form = _line_edit_form(line, technicians, request.POST)
    error = None
    saved = None
    if form.is_valid():
        try:
            saved = services.line_update(
                by=request.user,
                line=line,
                version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ServiceError as service_error:
            form_error(form, service_error)
            error = None if service_error.field in form.fields else service_error
    if not request.htmx:
        if saved is None:
            field_errors = " ".join(e for errors in form.errors.values() for e in errors)
            messages.error(request, error.message if error else field_errors)
            return redirect(f"{editor_url}?edit_line={line.pk}#line-{line.pk}")
        messages.success(request, f"The line “{saved.description}” was saved.")
        return _back(work_order_id, f"line-{line.pk}")
    if saved is None:
        return render(
            request,
            "workorders/partials/line_edit_row.html",
            {
                "wo": line.work_order,
                "job": line.job,
                "line": line,
                "form": form,
                "line_error": error.message if error else "",
            },
        )
    work_order = WorkOrder.objects.get(pk=work_order_id)
    line = Line.objects.select_related("technician").get(pk=line.pk)
    return render(
        request,
        "workorders/partials/line_saved.html",
        {
            "wo": work_order,
            "job": line.job,
            "line": line,
            "can_edit": True,
            "focus_edit": True,
            "oob": True,
            "send_version": True,
        },
    )
