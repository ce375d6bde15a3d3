"""Stock movements: received (average cost), adjusted (with why), counted, sold at bill-out
and returned on reopen; on hand is always the sum of the movements, which are never
changed; negative on hand is allowed and shown."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from parts import selectors, services
from parts.models import StockMovement
from shop.errors import ServiceError
from tests.parts.factories import PartFactory
from workorders import services as workorder_services
from workorders.models import Line, WorkOrder

pytestmark = pytest.mark.django_db


def _on_hand(part) -> Decimal:
    return selectors.stock_levels([part.pk])[part.pk].on_hand


def test_a_receipt_adds_stock_and_averages_the_cost(owner):
    part = PartFactory(cost=Decimal("10.00"))
    services.stock_receive(by=owner, part=part, quantity="4", unit_cost="10.00")
    services.stock_receive(by=owner, part=part, quantity="2", unit_cost="13.00")
    part.refresh_from_db()
    assert _on_hand(part) == 6
    assert part.average_cost == Decimal("11.00")  # (4 × 10 + 2 × 13) / 6
    # With nothing (or less than nothing) on hand, the receipt's cost is the average.
    services.stock_adjust(by=owner, part=part, quantity="-7", reason="Flood in the back room")
    services.stock_receive(by=owner, part=part, quantity="1", unit_cost="15.50")
    part.refresh_from_db()
    assert part.average_cost == Decimal("15.50") and _on_hand(part) == 0


def test_a_receipt_without_a_cost_takes_the_parts(owner):
    part = PartFactory(cost=Decimal("9.00"))
    movement = services.stock_receive(by=owner, part=part, quantity="1", unit_cost="")
    assert movement.unit_cost == Decimal("9.00")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s, p, u: s.stock_receive(by=u, part=p, quantity="0", unit_cost="1"),
            "at least one",
        ),
        (lambda s, p, u: s.stock_receive(by=u, part=p, quantity="-2", unit_cost="1"), "negative"),
        (lambda s, p, u: s.stock_receive(by=u, part=p, quantity="1", unit_cost="-1"), "negative"),
        (lambda s, p, u: s.stock_receive(by=u, part=p, quantity="x", unit_cost="1"), "a number"),
        (lambda s, p, u: s.stock_adjust(by=u, part=p, quantity="2", reason=" "), "Say why"),
        (lambda s, p, u: s.stock_adjust(by=u, part=p, quantity="0", reason="x"), "Give the change"),
        (lambda s, p, u: s.stock_count(by=u, part=p, counted="-1"), "negative"),
        (lambda s, p, u: s.stock_count(by=u, part=p, counted="1e9"), "too large"),
    ],
)
def test_bad_stock_input_is_refused_and_writes_nothing(owner, call, message):
    part = PartFactory()
    with pytest.raises(ServiceError, match=message):
        call(services, part, owner)
    assert not StockMovement.objects.exists()


def test_labor_items_have_no_stock(owner):
    labor = PartFactory(kind="labor", number="LABOR")
    with pytest.raises(ServiceError, match="labor item: it has no stock"):
        services.stock_receive(by=owner, part=labor, quantity="1", unit_cost="1")


def test_a_count_records_the_difference(owner):
    part = PartFactory()
    services.stock_receive(by=owner, part=part, quantity="5", unit_cost="1")
    count = services.stock_count(by=owner, part=part, counted="3")
    assert count.quantity == -2 and count.reason == "Counted 3"
    same = services.stock_count(by=owner, part=part, counted="3")
    assert same.quantity == 0 and _on_hand(part) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_a_movement_cannot_be_changed_or_deleted(owner):
    movement = services.stock_receive(by=owner, part=PartFactory(), quantity="5", unit_cost="1")
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        StockMovement.objects.filter(pk=movement.pk).update(quantity=50)
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        StockMovement.objects.filter(pk=movement.pk).delete()
    assert StockMovement.objects.get(pk=movement.pk).quantity == 5


def _bill_out(work_order, by, statuses):
    work_order = WorkOrder.objects.get(pk=work_order.pk)
    if work_order.stage == "estimate":
        workorder_services.workorder_status_set(
            by=by, work_order=work_order, version=None, status=statuses[6]
        )
    return workorder_services.workorder_status_set(
        by=by, work_order=work_order, version=None, status=statuses[17]
    )


def _reopen(work_order, by, statuses):
    work_order = WorkOrder.objects.get(pk=work_order.pk)
    return workorder_services.workorder_reopen(
        by=by, work_order=work_order, version=work_order.version, status=statuses[7], reason="Fix"
    )


def test_bill_out_sells_reopen_returns_and_a_second_bill_out_sells_the_difference(
    brake_job, advisor, owner, statuses, matrix
):
    pads = PartFactory(number="BP-D1210")
    hardware = PartFactory(number="HW-88", stocked=False)
    services.stock_receive(by=owner, part=pads, quantity="3", unit_cost="28")
    line = services.part_line_add(by=advisor, job=brake_job, version=None, part=pads, quantity="2")
    services.part_line_add(by=advisor, job=brake_job, version=None, part=hardware)
    workorder_services.line_add(
        by=advisor,
        job=brake_job,
        version=None,
        kind="part",
        description="Shop rag",
        quantity="1",
        unit_price="2",
    )
    work_order = brake_job.work_order
    workorder_services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[6]
    )
    assert selectors.stock_levels([pads.pk])[pads.pk].committed == 2
    _bill_out(work_order, advisor, statuses)
    assert _on_hand(pads) == 1
    assert selectors.stock_levels([pads.pk])[pads.pk].committed == 0
    assert not StockMovement.objects.filter(part=hardware).exists()  # non-stock: no shelf
    sale = StockMovement.objects.get(part=pads, kind="sold")
    assert (sale.kind, sale.quantity, sale.work_order_id) == ("sold", -2, work_order.pk)
    assert sale.reason == f"Invoice #{work_order.pk}" and sale.unit_cost == Decimal("28.00")

    _reopen(work_order, owner, statuses)
    assert _on_hand(pads) == 3
    assert StockMovement.objects.filter(part=pads, kind="returned").get().quantity == 2
    # Reopened: one fewer, billed out again — only one leaves the shelf.
    workorder_services.line_update(
        by=owner, line=Line.objects.get(pk=line.pk), version=None, quantity="1"
    )
    _bill_out(work_order, owner, statuses)
    assert _on_hand(pads) == 2
    assert StockMovement.objects.filter(part=pads).count() == 4  # received, sold, returned, sold


def test_a_sale_may_take_on_hand_below_zero(brake_job, advisor, statuses, matrix):
    pads = PartFactory()
    services.part_line_add(by=advisor, job=brake_job, version=None, part=pads)
    _bill_out(brake_job.work_order, advisor, statuses)
    assert _on_hand(pads) == -1


def test_a_declined_job_sells_nothing(brake_job, advisor, statuses, matrix):
    pads = PartFactory()
    services.part_line_add(by=advisor, job=brake_job, version=None, part=pads)
    other = workorder_services.job_add(
        by=advisor, work_order=brake_job.work_order, version=None, title="Wipers"
    )
    blades = PartFactory(number="WB-22", category="Maintenance")
    services.part_line_add(by=advisor, job=other, version=None, part=blades)
    work_order = WorkOrder.objects.get(pk=brake_job.work_order_id)
    workorder_services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[6]
    )
    workorder_services.job_approval_set(
        by=advisor,
        job=other,
        version=None,
        approval="declined",
        method="in_person",
    )
    _bill_out(work_order, advisor, statuses)
    assert _on_hand(pads) == -1 and _on_hand(blades) == 0
