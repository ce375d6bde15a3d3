"""Odometer readings from visits, and the annual mileage estimated from them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from customers import events
from customers.models import OdometerReading, Vehicle

# Readings closer together than this say little about a year's driving.
MIN_SPAN_DAYS = 60


def annual_mileage_estimate(readings: list[tuple[datetime, int]]) -> int | None:
    """Miles a year between the first and the last reading, rounded to 100; None if unknown."""
    if len(readings) < 2:
        return None
    readings = sorted(readings)
    (first_at, first), (last_at, last) = readings[0], readings[-1]
    days = (last_at - first_at).days
    if days < MIN_SPAN_DAYS or last <= first:
        return None
    return max(100, round((last - first) * 365 / days, -2))


@transaction.atomic
def vehicle_odometer_record(
    *, vehicle_id: int, reading: int, read_at: datetime, source: str
) -> Vehicle:
    """Keep a visit's reading; move the vehicle's odometer on and re-estimate its mileage."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle_id)
    OdometerReading.objects.update_or_create(
        vehicle=vehicle, source=source, defaults={"reading": reading, "read_at": read_at}
    )
    readings = list(vehicle.odometer_readings.values_list("read_at", "reading"))
    fields = []
    if reading > (vehicle.odometer or 0):
        vehicle.odometer = reading
        fields.append("odometer")
    estimate = annual_mileage_estimate(readings)
    if estimate is not None and estimate != vehicle.annual_mileage:
        vehicle.annual_mileage = estimate
        fields.append("annual_mileage")
    if fields:
        vehicle.save(update_fields=[*fields, "updated_at"])
        events.vehicle_changed.send(sender=Vehicle, vehicle=vehicle, created=False, by=None)
    return vehicle
