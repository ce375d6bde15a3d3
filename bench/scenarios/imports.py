"""Moving in: the dry run and the apply of a big shop's export, then its undo.

The export is written by `manage.py import_sample` in a separate process (its rows in memory
would count against the import's peak), at the issue's volumes unless IMPORTS_BENCH_CUSTOMERS,
IMPORTS_BENCH_VEHICLES and IMPORTS_BENCH_INVOICES say otherwise. The apply job runs here, in
this process (not through a worker), so its time and peak memory are what is measured.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from bench.harness import Bench, scenario

ROOT = Path(__file__).resolve().parents[2]


def _volumes() -> dict[str, int]:
    return {
        "customers": int(os.environ.get("IMPORTS_BENCH_CUSTOMERS", 100_000)),
        "vehicles": int(os.environ.get("IMPORTS_BENCH_VEHICLES", 150_000)),
        "invoices": int(os.environ.get("IMPORTS_BENCH_INVOICES", 250_000)),
    }


def _lines_per_invoice() -> float:
    # 250,000 invoices with 2.5 million lines: a big shop's invoices are whole jobs.
    return float(os.environ.get("IMPORTS_BENCH_LINES_PER_INVOICE", 10))


def _peak_mib() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _export(folder: str, kinds: set[str]) -> dict[str, Path]:
    volumes = _volumes()
    subprocess.run(
        [sys.executable, "manage.py", "import_sample", folder,
         *[f"--{name}={number}" for name, number in volumes.items()],
         f"--lines-per-invoice={_lines_per_invoice()}"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    names = {
        "customers": "customers.csv", "vehicles": "vehicles.csv", "invoices": "invoices.csv",
        "invoice_lines": "invoice_lines.csv", "ar_items": "ar_items.csv", "parts": "parts.xlsx",
    }  # fmt: skip
    return {kind: Path(folder) / name for kind, name in names.items() if kind in kinds}


def _checked_run(paths: dict[str, Path]):
    from django.core.files import File

    from imports.services import import_dry_run, import_run_create
    from shop.models import User

    owner = User.objects.filter(security_level=1, is_active=True).order_by("id").first()
    handles = {kind: path.open("rb") for kind, path in paths.items()}
    try:
        run = import_run_create(
            by=owner,
            name="bench",
            files={kind: File(handle, name=paths[kind].name) for kind, handle in handles.items()},
        )
    finally:
        for handle in handles.values():
            handle.close()
    started = time.perf_counter()
    run = import_dry_run(run_id=run.pk)
    return owner, run, time.perf_counter() - started


@scenario("imports.dry_run")
def dry_run(bench: Bench) -> None:
    """The dry run of customers and vehicles (100,000 and 150,000 by default)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = _export(folder, {"customers", "vehicles"})
        _owner, run, seconds = _checked_run(paths)
    counts = run.dry_run.get("counts", {})
    bench.record(
        n=run.dry_run.get("rows", 0),
        p50_ms=round(seconds * 1000),
        p95_ms=round(seconds * 1000),
        queries=0,
        seconds=round(seconds, 2),
        peak_rss_mib=_peak_mib(),
        customers=counts.get("customers", {}).get("create", 0),
        vehicles=counts.get("vehicles", {}).get("create", 0),
        duplicates=len(run.dry_run.get("duplicates", [])),
        within_60_s=seconds < 60,
    )


@scenario("imports.apply")
def apply(bench: Bench) -> None:
    """The whole export applied in batches (customers, vehicles, invoices with their lines,
    report figures, mileage), then undone so the bench shop is left as it was."""
    from imports.models import ImportRun
    from imports.services import apply as apply_service
    from imports.services import (
        import_apply_run,
        import_apply_start,
        import_decisions_set,
        import_undo,
    )

    with tempfile.TemporaryDirectory() as folder:
        paths = _export(folder, {"customers", "vehicles", "invoices", "invoice_lines"})
        owner, run, _seconds = _checked_run(paths)
        import_decisions_set(by=owner, run_id=run.pk, duplicates={}, skip_bad_rows=True)
        # The job runs here rather than on a worker: its own time and memory are measured.
        with mock.patch.object(apply_service, "_dispatch", lambda run_id: None):
            import_apply_start(by=owner, run_id=run.pk)
        started = time.perf_counter()
        import_apply_run(run.pk)
        seconds = time.perf_counter() - started
    run = ImportRun.objects.get(pk=run.pk)
    peak = _peak_mib()
    undo_started = time.perf_counter()
    import_undo(by=owner, run_id=run.pk)
    undo_seconds = time.perf_counter() - undo_started
    made = {kind: values.get("create", 0) for kind, values in run.counts.items()}
    bench.record(
        n=run.total,
        p50_ms=round(seconds * 1000),
        p95_ms=round(seconds * 1000),
        queries=0,
        seconds=round(seconds, 2),
        peak_rss_mib=peak,
        state=run.state,
        customers=made.get("customers", 0),
        vehicles=made.get("vehicles", 0),
        invoices=made.get("invoices", 0),
        lines=made.get("invoice_lines", 0),
        within_5_min=seconds < 300,
        under_1_gib=peak < 1024,
        undo_seconds=round(undo_seconds, 2),
    )
