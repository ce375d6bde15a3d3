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
