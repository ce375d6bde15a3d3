"""Appointments: the day's list, booking, moving and cancelling one, and turning one into a
work order."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from customers.models import Vehicle
from shop.errors import ServiceError
from shop.forms import form_error
from shop.security import security_function
from workorders import selectors, services
from workorders.forms import AppointmentCancelForm, AppointmentForm
from workorders.models import Appointment


def _when(moment: datetime) -> str:
    """ "Mon, Nov 30, 9:00 AM", 12-hour like the day's list; the year only when not this one."""
    local = timezone.localtime(moment)
    if local.year == timezone.localdate().year:
        return date_format(local, "D, M j, g:i A")
    return date_format(local, "D, M j, Y, g:i A")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


@security_function("manage_appointments")
def appointment_list(request: HttpRequest) -> HttpResponse:
    day = _day(request.GET.get("date", ""))
    return render(
        request,
        "workorders/appointment_list.html",
        {
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "appointments": selectors.appointments_on(day),
        },
    )


@security_function("manage_appointments")
def appointment_new(request: HttpRequest) -> HttpResponse:
    vehicle = None
    if (request.POST.get("vehicle") or request.GET.get("vehicle", "")).isdigit():
        vehicle = get_object_or_404(
            Vehicle.objects.select_related("customer"),
            pk=request.POST.get("vehicle") or request.GET["vehicle"],
        )
    form = AppointmentForm(request.POST or None, initial={"advisor": request.user.pk})
    if request.method == "POST" and vehicle is not None and form.is_valid():
        try:
            appointment = services.appointment_create(
                by=request.user, vehicle=vehicle, **form.cleaned_data
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"Booked: {appointment.vehicle}, {_when(appointment.starts_at)}."
            )
            return redirect(
                f"{reverse('workorders:appointments')}?date={timezone.localtime(appointment.starts_at).date()}"
            )
    query = request.GET.get("q", "")
    context = {
        "form": form,
        "chosen": vehicle,
        "query": query,
        "results": selectors.vehicle_search(query),
        "action": "appointment",
    }
    if request.htmx:
        return render(request, "workorders/partials/vehicle_results.html", context)
    return render(request, "workorders/appointment_new.html", context)


def _day_url(appointment: Appointment) -> str:
    day = timezone.localtime(appointment.starts_at).date()
    return f"{reverse('workorders:appointments')}?date={day}"


@security_function("manage_appointments")
def appointment_edit(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Move an appointment to another time, or change its concern or advisor; or cancel it."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("customer", "vehicle", "work_order"), pk=appointment_id
    )
    initial = {
        "starts_at": timezone.localtime(appointment.starts_at),
        "concern": appointment.concern,
        "advisor": appointment.advisor_id,
    }
    form = AppointmentForm(request.POST or None, initial=initial, booked_at=appointment.starts_at)
    if request.method == "POST" and form.is_valid():
        changes = form.cleaned_data
        moved = form.is_move(changes["starts_at"])
        if not moved:
            # The page shows whole minutes: keep the seconds the appointment was booked with.
            changes = {**changes, "starts_at": appointment.starts_at}
        try:
            appointment = services.appointment_update(
                by=request.user, appointment=appointment, **changes
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"Moved to {_when(appointment.starts_at)}" if moved else "Saved"
            )
            return redirect(_day_url(appointment))
    return render(
        request,
        "workorders/appointment_edit.html",
        {
            "appointment": appointment,
            "form": form,
            "cancel_form": AppointmentCancelForm(),
            "day_url": _day_url(appointment),
        },
    )


@require_POST
@security_function("manage_appointments")
def appointment_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment, pk=appointment_id)
    form = AppointmentCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the reason under 200 characters.")
        return redirect("workorders:appointment_edit", appointment.pk)
    try:
        appointment = services.appointment_cancel(
            by=request.user, appointment=appointment, reason=form.cleaned_data["reason"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("workorders:appointment_edit", appointment.pk)
    messages.success(request, f"Cancelled: {appointment.vehicle}, {appointment.customer}.")
    return redirect(_day_url(appointment))


@require_POST
@security_function("edit_work_orders")
def appointment_convert(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment, pk=appointment_id)
    try:
        work_order = services.appointment_convert(by=request.user, appointment=appointment)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("workorders:appointments")
    return redirect("workorders:editor", work_order.pk)
