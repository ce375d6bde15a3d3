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
    bench.measure(
        lambda i: _naive_typeahead(queries[i % len(queries)]),
        n=40,
        warmup=2,
        label="parts.typeahead.naive_icontains",
        expect_status=None,
    )


def _naive_typeahead(text: str) -> list:
    """The naive way, for comparison: every typed word anywhere in the number or the
    description (icontains, no index can help), the first ten by number."""
    from django.db.models import Q

    from parts.models import Part

    condition = Q(is_active=True)
    for word in text.split():
        condition &= Q(number__icontains=word) | Q(description__icontains=word)
    return list(Part.objects.filter(condition).order_by("number")[:10])


PRICE_FILE_ROWS = 200_000
NAIVE_ROWS = 1_000


def _price_file_write(path, rows: int, stamp: str, existing: list[str]) -> None:
    """A vendor's catalog as Excel on Windows saves it: Windows-1252, semicolons, accents.
    Rows name the shop's own parts (by our part #: linked and updated) and then new ones."""
    brands = ["Wagner", "Motul", "ACDelco", "Bosch", "Fram", "Dorman", "Moog", "Gates"]
    words = ["Plaquettes céramique", "Démarreur reconditionné", "Filtre à huile",
             "Bougie d'allumage", "Étrier de frein", "Courroie crantée",
             "Rotule de direction"]  # fmt: skip
    with open(path, "w", encoding="cp1252", newline="") as handle:
        handle.write("Item #;Our part #;Description;Net;List;Core;Line;Mfr\r\n")
        for i in range(rows):
            ours = existing[i] if i < len(existing) else ""
            cost = 2 + (i * 37 % 40000) / 100
            handle.write(
                f"{stamp}-{i:06d};{ours};{words[i % len(words)]} {i};{cost:.2f};"
                f"{cost * 2.1:.2f};{'25.00' if i % 9 == 0 else ''};Catégorie {i % 40};"
                f"{brands[i % len(brands)]}\r\n"
            )


def _peak_mib() -> int:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


@scenario("parts.price_file")
def price_file(bench: Bench) -> None:
    """A vendor's price file of 200,000 rows (half the bench catalog's own parts, half new):
    upload, dry run and the apply job, run here rather than on a worker so its own time and
    memory are measured (target: under 60 s, memory bounded). Baseline: the same rows through
    the catalog's per-row services (part_create, vendor_part_set) on 1,000 rows."""
    import tempfile
    import time
    from pathlib import Path
    from unittest import mock

    from django.core.files import File

    from parts import services
    from parts.models import Part, PriceFileRun
    from parts.services import price_files
    from shop.models import User

    owner = User.objects.filter(is_active=True, security_level=1).order_by("pk").first()
    stamp = f"PF{int(time.time()) % 100000:05d}"
    vendor = services.vendor_create(by=owner, name=f"Bench price file vendor {stamp}")
    existing = list(
        Part.objects.filter(kind="part")
        .order_by("pk")
        .values_list("number", flat=True)[: PRICE_FILE_ROWS // 2]
    )
    columns = {"vendor_number": "Item #", "part_number": "Our part #",
               "description": "Description", "cost": "Net", "list_price": "List",
               "core_charge": "Core", "category": "Line", "brand": "Mfr"}  # fmt: skip
    rss_before = _peak_mib()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vendor-prices.csv"
        _price_file_write(path, PRICE_FILE_ROWS, stamp, existing)
        megabytes = round(path.stat().st_size / 1024 / 1024, 1)
        started = time.perf_counter()
        cpu_started = time.process_time()
        with open(path, "rb") as handle:
            run = services.price_file_upload(
                by=owner, vendor=vendor, upload=File(handle, name="vendor-prices.csv")
            )
        run = services.price_file_check(by=owner, run_id=run.pk, columns=columns)
        checked = time.perf_counter()
        with mock.patch.object(price_files, "_dispatch", lambda run_id: None):
            services.price_file_apply_start(by=owner, run_id=run.pk)
        services.price_file_apply_run(run.pk)
        finished = time.perf_counter()
        cpu_seconds = time.process_time() - cpu_started
    run = PriceFileRun.objects.get(pk=run.pk)
    seconds = finished - started
    bench.record(
        n=run.rows,
        p50_ms=round(seconds * 1000),
        p95_ms=round(seconds * 1000),
        queries=0,
        seconds=round(seconds, 2),
        dry_run_seconds=round(checked - started, 2),
        apply_seconds=round(finished - checked, 2),
        rows_per_second=round(run.rows / seconds),
        # This process's own CPU time (reading, checking, preparing the batches): the rest
        # of the wall time is PostgreSQL's, and waiting for a CPU on a loaded machine.
        process_cpu_seconds=round(cpu_seconds, 2),
        file_mib=megabytes,
        rss_before_mib=rss_before,
        peak_rss_mib=_peak_mib(),
        state=run.state,
        bad_rows=run.bad_rows,
        created=run.counts.get("created", 0),
        updated=run.counts.get("updated", 0),
        within_60_s=seconds < 60 and run.state == "done",
    )

    # The naive way: one service call per row, as a script over the catalog's services would.
    naive_vendor = services.vendor_create(by=owner, name=f"Bench naive vendor {stamp}")
    started = time.perf_counter()
    for i in range(NAIVE_ROWS):
        part = services.part_create(
            by=owner, number=f"{stamp}N-{i:05d}", description=f"Filtre à huile {i}", cost="9.25"
        )
        services.vendor_part_set(
            by=owner, part=part, vendor=naive_vendor, vendor_number=f"{stamp}N-{i:05d}",
            cost="9.25",
        )  # fmt: skip
    seconds = time.perf_counter() - started
    bench.record(
        scenario="parts.price_file.naive_per_row",
        n=NAIVE_ROWS,
        p50_ms=round(seconds * 1000),
        p95_ms=round(seconds * 1000),
        queries=0,
        seconds=round(seconds, 2),
        rows_per_second=round(NAIVE_ROWS / seconds),
        seconds_for_200000=round(seconds * PRICE_FILE_ROWS / NAIVE_ROWS),
    )
    _price_file_cleanup(stamp)


def _price_file_cleanup(stamp: str) -> None:
    """Take the parts and vendors this run made back out of the bench shop, so that a run
    does not grow the catalog the other rows measure (the parts it updated keep their new
    costs, as a vendor's next price list would leave them)."""
    from parts.models import Part, Vendor

    Part.objects.filter(number__startswith=stamp).delete()
    Vendor.objects.filter(name__endswith=f" {stamp}", name__startswith="Bench ").delete()


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
