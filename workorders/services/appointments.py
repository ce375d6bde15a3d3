"""Appointments: booked, moved or cancelled, and turned into a work order in one click."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from customers.models import Vehicle
from shop.errors import ServiceError
from shop.models import User
from workorders.models import Appointment, WorkOrder
from workorders.services.work_orders import workorder_create


def _concern(concern: str) -> str:
    concern = concern.strip()
    if not concern:
        raise ServiceError("Write down the customer's concern.", field="concern")
    return concern


def _check_vehicle(vehicle: Vehicle) -> None:
    if not vehicle.is_active:
        raise ServiceError(f"{vehicle} is disabled; enable it before booking it in.")


@transaction.atomic
def appointment_create(
    *,
    by: User,
    vehicle: Vehicle,
    starts_at: datetime,
    concern: str,
    advisor: User | None = None,
) -> Appointment:
    concern = _concern(concern)
    _check_vehicle(vehicle)
    return Appointment.objects.create(
        starts_at=starts_at,
        customer_id=vehicle.customer_id,
        vehicle=vehicle,
        concern=concern,
        advisor=advisor or by,
    )


def _appointment_claim(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("vehicle")
        .get(pk=appointment.pk)
    )


def _check_bookable(appointment: Appointment, doing: str) -> None:
    if appointment.work_order_id is not None:
        raise ServiceError(
            f"This appointment is already work order #{appointment.work_order_id}; "
            f"{doing} the work order instead.",
            code="converted",
        )
    if appointment.cancelled_at is not None:
        raise ServiceError("This appointment was cancelled.", code="cancelled")


@transaction.atomic
def appointment_update(
    *,
    by: User,
    appointment: Appointment,
    starts_at: datetime | None = None,
    concern: str | None = None,
    advisor: User | None = None,
    vehicle: Vehicle | None = None,
) -> Appointment:
    """Move an appointment, or change its concern, advisor or vehicle (the customer follows
    the vehicle). What is not given (None) stays as it is on the locked row, so two people
    changing different things do not undo each other."""
    appointment = _appointment_claim(appointment)
    _check_bookable(appointment, "change")
    if concern is not None:
        appointment.concern = _concern(concern)
    if vehicle is not None and vehicle.pk != appointment.vehicle_id:
        _check_vehicle(vehicle)
        appointment.vehicle = vehicle
        appointment.customer_id = vehicle.customer_id
    if starts_at is not None:
        appointment.starts_at = starts_at
    if advisor is not None:
        appointment.advisor = advisor
    appointment.save(
        update_fields=["starts_at", "concern", "advisor", "vehicle", "customer", "updated_at"]
    )
    return appointment


@transaction.atomic
def appointment_cancel(
    *, by: User | None, appointment: Appointment, reason: str = ""
) -> Appointment:
    """Cancel an appointment: it leaves the board and stays on the day's list, with why."""
    appointment = _appointment_claim(appointment)
    _check_bookable(appointment, "cancel")
    appointment.cancelled_at = timezone.now()
    appointment.cancelled_by = by
    appointment.cancel_reason = (reason or "").strip()[:200]
    appointment.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    return appointment


@transaction.atomic
def appointment_convert(*, by: User, appointment: Appointment) -> WorkOrder:
    """The appointment's estimate: its customer, vehicle and concern, its advisor."""
    appointment = _appointment_claim(appointment)
    if appointment.work_order_id is not None:
        raise ServiceError(
            f"This appointment is already work order #{appointment.work_order_id}.",
            code="converted",
        )
    if appointment.cancelled_at is not None:
        raise ServiceError("This appointment was cancelled; book it again first.", code="cancelled")
    work_order = workorder_create(
        by=by,
        vehicle=appointment.vehicle,
        advisor=appointment.advisor or by,
        concern=appointment.concern,
    )
    appointment.work_order = work_order
    appointment.save(update_fields=["work_order", "updated_at"])
    return work_order
