"""Editing a line in place: totals follow, the editor's conflict protection, locked invoices,
bad values refused with nothing changed, the automatic labor line editable."""

from decimal import Decimal

import pytest

from shop.errors import ServiceError
from workorders import services
from workorders.models import Line, WorkOrder

pytestmark = pytest.mark.django_db


def fresh(work_order) -> WorkOrder:
    return WorkOrder.objects.get(pk=work_order.pk)


@pytest.fixture
def job(estimate, advisor):
    return services.job_add(
        by=advisor, work_order=estimate, version=None, title="Front brakes", category="Brakes"
    )


@pytest.fixture
def part(job, advisor):
    """Pads at $64.99, which bring the automatic labor line (1.0 h at $139)."""
    return services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="part",
        part_number="BP-1",
        description="Brake pads",
        quantity="1",
        unit_price="64.99",
    )


def labor(estimate) -> Line:
    return Line.objects.get(work_order=estimate, kind="labor")


def edit(advisor, line, **fields) -> Line:
    version = fresh(line.work_order).version
    return services.line_update(by=advisor, line=line, version=version, **fields)


def snapshot(estimate) -> tuple:
    work_order = fresh(estimate)
    lines = list(Line.objects.filter(work_order=estimate).order_by("id").values())
    return work_order.version, work_order.grand_total, lines


def test_the_automatic_labor_line_takes_new_hours_and_the_totals_follow(estimate, advisor, part):
    automatic = labor(estimate)
    assert automatic.added_by_rule and automatic.quantity == Decimal("1.00")
    edit(advisor, automatic, quantity="2.5")
    automatic = labor(estimate)
    assert automatic.quantity == Decimal("2.50")
    assert automatic.amount == Decimal("347.50")
    assert automatic.added_by_rule  # still the labor line of its category: no second one
    assert Line.objects.filter(work_order=estimate, kind="labor").count() == 1
    work_order = fresh(estimate)
    assert work_order.labor_total == Decimal("347.50")
    # 347.50 labor + 64.99 pads + 8.25 % tax on the pads (5.36).
    assert work_order.grand_total == Decimal("417.85")


def test_a_parts_description_quantity_price_and_tax_change_in_place(estimate, advisor, part):
    edit(
        advisor,
        part,
        description="Ceramic brake pads",
        quantity="2",
        unit_price="45.50",
        taxable=False,
    )
    line = Line.objects.get(pk=part.pk)
    assert (line.description, line.quantity, line.unit_price, line.amount, line.taxable) == (
        "Ceramic brake pads",
        Decimal("2.00"),
        Decimal("45.50"),
        Decimal("91.00"),
        False,
    )
    assert (line.position, line.kind, line.category) == (part.position, "part", "Brakes")
    work_order = fresh(estimate)
    assert (work_order.parts_total, work_order.tax_total) == (Decimal("91.00"), Decimal("0.00"))
    assert work_order.grand_total == Decimal("230.00")  # 91 + 139 labor, nothing taxed


def test_a_labor_line_takes_a_technician_and_an_empty_rate_is_the_shops(
    estimate, advisor, technician, part
):
    edit(advisor, labor(estimate), technician=technician, unit_price="99")
    assert labor(estimate).technician == technician
    edit(advisor, labor(estimate), unit_price="")
    assert labor(estimate).unit_price == Decimal("139.00")


def test_the_second_writer_is_told_it_changed_and_nothing_is_overwritten(estimate, advisor, part):
    opened = fresh(estimate).version
    services.line_update(by=advisor, line=part, version=opened, quantity="3")
    before = snapshot(estimate)
    with pytest.raises(ServiceError, match="changed by someone else") as refused:
        services.line_update(by=advisor, line=part, version=opened, quantity="5")
    assert refused.value.code == "conflict"
    assert snapshot(estimate) == before
    assert Line.objects.get(pk=part.pk).quantity == Decimal("3.00")


def test_a_billed_out_invoice_refuses_a_line_edit(estimate, advisor, part, statuses):
    services.workorder_status_set(
        by=advisor, work_order=estimate, version=None, status=statuses[17]
    )
    before = snapshot(estimate)
    with pytest.raises(ServiceError, match="billed out and locked") as refused:
        edit(advisor, part, quantity="2")
    assert refused.value.code == "locked"
    assert snapshot(estimate) == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"quantity": "-1"}, "quantity", "Quantity cannot be negative."),
        ({"quantity": "two"}, "quantity", "Quantity must be a number."),
        ({"unit_price": "abc"}, "unit_price", "The price must be a number."),
        ({"unit_price": "1e9"}, "unit_price", "The price is too large."),
        ({"description": "  "}, "description", "A line needs a description."),
        ({"discount": "100"}, "discount", "The discount cannot be more"),
        ({"part_number": "X" * 41}, "part_number", "at most 40 characters"),
    ],
)
def test_a_bad_value_is_refused_and_changes_nothing(
    estimate, advisor, part, fields, field, message
):
    before = snapshot(estimate)
    with pytest.raises(ServiceError, match=message) as refused:
        edit(advisor, part, **fields)
    assert refused.value.field == field
    assert snapshot(estimate) == before


def test_hours_of_a_labor_line_are_named_hours(estimate, advisor, part):
    with pytest.raises(ServiceError, match="Hours cannot be negative"):
        edit(advisor, labor(estimate), quantity="-0.5")


def test_a_part_cannot_take_a_technician_nor_a_new_kind(estimate, advisor, technician, part):
    before = snapshot(estimate)
    with pytest.raises(ServiceError, match="Only a labor line has a technician"):
        edit(advisor, part, technician=technician)
    with pytest.raises(ServiceError, match="kind cannot be changed"):
        edit(advisor, part, kind="labor")
    assert snapshot(estimate) == before


def test_an_unchanged_line_writes_nothing(estimate, advisor, part):
    before = snapshot(estimate)
    edit(advisor, part, description="Brake pads", quantity="1.00", unit_price="64.99")
    assert snapshot(estimate) == before


def test_a_removed_line_is_a_conflict(estimate, advisor, part):
    version = fresh(estimate).version
    Line.objects.filter(pk=part.pk).delete()
    with pytest.raises(ServiceError, match="removed meanwhile"):
        services.line_update(by=advisor, line=part, version=version, quantity="2")
