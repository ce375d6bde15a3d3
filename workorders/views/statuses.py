"""Edit statuses: the shop's statuses and the work-order settings."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import security_function
from workorders import selectors, services
from workorders.forms import StatusForm, WorkOrderSettingsForm
from workorders.models import Stage, Status


@security_function("edit_statuses")
def status_list(request: HttpRequest) -> HttpResponse:
    row = selectors.workorder_settings_get()
    statuses = list(Status.objects.annotate(in_use=Count("work_orders")).order_by("number"))
    for status in statuses:
        stage = row.stage_for(status.number)
        status.stage_label = Stage(stage).label if stage else "No stage"
    return render(request, "workorders/status_list.html", {"statuses": statuses, "settings": row})


@security_function("edit_statuses")
def status_edit(request: HttpRequest, status_id: int | None = None) -> HttpResponse:
    status = get_object_or_404(Status, pk=status_id) if status_id else None
    form = StatusForm(request.POST or None, instance=status)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if status is None:
                status = services.status_create(by=request.user, **fields)
            else:
                services.status_update(by=request.user, status=status, **fields)
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, f"Status {status.number} “{status.name}” was saved.")
            return redirect("workorders:statuses")
    return render(request, "workorders/status_edit.html", {"form": form, "status": status})


@require_POST
@security_function("edit_statuses")
def status_delete(request: HttpRequest, status_id: int) -> HttpResponse:
    status = get_object_or_404(Status, pk=status_id)
    try:
        services.status_delete(by=request.user, status=status)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Status “{status}” was deleted.")
    return redirect("workorders:statuses")


@security_function("edit_statuses")
def settings_edit(request: HttpRequest) -> HttpResponse:
    row = selectors.workorder_settings_get()
    form = WorkOrderSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.workorder_settings_update(
                by=request.user, **{name: form.cleaned_data[name] for name in form.fields}
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(request, "The work-order settings were saved.")
            return redirect("workorders:statuses")
    return render(request, "workorders/settings.html", {"form": form})
