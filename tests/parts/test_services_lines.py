"""A catalog part put on a work order through parts (which wraps workorders' line service):
price from the matrix or typed (an override), cost and tax from the catalog, the core
charge line, the labor-line rule, and the PartLine that remembers the part."""

from decimal import Decimal

import pytest

from parts import services
from parts.models import PartLine
from shop.errors import ServiceError
from tests.parts.factories import PartFactory
from workorders.models import Line, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def battery(matrix):
    return PartFactory(
        number="BAT-H6",
        description="Battery, group H6, 760 CCA",
        category="Electrical",
        cost=Decimal("118.00"),
        core_charge=Decimal("18.00"),
    )


def test_it_adds_the_part_priced_by_the_matrix_with_its_core_and_labor(brake_job, advisor, battery):
    version = WorkOrder.objects.get(pk=brake_job.work_order_id).version
    line = services.part_line_add(by=advisor, job=brake_job, version=version, part=battery)
    assert (line.kind, line.part_number, line.description) == (
        "part",
        "BAT-H6",
        "Battery, group H6, 760 CCA",
    )
    assert line.unit_price == Decimal("196.67") and line.unit_cost == Decimal("118.00")
    assert line.taxable is True
    row = PartLine.objects.get(line=line)
    assert row.part == battery and row.catalog_price == Decimal("196.67")
    core = row.core_line
    assert (core.kind, core.unit_price, core.quantity) == ("fee", Decimal("18.00"), Decimal("1"))
    assert core.description == "Core charge: Battery, group H6, 760 CCA"
    # The labor-line rule still runs: the job's category has no labor line yet.
    assert Line.objects.filter(job=brake_job, kind="labor", added_by_rule=True).count() == 1
    work_order = WorkOrder.objects.get(pk=brake_job.work_order_id)
    assert work_order.parts_total == Decimal("196.67")
    assert work_order.fees_total == Decimal("18.00")


def test_a_typed_price_is_kept_and_the_catalog_price_remembered(brake_job, advisor, battery):
    line = services.part_line_add(
        by=advisor, job=brake_job, version=None, part=battery, unit_price="179.99", quantity="2"
    )
    assert line.unit_price == Decimal("179.99") and line.amount == Decimal("359.98")
    assert PartLine.objects.get(line=line).catalog_price == Decimal("196.67")
    assert PartLine.objects.get(line=line).core_line.quantity == Decimal("2")


def test_a_fixed_price_part_without_core_adds_one_line(brake_job, advisor, matrix):
    pads = PartFactory(fixed_price=Decimal("64.99"))
    services.part_line_add(by=advisor, job=brake_job, version=None, part=pads)
    assert Line.objects.filter(job=brake_job, kind="part").get().unit_price == Decimal("64.99")
    assert not Line.objects.filter(job=brake_job, kind="fee").exists()


def test_a_labor_item_without_a_rate_takes_the_shops(brake_job, advisor, matrix):
    labor = PartFactory(number="LAB-BRK", kind="labor", cost=Decimal("0"), taxable=False)
    line = services.part_line_add(by=advisor, job=brake_job, version=None, part=labor)
    assert line.unit_price == Decimal("139.00")
    assert PartLine.objects.get(line=line).catalog_price == Decimal("139.00")


def test_an_inactive_part_is_refused_and_nothing_is_added(brake_job, advisor, battery):
    battery.is_active = False
    battery.save()
    with pytest.raises(ServiceError, match="no longer offered"):
        services.part_line_add(by=advisor, job=brake_job, version=None, part=battery)
    assert not Line.objects.filter(job=brake_job).exists()


def test_a_stale_version_adds_nothing(brake_job, advisor, battery):
    with pytest.raises(ServiceError) as caught:
        services.part_line_add(by=advisor, job=brake_job, version=1, part=battery)
    assert caught.value.code == "conflict"
    assert not Line.objects.filter(job=brake_job).exists() and not PartLine.objects.exists()


def test_a_bad_quantity_or_price_adds_nothing(brake_job, advisor, battery):
    with pytest.raises(ServiceError, match="Quantity cannot be negative"):
        services.part_line_add(by=advisor, job=brake_job, version=None, part=battery, quantity="-1")
    with pytest.raises(ServiceError, match="The price cannot be negative"):
        services.part_line_add(
            by=advisor, job=brake_job, version=None, part=battery, unit_price="-5"
        )
    assert not Line.objects.filter(job=brake_job).exists() and not PartLine.objects.exists()
