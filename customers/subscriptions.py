"""What the customers app does when other apps publish events."""

from __future__ import annotations

from django.utils import timezone


def connect() -> None:
    from workorders.events import work_order_closed

    work_order_closed.connect(record_visit_mileage, dispatch_uid="customers.visit_mileage")


def record_visit_mileage(sender, work_order, **kwargs) -> None:
    """A billed-out work order is a visit: its odometer feeds the vehicle's annual mileage."""
    from customers.services import vehicle_odometer_record

    reading = work_order.odometer_out or work_order.odometer_in
    if not reading or not work_order.vehicle_id:
        return
    vehicle_odometer_record(
        vehicle_id=work_order.vehicle_id,
        reading=reading,
        read_at=work_order.closed_at or timezone.now(),
        source=f"work order {work_order.pk}",
    )
