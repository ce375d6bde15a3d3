"""Appointments: booked for a date and time, turned into a work order in one click."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from customers.models import Vehicle
from shop.errors import ServiceError
from shop.models import User
from workorders.models import Appointment, WorkOrder
from workorders.services.work_orders import workorder_create


@transaction.atomic
def appointment_create(
    *,
    by: User,
    vehicle: Vehicle,
    starts_at: datetime,
    concern: str,
    advisor: User | None = None,
) -> Appointment:
    if not concern.strip():
        raise ServiceError("Write down the customer's concern.", field="concern")
    if not vehicle.is_active:
        raise ServiceError(f"{vehicle} is disabled; enable it before booking it in.")
    return Appointment.objects.create(
        starts_at=starts_at,
        customer_id=vehicle.customer_id,
        vehicle=vehicle,
        concern=concern.strip(),
        advisor=advisor or by,
    )


@transaction.atomic
def appointment_convert(*, by: User, appointment: Appointment) -> WorkOrder:
    """The appointment's estimate: its customer, vehicle and concern, its advisor."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("vehicle")
        .get(pk=appointment.pk)
    )
    if appointment.work_order_id is not None:
        raise ServiceError(
            f"This appointment is already work order #{appointment.work_order_id}.",
            code="converted",
        )
    work_order = workorder_create(
        by=by,
        vehicle=appointment.vehicle,
        advisor=appointment.advisor or by,
        concern=appointment.concern,
    )
    appointment.work_order = work_order
    appointment.save(update_fields=["work_order"])
    return work_order
