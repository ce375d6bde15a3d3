"""The work orders' own reactions to their events (workorders/subscriptions.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import OdometerReading
from tests.customers.factories import VehicleFactory
from workorders import services
from workorders.events import work_order_closed
from workorders.models import WorkOrder
from workorders.seeding import statuses_ensure

pytestmark = pytest.mark.django_db


def test_a_billed_out_work_order_is_recorded_as_a_visit(owner):
    statuses_ensure()
    vehicle = VehicleFactory(odometer=30_000)
    earlier = services.workorder_create(by=owner, vehicle=vehicle, odometer_in=30_000)
    later = services.workorder_create(by=owner, vehicle=vehicle, odometer_in=36_500)
    for work_order, days_ago in ((earlier, 365), (later, 0)):
        work_order.closed_at = timezone.now() - timedelta(days=days_ago)
        work_order_closed.send(sender=WorkOrder, work_order=work_order, by=owner)
    vehicle.refresh_from_db()
    assert (vehicle.odometer, vehicle.annual_mileage) == (36_500, 6_500)


def test_it_records_the_visit_when_billing_out_through_the_service(estimate, advisor, statuses):
    job = services.job_add(
        by=advisor, work_order=estimate, version=estimate.version, title="Brakes", category=""
    )
    services.line_add(
        by=advisor,
        job=job,
        version=WorkOrder.objects.get(pk=estimate.pk).version,
        kind="labor",
        description="Replace pads",
        quantity="1",
    )
    work_order = WorkOrder.objects.get(pk=estimate.pk)
    work_order = services.workorder_status_set(
        by=advisor, work_order=work_order, version=work_order.version, status=statuses[7]
    )
    assert not OdometerReading.objects.filter(vehicle=estimate.vehicle).exists()
    invoice = services.workorder_status_set(
        by=advisor, work_order=work_order, version=work_order.version, status=statuses[17]
    )
    reading = OdometerReading.objects.get(vehicle=estimate.vehicle)
    assert (reading.reading, reading.source) == (84210, f"work order {invoice.pk}")
    assert reading.read_at == invoice.closed_at
    estimate.vehicle.refresh_from_db()
    assert estimate.vehicle.odometer == 84210


def test_it_records_nothing_without_an_odometer_reading(owner):
    statuses_ensure()
    vehicle = VehicleFactory(odometer=30_000)
    work_order = services.workorder_create(by=owner, vehicle=vehicle)
    work_order.closed_at = timezone.now()
    work_order_closed.send(sender=WorkOrder, work_order=work_order, by=owner)
    assert not OdometerReading.objects.filter(vehicle=vehicle).exists()
