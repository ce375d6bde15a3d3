"""What work orders contribute to a customer's and a vehicle's history (customers.history):
work orders, appointments and inspections, each under its own security function."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from customers.history import HistoryRow, HistoryRows, history_source_register, split_more
from customers.models import Customer, Vehicle
from workorders.models import Appointment, Inspection, WorkOrder
from workorders.selectors import may_see

_PLACEHOLDER = 987654321


def _url_pattern(name: str) -> str:
    """A URL with "{}" where the id goes: reversed once per section, not once per row."""
    return reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "M j, Y")


def _work_order_rows(
    request: HttpRequest, queryset: QuerySet[WorkOrder], limit: int, *, show_vehicle: bool
) -> tuple[list[HistoryRow], bool]:
    editor = _url_pattern("workorders:editor")
    work_orders, more = split_more(
        list(
            queryset.select_related("vehicle", "status").order_by("-created_at", "-id")[: limit + 1]
        ),
        limit,
    )
    rows = []
    for work_order in work_orders:
        day = _day(work_order.created_at)
        vehicle = [str(work_order.vehicle)] if show_vehicle else []
        # An estimate stays plain text for those who may not see estimates: the editor
        # would refuse them. (The levels are read once per request, not once per row.)
        openable = may_see(request.user, work_order, request)
        rows.append(
            HistoryRow(
                str(work_order),
                url=editor.format(work_order.pk) if openable else "",
                label=f"{work_order}, {day}",
                details=(
                    day,
                    work_order.status.name,
                    *vehicle,
                    f"${floatformat(work_order.grand_total, '2g')}",
                ),
            )
        )
    return rows, more


def customer_work_orders(request: HttpRequest, customer: Customer, limit: int) -> HistoryRows:
    rows, more = _work_order_rows(
        request, WorkOrder.objects.filter(customer=customer), limit, show_vehicle=True
    )
    url = reverse("workorders:customer_history", args=[customer.pk]) if more else ""
    return HistoryRows(rows, more=more, more_url=url)


def vehicle_work_orders(request: HttpRequest, vehicle: Vehicle, limit: int) -> HistoryRows:
    rows, more = _work_order_rows(
        request, WorkOrder.objects.filter(vehicle=vehicle), limit, show_vehicle=False
    )
    url = reverse("workorders:vehicle_history", args=[vehicle.pk]) if more else ""
    return HistoryRows(rows, more=more, more_url=url)


def _appointment_rows(
    queryset: QuerySet[Appointment], limit: int, *, show_vehicle: bool
) -> HistoryRows:
    edit = _url_pattern("workorders:appointment_edit")
    appointments, more = split_more(
        list(queryset.select_related("vehicle").order_by("-starts_at", "-id")[: limit + 1]),
        limit,
    )
    rows = []
    for appointment in appointments:
        # The shop's time zone, whatever the server's: the stored time is UTC.
        starts = timezone.localtime(appointment.starts_at, timezone.get_default_timezone())
        when = date_format(starts, "M j, Y g:i A")
        vehicle = [str(appointment.vehicle)] if show_vehicle else []
        state = ["Cancelled"] if appointment.cancelled_at else []
        rows.append(
            HistoryRow(
                when,
                url=edit.format(appointment.pk),
                label=f"Appointment {when}",
                details=(*vehicle, appointment.concern[:80], *state),
            )
        )
    return HistoryRows(rows, more=more, more_url=reverse("workorders:appointments") if more else "")


def customer_appointments(request: HttpRequest, customer: Customer, limit: int) -> HistoryRows:
    return _appointment_rows(
        Appointment.objects.filter(customer=customer), limit, show_vehicle=True
    )


def vehicle_appointments(request: HttpRequest, vehicle: Vehicle, limit: int) -> HistoryRows:
    return _appointment_rows(Appointment.objects.filter(vehicle=vehicle), limit, show_vehicle=False)


def vehicle_inspections(request: HttpRequest, vehicle: Vehicle, limit: int) -> HistoryRows:
    inspections, more = split_more(
        list(
            Inspection.objects.filter(vehicle=vehicle)
            .select_related("work_order")
            .order_by("-started_at", "-id")[: limit + 1]
        ),
        limit,
    )
    rows = [
        HistoryRow(
            f"{inspection.sheet_name}, {_day(inspection.inspected_at or inspection.started_at)}",
            details=(
                str(inspection.work_order),
                "Completed" if inspection.completed_at else "In progress",
            ),
        )
        for inspection in inspections
    ]
    return HistoryRows(rows, more=more)


def register() -> None:
    history_source_register(
        key="work_orders",
        title="Work orders",
        security_function="view_work_orders",
        order=10,
        customer_rows=customer_work_orders,
        vehicle_rows=vehicle_work_orders,
    )
    history_source_register(
        key="appointments",
        title="Appointments",
        security_function="manage_appointments",
        order=20,
        customer_rows=customer_appointments,
        vehicle_rows=vehicle_appointments,
    )
    history_source_register(
        key="inspections",
        title="Inspections",
        security_function="inspect_vehicles",
        order=30,
        vehicle_rows=vehicle_inspections,
    )
