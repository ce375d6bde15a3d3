"""payments.statements: last month's statements of 2,000 A/R customers to one PDF, through
the statement run (the output job) in this process; the naive way (each customer's figures
read and rendered one by one) as a baseline row.

The bench shop has about 150 A/R customers owing at a month's end: the scenario makes the
rest of its 2,000 (statement_month) in a transaction it rolls back, so the bench copy is left
as it was. BENCH_STATEMENT_RUNS (3) runs for p50/p95; peak memory is each process's
ru_maxrss."""

from __future__ import annotations

import os
import resource
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal

from bench.harness import Bench, percentile, scenario

CUSTOMERS = 2000
BASELINE = 100
RUNS = int(os.environ.get("BENCH_STATEMENT_RUNS", "3"))


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the PDF workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def statement_month(period) -> list[int]:
    """Make CUSTOMERS A/R customers owe at the end of `period`, in the caller's transaction
    (the scenario rolls it back: the bench copy is left as it was). The customers owing
    already count; others with billed invoices become A/R with the month's activity: an
    invoice charged in the month, every second one an invoice charged 45 days before it
    (an opening balance, aged 61-90 days), every third one a check paying half of the
    month's invoice."""
    from django.utils import timezone

    from customers.models import Customer
    from payments.models import LedgerEntry, Payment
    from payments.services import drawer_default
    from payments.statement_selectors import month_first, month_last, statement_customer_ids
    from workorders.models import WorkOrder

    owing = statement_customer_ids(period)
    first, last = month_first(period), month_last(period)
    picked: dict[int, list] = {}
    billed = (
        WorkOrder.objects.filter(closed_at__isnull=False, grand_total__gt=0)
        .exclude(customer_id__in=owing)
        .order_by("customer_id", "-closed_at")
        .values_list("id", "customer_id", "grand_total")
    )
    for wo_id, customer_id, total in billed.iterator(chunk_size=5000):
        if customer_id not in picked and len(picked) == CUSTOMERS - len(owing):
            break
        rows = picked.setdefault(customer_id, [])
        if len(rows) < 2:
            rows.append((wo_id, total))
    Customer.objects.filter(pk__in=list(picked)).update(is_ar=True)
    drawer = drawer_default()

    def moment(day):
        return timezone.make_aware(datetime(day.year, day.month, day.day, 12))

    entries, payments = [], []
    for index, (customer_id, rows) in enumerate(sorted(picked.items())):
        day = min(first + timedelta(days=index % 28), last)
        wo_id, total = rows[0]
        entries.append(_charge(customer_id, wo_id, total, day, moment(day)))
        if index % 2 == 0 and len(rows) > 1:
            old = first - timedelta(days=45)
            entries.append(_charge(customer_id, rows[1][0], rows[1][1], old, moment(old)))
        if index % 3 == 0:
            paid_on = min(day + timedelta(days=3), last)
            payment = Payment(
                customer_id=customer_id,
                work_order_id=wo_id,
                kind="invoice",
                amount=(total / 2).quantize(Decimal("0.01")),
                drawer=drawer,
                business_date=paid_on,
                taken_at=moment(paid_on),
            )
            payments.append(payment)
    Payment.objects.bulk_create(payments, batch_size=2000)
    entries += [
        LedgerEntry(
            kind="payment",
            customer_id=payment.customer_id,
            work_order_id=payment.work_order_id,
            amount=-payment.amount,
            payment=payment,
            tender="check",
            check_number=str(1000 + payment.pk % 9000),
            drawer=drawer,
            business_date=payment.business_date,
            recorded_at=payment.taken_at,
        )
        for payment in payments
    ]
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    return statement_customer_ids(period)


def _charge(customer_id, wo_id, total, day, at):
    from payments.models import LedgerEntry

    return LedgerEntry(
        kind="charge",
        customer_id=customer_id,
        work_order_id=wo_id,
        amount=total,
        business_date=day,
        recorded_at=at,
    )


@scenario("payments.statements")
def statements(bench: Bench) -> None:
    from django.db import transaction

    with transaction.atomic():
        _statements(bench)
        transaction.set_rollback(True)  # the customers made A/R and their month go too


def _statements(bench: Bench) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader
    from weasyprint import HTML

    from followups.outputs.pdf import workers_available
    from payments.models import Statement, StatementRun
    from payments.services import statements as services
    from payments.statement_selectors import previous_month, statement_customers, statement_figures
    from shop.models import User

    period = previous_month()
    ids = statement_month(period)
    owner = User.objects.filter(is_active=True).order_by("id").first()
    walls, cpus = [], []
    for _run in range(RUNS):
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
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu_seconds() - cpu_before)
        run = StatementRun.objects.get(pk=run.pk)
        if run.state != StatementRun.State.DONE:
            raise AssertionError(f"statement run {run.state}: {run.error}")
        pages = len(PdfReader(run.file.path).pages)
        size_mb = round(os.path.getsize(run.file.path) / 2**20, 1)
        statements = Statement.objects.filter(run=run).count()
        run.file.delete(save=False)
    parent_mb, worker_mb = _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN)
    workers = workers_available()
    wall = percentile(walls, 0.5)
    bench.record(
        n=RUNS,
        p50_ms=round(wall * 1000),
        p95_ms=round(percentile(walls, 0.95) * 1000),
        queries=len(captured.captured_queries),
        customers=len(ids),
        statements=statements,
        pages=pages,
        wall_s=[round(w, 1) for w in walls],
        statements_per_second=round(len(ids) / wall, 1),
        workers=workers,
        # CPU of this process and its PDF workers: on a shared box, what wall time hides.
        cpu_s=[round(c, 1) for c in cpus],
        cpu_ms_per_statement=round(percentile(cpus, 0.5) * 1000 / len(ids), 1),
        load_average=[round(load, 1) for load in os.getloadavg()],
        # ru_maxrss: this process's peak, and the biggest PDF worker's (there are `workers`).
        peak_parent_mb=parent_mb,
        peak_worker_mb=worker_mb,
        peak_total_mb=round(parent_mb + workers * worker_mb, 1),
        pdf_mb=size_mb,
    )

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
        load_average=[round(load, 1) for load in os.getloadavg()],
    )
