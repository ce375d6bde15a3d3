import random

import pytest

from tests.workorders.factories import VehicleFactory
from workorders import seeding
from workorders.models import Appointment, Line, Package, Status, StatusChange, WorkOrder
from workorders.services import totals_compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_staff(db):
    from io import StringIO

    from shop.seeding import seed_demo as shop_seed_demo

    shop_seed_demo(StringIO())


def test_seed_demo_makes_a_lively_day_and_is_idempotent(demo_staff, shop_rates):
    from io import StringIO

    seeding.seed_demo(StringIO())
    counts = (
        WorkOrder.objects.count(),
        Appointment.objects.count(),
        Package.objects.count(),
        Status.objects.count(),
    )
    assert counts[0] >= 13 and counts[1] == 10 and counts[2] >= 5 and counts[3] == 17
    stages = set(WorkOrder.objects.values_list("stage", flat=True))
    assert stages == {"estimate", "repair_order", "invoice"}
    assert WorkOrder.objects.filter(stage="invoice", closed_at__isnull=False).exists()
    seeding.seed_demo(StringIO())
    assert (
        WorkOrder.objects.count(),
        Appointment.objects.count(),
        Package.objects.count(),
        Status.objects.count(),
    ) == counts


def test_seed_work_orders_writes_consistent_totals_and_history(demo_staff, shop_rates):
    from io import StringIO

    vehicles = [VehicleFactory() for _ in range(5)]
    counts = seeding.seed_work_orders(StringIO(), rng=random.Random(1), total=60, history_visits=8)
    assert counts["work_orders"] == 60 and counts["lines"] >= 60 * 3
    assert WorkOrder.objects.filter(vehicle=vehicles[0]).count() >= 8
    for wo in WorkOrder.objects.all()[:20]:
        totals = totals_compute(
            Line.objects.filter(work_order=wo).values("kind", "amount", "discount", "taxable"),
            wo.tax_rate,
        )
        assert totals.grand == wo.grand_total
        assert totals.tax == wo.tax_total
        assert wo.customer_id == wo.vehicle.customer_id
    assert StatusChange.objects.filter(kind="created").count() == 60
    # The sequences carry on after the explicit ids.
    extra = seeding.seed_work_orders(StringIO(), rng=random.Random(2), total=3)
    assert extra["work_orders"] == 3 and WorkOrder.objects.count() == 63


def test_seed_demo_ships_a_multi_point_sheet_the_first_inspection_uses(demo_staff, shop_rates):
    from io import StringIO

    from shop.models import User
    from workorders import services
    from workorders.models import InspectionSheet, Stage

    seeding.seed_demo(StringIO())
    seeding.seed_demo(StringIO())
    sheet = InspectionSheet.objects.get()
    exported = services.sheet_export(sheet)
    titles = [section["title"] for section in exported["sections"]]
    assert titles[:5] == ["Under hood", "Brakes", "Tires", "Steering and suspension", "Lights"]
    labels = [item["label"] for section in exported["sections"] for item in section["items"]]
    assert 28 <= len(labels) <= 40 and len(set(labels)) == len(labels)
    repair_order = WorkOrder.objects.filter(stage=Stage.REPAIR_ORDER, closed_at=None).first()
    tech = User.objects.get(username="tech")
    inspection = services.inspection_start(by=tech, work_order=repair_order, sheet=sheet)
    assert inspection.results.count() == len(labels)
