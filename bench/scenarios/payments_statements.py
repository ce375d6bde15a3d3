"""payments.statements: last month's statements of 2,000 A/R customers to one PDF, through
the statement run (the output job) in this process; the naive way (each customer's figures
read and rendered one by one) as a baseline row.

The bench shop may have few A/R customers with ledger entries (payments' seed_bench lands
separately): the scenario makes what it needs on the bench copy it runs on, once: 2,000
customers with billed invoices become A/R, their last invoices are charged on the ledger
and some are paid in part."""

from __future__ import annotations

import os
import resource
import tempfile
import time
from datetime import timedelta
from decimal import Decimal

from bench.harness import Bench, scenario

CUSTOMERS = 2000
BASELINE = 100


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the PDF workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _ensure_ar_customers(period_end) -> list[int]:
    from django.db import transaction
    from django.db.models import Count, Q
    from django.utils import timezone

    from customers.models import Customer
    from payments.models import LedgerEntry, Payment
    from payments.services import drawer_default
    from shop.dates import day_start
    from workorders.models import WorkOrder

    charged = (
        Customer.objects.filter(is_ar=True)
        .annotate(n=Count("ledger_entries", filter=Q(ledger_entries__kind="charge")))
        .filter(n__gt=0)
    )
    if charged.count() >= CUSTOMERS:
        return list(charged.order_by("id").values_list("id", flat=True)[:CUSTOMERS])
    end = day_start(period_end + timedelta(days=1))
    billed = (
        WorkOrder.objects.filter(closed_at__lt=end, grand_total__gt=0)
        .exclude(ledger_entries__isnull=False)
        .order_by("customer_id", "-closed_at")
        .values_list("id", "customer_id", "grand_total", "closed_at")
    )
    picked: dict[int, list] = {}
    for row in billed.iterator(chunk_size=5000):
        rows = picked.setdefault(row[1], [])
        if len(rows) < 3:
            rows.append(row)
        if len(picked) > CUSTOMERS:
            break
    ids = sorted(picked)[:CUSTOMERS]
    drawer = drawer_default()
    with transaction.atomic():
        Customer.objects.filter(pk__in=ids).update(is_ar=True)
        entries, payments = [], []
        for index, pk in enumerate(ids):
            for wo_id, _customer, total, closed_at in picked[pk]:
                entries.append(
                    LedgerEntry(
                        kind="charge",
                        customer_id=pk,
                        work_order_id=wo_id,
                        amount=total,
                        business_date=timezone.localdate(closed_at),
                        recorded_at=closed_at,
                    )
                )
            if index % 3 == 0:  # a third paid half of their newest invoice
                wo_id, _customer, total, closed_at = picked[pk][0]
                payments.append(
                    (
                        Payment(
                            customer_id=pk,
                            work_order_id=wo_id,
                            kind="invoice",
                            amount=(total / 2).quantize(Decimal("0.01")),
                            drawer=drawer,
                            business_date=timezone.localdate(closed_at),
                            taken_at=closed_at,
                        ),
                        wo_id,
                    )
                )
        Payment.objects.bulk_create([p for p, _wo in payments], batch_size=2000)
        for payment, wo_id in payments:
            entries.append(
                LedgerEntry(
                    kind="payment",
                    customer_id=payment.customer_id,
                    work_order_id=wo_id,
                    amount=-payment.amount,
                    payment=payment,
                    tender="check",
                    check_number="1001",
                    drawer=drawer,
                    business_date=payment.business_date,
                    recorded_at=payment.taken_at,
                )
            )
        LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    return ids


@scenario("payments.statements")
def statements(bench: Bench) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader
    from weasyprint import HTML

    from followups.outputs.pdf import workers_available
    from payments.models import Statement, StatementRun
    from payments.services import statements as services
    from payments.statement_selectors import (
        month_last,
        previous_month,
        statement_customer_ids,
        statement_customers,
        statement_figures,
    )
    from shop.models import User

    period = previous_month()
    _ensure_ar_customers(month_last(period))
    ids = statement_customer_ids(period)
    owner = User.objects.filter(is_active=True).order_by("id").first()

    # The statement run, as the worker runs it (the dispatch to Celery left out).
    dispatch, services._dispatch = services._dispatch, lambda run_id: None
    try:
        run = services.statement_run_start(by=owner, period=period)
    finally:
        services._dispatch = dispatch
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        services.statement_run_execute(run.pk)
    wall = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    run = StatementRun.objects.get(pk=run.pk)
    if run.state != StatementRun.State.DONE:
        raise AssertionError(f"statement run {run.state}: {run.error}")
    pages = len(PdfReader(run.file.path).pages)
    size_mb = round(os.path.getsize(run.file.path) / 2**20, 1)
    parent_mb, worker_mb = _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN)
    workers = workers_available()
    bench.record(
        n=1,
        p50_ms=round(wall * 1000),
        p95_ms=round(wall * 1000),
        queries=len(captured.captured_queries),
        customers=len(ids),
        statements=Statement.objects.filter(run=run).count(),
        pages=pages,
        wall_s=round(wall, 2),
        statements_per_second=round(len(ids) / wall, 1),
        workers=workers,
        # The machine's load: wall time on a shared box says little without it.
        cpu_s=round(cpu, 1),
        load_average=round(os.getloadavg()[0], 1),
        peak_parent_mb=parent_mb,
        peak_worker_mb=worker_mb,
        peak_total_mb=round(parent_mb + workers * worker_mb, 1),
        pdf_mb=size_mb,
    )
    run.file.delete(save=False)

    # Baseline: each customer's figures read and its statement rendered on its own.
    sample = ids[:BASELINE]
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured, tempfile.TemporaryDirectory() as tmp:
        for pk in sample:
            figures = statement_figures([pk], period)[pk]
            customer = statement_customers([pk])[pk]
            html = services.statements_html([services.statement_context(figures, customer)])
            HTML(string=html).write_pdf(os.path.join(tmp, f"{pk}.pdf"))
    naive = time.perf_counter() - started
    naive_cpu = _cpu_seconds() - cpu_before
    bench.record(
        scenario="payments.statements (naive baseline)",
        n=1,
        p50_ms=round(naive * 1000),
        p95_ms=round(naive * 1000),
        queries=len(captured.captured_queries),
        customers=len(sample),
        wall_s=round(naive, 2),
        statements_per_second=round(len(sample) / naive, 1),
        cpu_s=round(naive_cpu, 1),
        estimated_s_for_all=round(naive * len(ids) / len(sample), 1),
        load_average=round(os.getloadavg()[0], 1),
    )
