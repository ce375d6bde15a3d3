"""What the work orders do when their own events fire, for the apps below them.

A billed-out work order is a visit, and its odometer feeds the vehicle's annual mileage
(customers.services.mileage). Customers sits below workorders and never imports it, so
the reaction lives here and calls down into the customers service.
"""

from __future__ import annotations

from django.utils import timezone

from customers.services import vehicle_odometer_record
from workorders import events


def connect() -> None:
    events.work_order_closed.connect(record_visit_mileage, dispatch_uid="workorders.visit_mileage")


def record_visit_mileage(sender, work_order, **kwargs) -> None:
    """Receiver of work_order_closed: the visit's reading, out (or in, when out is missing)."""
    reading = work_order.odometer_out or work_order.odometer_in
    if not reading or not work_order.vehicle_id:
        return
    vehicle_odometer_record(
        vehicle_id=work_order.vehicle_id,
        reading=reading,
        read_at=work_order.closed_at or timezone.now(),
        source=f"work order {work_order.pk}",
    )
