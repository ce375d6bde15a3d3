from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import OdometerReading, Vehicle
from customers.services.mileage import annual_mileage_estimate, vehicle_odometer_record
from tests.customers.factories import VehicleFactory

pytestmark = pytest.mark.django_db


def test_the_estimate_needs_two_readings_far_enough_apart():
    now = timezone.now()
    assert annual_mileage_estimate([(now, 1000)]) is None
    assert annual_mileage_estimate([(now - timedelta(days=10), 1000), (now, 2000)]) is None
    assert annual_mileage_estimate([(now - timedelta(days=365), 50_000), (now, 40_000)]) is None
    year = [(now - timedelta(days=365), 40_000), (now - timedelta(days=100), 45_000), (now, 58_240)]
    assert annual_mileage_estimate(year) == 18_200


def test_a_visit_moves_the_odometer_on_and_re_estimates(owner):
    vehicle = VehicleFactory(odometer=40_000)
    assert vehicle.annual_mileage == 13_000
    now = timezone.now()
    vehicle_odometer_record(
        vehicle_id=vehicle.pk, reading=40_000, read_at=now - timedelta(days=180), source="a"
    )
    vehicle = vehicle_odometer_record(
        vehicle_id=vehicle.pk, reading=44_000, read_at=now, source="b"
    )
    assert (vehicle.odometer, vehicle.annual_mileage) == (44_000, 8_100)
    # The same source again corrects its reading instead of adding one.
    vehicle_odometer_record(vehicle_id=vehicle.pk, reading=45_000, read_at=now, source="b")
    assert OdometerReading.objects.filter(vehicle=vehicle).count() == 2
    assert Vehicle.objects.get(pk=vehicle.pk).annual_mileage == 10_100
