"""On hand is the sum of the movements, whatever happens: a random mix of receipts,
adjustments, counts, bill-outs and reopens (property-based, with hypothesis); and two
advisors selling the last unit at the same moment (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parts import selectors, services
from parts.models import StockMovement
from tests.parts.factories import PartFactory, standard_matrix
from tests.workorders.factories import VehicleFactory
from workorders import services as workorder_services
from workorders.models import WorkOrder

WORK_ORDERS = 3

operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), st.integers(1, 5)),
        st.tuples(st.just("adjust"), st.integers(-3, 3).filter(bool)),
        st.tuples(st.just("count"), st.integers(0, 6)),
        st.tuples(st.just("bill_out"), st.integers(0, WORK_ORDERS - 1)),
        st.tuples(st.just("reopen"), st.integers(0, WORK_ORDERS - 1)),
    ),
    max_size=10,
)


def _repair_order(by, part, quantity: int, statuses) -> WorkOrder:
    work_order = workorder_services.workorder_create(by=by, vehicle=VehicleFactory())
    job = workorder_services.job_add(
        by=by, work_order=work_order, version=None, title="Brakes", category="Brakes"
    )
    services.part_line_add(by=by, job=job, version=None, part=part, quantity=str(quantity))
    return workorder_services.workorder_status_set(
        by=by, work_order=work_order, version=None, status=statuses[6]
    )


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    quantities=st.lists(st.integers(1, 3), min_size=WORK_ORDERS, max_size=WORK_ORDERS),
    steps=operations,
)
def test_on_hand_is_the_sum_of_the_movements_after_any_mix(
    owner, statuses, shop_rates, quantities, steps
):
    if not selectors.pricing_bands_exist():
        standard_matrix()
    part = PartFactory()
    work_orders = [_repair_order(owner, part, q, statuses) for q in quantities]
    billed = [False] * WORK_ORDERS
    expected = Decimal("0")
    for step, value in steps:
        if step == "receive":
            services.stock_receive(by=owner, part=part, quantity=str(value), unit_cost="10")
            expected += value
        elif step == "adjust":
            services.stock_adjust(by=owner, part=part, quantity=str(value), reason="Checked")
            expected += value
        elif step == "count":
            services.stock_count(by=owner, part=part, counted=str(value))
            expected = Decimal(value)
        elif step == "bill_out" and not billed[value]:
            workorder_services.workorder_status_set(
                by=owner, work_order=work_orders[value], version=None, status=statuses[17]
            )
            billed[value] = True
            expected -= quantities[value]
        elif step == "reopen" and billed[value]:
            work_order = WorkOrder.objects.get(pk=work_orders[value].pk)
            workorder_services.workorder_reopen(
                by=owner, work_order=work_order, version=None, status=statuses[7], reason="Redo"
            )
            billed[value] = False
            expected += quantities[value]
        level = selectors.stock_levels([part.pk])[part.pk]
        total = StockMovement.objects.filter(part=part).aggregate(t=Sum("quantity"))["t"] or 0
        assert level.on_hand == total == expected
        assert level.committed == sum(q for q, b in zip(quantities, billed, strict=True) if not b)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency")
@pytest.mark.django_db(transaction=True)
def test_two_advisors_selling_the_last_unit_both_go_through(advisor, owner, statuses, shop_rates):
    standard_matrix()
    part = PartFactory()
    services.stock_receive(by=owner, part=part, quantity="1", unit_cost="28")
    work_orders = [_repair_order(advisor, part, 1, statuses) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def bill_out(work_order, by):
        try:
            barrier.wait()
            workorder_services.workorder_status_set(
                by=by, work_order=work_order, version=None, status=statuses[17]
            )
            outcomes.append("billed")
        except Exception as error:  # the test reports what went wrong
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=bill_out, args=(work_order, by))
        for work_order, by in zip(work_orders, [advisor, owner], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["billed", "billed"]
    assert selectors.stock_levels([part.pk])[part.pk].on_hand == -1
    sales = StockMovement.objects.filter(part=part, kind="sold")
    assert sorted(sales.values_list("work_order_id", flat=True)) == sorted(
        w.pk for w in work_orders
    )
