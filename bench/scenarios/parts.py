"""Parts: the editor's typeahead over the bench catalog of 200,000 parts, number prefixes
(with and without dashes), vendors' numbers and description words mixed."""

from __future__ import annotations

import random

from django.urls import reverse

from bench.harness import Bench, scenario


def _sample_queries(rng: random.Random, n: int) -> list[str]:
    from parts.models import Part

    top = Part.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rows = list(
        Part.objects.filter(pk__in=[rng.randint(1, top) for _ in range(n)]).values_list(
            "number", "description"
        )
    )
    queries = []
    for i in range(n):
        number, description = rng.choice(rows)
        kind = i % 4
        if kind == 0:
            queries.append(number[: rng.randint(3, len(number))])  # the start, as typed
        elif kind == 1:
            queries.append(number.replace("-", "").lower())  # without the dash
        elif kind == 2:
            queries.append(description.split(",")[0].lower())  # a word
        else:
            words = description.replace(",", "").lower().split()
            queries.append(" ".join(words[:2]))  # two words
    return queries


@scenario("parts.typeahead")
def typeahead(bench: Bench) -> None:
    """What the advisor sees while typing a part in the editor (target: p95 under 30 ms)."""
    client = bench.client_for("advisor")
    url = reverse("parts:typeahead")
    queries = _sample_queries(random.Random(19), 300)
    bench.measure(lambda i: client.get(url, {"q": queries[i % len(queries)]}), n=300)


@scenario("reports.inventory_valuation")
def inventory_valuation(bench: Bench) -> None:
    """Inventory valuation at average cost as of today (target: p95 under 500 ms)."""
    from parts.models import Part, StockMovement

    client = bench.client_for("owner")
    url = reverse("parts:report_valuation")
    bench.measure(
        lambda i: client.get(url),
        n=30,
        warmup=3,
        parts_in_catalog=Part.objects.count(),
        movements=StockMovement.objects.count(),
    )
    bench.measure(
        lambda i: _naive_valuation(),
        n=10,
        warmup=1,
        label="reports.inventory_valuation.naive_baseline",
        expect_status=None,
    )


def _naive_valuation() -> dict:
    """The naive way, for comparison: every part with its on hand (a correlated sum of its
    movements) read into Python and added up there."""
    from decimal import Decimal

    from parts.models import Part
    from parts.selectors import _with_on_hand

    totals: dict[str, Decimal] = {}
    rows = _with_on_hand(Part.objects.filter(kind="part")).values_list(
        "category", "on_hand_total", "average_cost"
    )
    for category, on_hand, cost in rows:
        totals[category] = totals.get(category, Decimal(0)) + on_hand * cost
    return totals


LINES = 15


def _repair_order(advisor, vehicle, part_ids: list[int]):
    """A repair order of one job with 15 lines: catalog parts from the shelf (each sale a
    stock movement at bill-out), or hand-typed parts when part_ids is empty."""
    from parts.models import Part
    from parts.services import part_line_add
    from workorders import services
    from workorders.models import Status

    work_order = services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=60000)
    job = services.job_add(
        by=advisor, work_order=work_order, version=None, title="Bench parts", category="Brakes"
    )
    if part_ids:
        for part in Part.objects.filter(pk__in=part_ids).order_by("pk"):
            part_line_add(by=advisor, job=job, version=None, part=part, quantity="1")
    else:
        for index in range(LINES):
            services.line_add(
                by=advisor, job=job, version=None, kind="part", description=f"Typed part {index}",
                quantity="1", unit_price="12.34",
            )  # fmt: skip
    return services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=Status.objects.get(number=6)
    )


@scenario("workorders.bill_out")
def bill_out(bench: Bench) -> None:
    """Billing out a 15-line repair order whose lines are catalog parts: the status change,
    the invoice's figures, payments' charge and parts' 15 stock movements in one request
    (target: p95 under 100 ms). The same with 15 hand-typed lines is the row without parts."""
    from parts.models import Part, StockMovement
    from shop.models import User
    from workorders.models import Status, WorkOrder

    client = bench.client_for("advisor")
    advisor = User.objects.get(username="advisor")
    billed = Status.objects.get(number=17)
    vehicle = (
        WorkOrder.objects.filter(stage="invoice", customer__fleet_account__isnull=True)
        .order_by("id")
        .first()
        .vehicle
    )
    n, warmup = 40, 3
    shelf = list(
        Part.objects.filter(kind="part", stocked=True, bin_location="", is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: (n + warmup) * LINES]
    )

    def run(label: str, orders: list) -> None:
        queue = iter(orders)

        def bill(i: int):
            work_order = next(queue)
            return client.post(
                reverse("workorders:status_change", args=[work_order.pk]),
                {"version": work_order.version, "status": billed.pk},
            )

        bench.measure(bill, n=n, warmup=warmup, label=label, expect_status=302, lines=LINES)
        closed = WorkOrder.objects.filter(pk__in=[o.pk for o in orders], closed_at__isnull=False)
        if closed.count() != len(orders):
            raise AssertionError(f"{label}: not every repair order was billed out")

    with_parts = [
        _repair_order(advisor, vehicle, shelf[i * LINES : (i + 1) * LINES])
        for i in range(n + warmup)
    ]
    before = StockMovement.objects.filter(kind="sold").count()
    run("workorders.bill_out", with_parts)
    sold = StockMovement.objects.filter(kind="sold").count() - before
    if sold != (n + warmup) * LINES:
        raise AssertionError(f"workorders.bill_out: {sold} sales, wanted {(n + warmup) * LINES}")
    bench.rows[-1]["stock_movements_per_bill_out"] = LINES
    typed = [_repair_order(advisor, vehicle, []) for _ in range(n + warmup)]
    run("workorders.bill_out.no_parts", typed)
