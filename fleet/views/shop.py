"""The shop's side: Send to Fleet, Fleet Communication, Save and Send to Fleet, cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fleet import selectors, services
from fleet.forms import CancelForm, NoteForm
from fleet.models import FleetNote
from fleet.snapshots import attach_decisions, snapshot_lines
from shop.errors import ServiceError
from shop.security import security_function
from workorders.forms import WorkOrderHeaderForm
from workorders.models import WorkOrder


def _fleet_work_order(work_order_id: int) -> tuple[WorkOrder, selectors.FleetStatus]:
    work_order = get_object_or_404(
        WorkOrder.objects.select_related("customer", "vehicle", "status"), pk=work_order_id
    )
    status = selectors.fleet_status(work_order)
    if status is None:
        raise Http404("This work order's account does not use fleet approval.")
    return work_order, status


def _back_to_editor(work_order_id: int) -> HttpResponse:
    return redirect(reverse("workorders:editor", args=[work_order_id]) + "#fleet")


@security_function("send_to_fleet")
def send(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """The Send to Fleet dialog: exactly what will be sent, notes, Submit Repair Order."""
    work_order, status = _fleet_work_order(work_order_id)
    error = ""
    if request.method == "POST":
        line_notes = {
            int(name.removeprefix("line_note_")): value
            for name, value in request.POST.items()
            if name.startswith("line_note_") and name.removeprefix("line_note_").isdigit()
        }
        try:
            fleet_request = services.fleet_request_submit(
                by=request.user,
                work_order=work_order,
                note=request.POST.get("note", ""),
                line_notes=line_notes,
            )
        except ServiceError as service_error:
            error = service_error.message
        else:
            messages.success(
                request,
                f"Sent to {status.account.company.name}: {fleet_request.get_state_display()}.",
            )
            return redirect("fleet:send", work_order.pk)
    snapshot = attach_decisions(status.snapshot, status.lines)
    context = {
        "wo": work_order,
        "fleet": status,
        "snapshot": snapshot,
        "error": error,
        "cancel_form": CancelForm(),
    }
    return render(request, "fleet/send.html", context, status=400 if error else 200)


@security_function("send_to_fleet")
def communication(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """Fleet Communication: every note, or with ?line= only that line's notes."""
    work_order, status = _fleet_work_order(work_order_id)
    line_key = request.GET.get("line") or request.POST.get("line") or None
    line_key = int(line_key) if line_key and str(line_key).isdigit() else None
    form = NoteForm(initial={"line": line_key})
    if request.method == "POST":
        form = NoteForm(request.POST)
        if status.request is None:
            form.add_error(None, "Send the work order to the fleet first.")
        elif form.is_valid():
            try:
                services.fleet_note_add(
                    request=status.request,
                    side=FleetNote.Side.SHOP,
                    author=str(request.user),
                    body=form.cleaned_data["body"],
                    line_key=form.cleaned_data["line"],
                )
            except ServiceError as error:
                form.add_error("body", error.message)
            else:
                url = reverse("fleet:communication", args=[work_order.pk])
                return redirect(url + (f"?line={line_key}" if line_key else ""))
    notes = list(selectors.notes_for(status.request, line_key)) if status.request else []
    lines = snapshot_lines(status.snapshot)
    if status.version is not None:
        lines = {**snapshot_lines(status.version.snapshot), **lines}
    context = {
        "wo": work_order,
        "fleet": status,
        "notes": notes,
        "line_key": line_key,
        "line": lines.get(line_key) if line_key else None,
        "lines": list(lines.values()),
        "form": form,
    }
    return render(request, "fleet/communication.html", context, status=400 if form.errors else 200)


@require_POST
@security_function("send_to_fleet")
def save_and_send(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """The editor's "Save and Send to Fleet": save the details, then resubmit."""
    work_order, _status = _fleet_work_order(work_order_id)
    form = WorkOrderHeaderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Check the work order's details: " + form.errors.as_text())
        return _back_to_editor(work_order.pk)
    fields = dict(form.cleaned_data)
    version = fields.pop("version")
    try:
        fleet_request = services.fleet_request_save_and_send(
            by=request.user, work_order=work_order, version=version, fields=fields
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{work_order} was saved and sent: {fleet_request.get_state_display()}."
        )
    return _back_to_editor(work_order.pk)


@require_POST
@security_function("send_to_fleet")
def cancel(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order, _status = _fleet_work_order(work_order_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.fleet_request_cancel(by=request.user, work_order=work_order, reason=reason)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The request to the fleet was cancelled.")
    return redirect("fleet:send", work_order.pk)
