"""Data Search, mailing labels and the daily follow-up generation on the bench shop."""

from __future__ import annotations

import os
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from urllib.parse import urlencode

from django.urls import reverse

from bench.harness import Bench, scenario

LABELS = 10_000


@scenario("followups.search")
def search(bench: Bench) -> None:
    """Last visit 12 to 24 months ago and no oil change since: the count and the first rows."""
    from followups.seeding import LAPSED_QUERY

    client = bench.client_for("owner")
    fields = ["name", "address_line1", "city", "postcode", "last_visit", "vehicle"]
    params = {**LAPSED_QUERY, "collect": "customer", "fields": fields}
    url = reverse("followups:search_preview") + "?" + urlencode(params, doseq=True)
    response = client.get(url)
    count = int(response.content.decode().split('data-testid="match-count">')[1].split("<")[0])
    bench.measure(lambda i: client.get(url), n=10, warmup=1, matches=count)


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the PDF workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _render_single(html: str, path: str) -> float:
    started = time.perf_counter()
    from followups.outputs.pdf_worker import render_to_file

    render_to_file(html, path)
    return time.perf_counter() - started


@scenario("followups.labels")
def labels(bench: Bench) -> None:
    """10,000 mailing labels to one PDF: batches in parallel, merged; then one big document."""
    from customers.models import Customer
    from followups import selectors
    from followups.outputs import documents
    from followups.outputs.pdf import render_batches, workers_available

    ids = list(
        Customer.objects.exclude(address_line1="")
        .order_by("id")
        .values_list("id", flat=True)[:LABELS]
    )
    started = time.perf_counter()
    rows = list(selectors.customer_rows(Customer.objects.filter(id__in=ids)))
    fetched = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as work_dir:
        out = os.path.join(work_dir, "labels.pdf")
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        batches = documents.labels_batches(rows)
        render_batches(batches, out, work_dir=work_dir)
        wall = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        size_mb = round(os.path.getsize(out) / 2**20, 1)
        parent_mb, worker_mb = _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN)
        workers = workers_available()
        # The same labels as one document, in a fresh process so its memory is its own.
        html = documents.labels_single_document(rows)
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork")) as pool:
            single = pool.submit(_render_single, html, os.path.join(work_dir, "one.pdf")).result()
        single_mb = _peak_mb(resource.RUSAGE_CHILDREN)
    bench.record(
        n=1,
        p50_ms=round(wall * 1000),
        p95_ms=round(wall * 1000),
        queries="",
        labels=len(rows),
        rows_fetch_s=round(fetched, 2),
        wall_s=round(wall, 2),
        workers=workers,
        batches=len(batches),
        labels_per_second=round(len(rows) / wall),
        # The machine's load: wall time on a shared box says little without it.
        cpu_s=round(cpu, 2),
        load_average=round(os.getloadavg()[0], 1),
        # Parent and each worker at their highest; the sum bounds the job's peak.
        peak_parent_mb=parent_mb,
        peak_worker_mb=worker_mb,
        peak_total_mb=round(parent_mb + workers * worker_mb, 1),
        pdf_mb=size_mb,
        single_document_s=round(single, 2),
        single_document_labels_per_second=round(len(rows) / single),
        single_document_peak_mb=single_mb,
    )


@scenario("followups.generate")
def generate(bench: Bench) -> None:
    """The daily generation over the bench shop, from scratch, then again (adds nothing)."""
    from followups.models import FollowUp, Mailing
    from followups.seeding import seed_records
    from followups.services import follow_ups_generate

    seed_records()
    FollowUp.objects.all().delete()
    Mailing.objects.filter(follow_up_list__isnull=False).delete()
    started = time.perf_counter()
    created = follow_ups_generate()
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = follow_ups_generate()
    second = time.perf_counter() - started
    bench.record(
        n=1,
        p50_ms=round(first * 1000),
        p95_ms=round(first * 1000),
        queries="",
        follow_ups_created=created,
        second_run_created=again,
        second_run_ms=round(second * 1000),
    )
