"""Payments' part of the demo shop: the billed-out invoices charged to their customers,
most of them paid (cash, card, check), one partly paid, one A/R customer with an invoice
75 days old charged to the account, and yesterday's drawer closed. Safe to run again."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from payments import selectors, services
from payments.models import AccountCharge, DayClose, Payment
from payments.services import TenderInput
from payments.services.taking import payment_record
from shop.models import User
from workorders.models import WorkOrder

A_R_AGE_DAYS = 75


def _tenders(index: int, amount: Decimal) -> list[TenderInput]:
    if index % 3 == 0:
        return [TenderInput("cash", amount, amount_tendered=amount.to_integral_value() + 1)]
    if index % 3 == 1:
        return [
            TenderInput(
                "card",
                amount,
                card_brand="Visa",
                card_last4=f"{4000 + index:04d}"[-4:],
                auth_code=f"DEMO{index:03d}",
            )
        ]
    return [TenderInput("check", amount, check_number=f"{1100 + index}")]


@transaction.atomic
def seed_demo(stdout) -> dict:
    drawer = services.drawer_default()
    owner = User.objects.filter(username="owner").first()
    invoices = list(
        WorkOrder.objects.filter(closed_at__isnull=False)
        .select_related("customer")
        .order_by("closed_at", "id")
    )
    for work_order in invoices:
        services.invoice_charge_write(work_order=work_order, by=None)
    if invoices and not Payment.objects.exists():
        target = timezone.now() - timedelta(days=A_R_AGE_DAYS)
        ar_invoice = min(invoices, key=lambda wo: abs(wo.closed_at - target))
        Customer.objects.filter(pk=ar_invoice.customer_id).update(is_ar=True)
        ar_invoice.customer.refresh_from_db()
        services.ar_account_get(ar_invoice.customer)
        AccountCharge.objects.create(
            work_order=ar_invoice,
            customer=ar_invoice.customer,
            amount=ar_invoice.grand_total,
            balance_before=Decimal("0.00"),
            credit_limit=services.ar_account_get(ar_invoice.customer).credit_limit,
            charged_by=ar_invoice.closed_by,
            charged_at=ar_invoice.closed_at,
        )
        others = [wo for wo in invoices if wo.pk != ar_invoice.pk]
        for index, work_order in enumerate(others):
            due = selectors.invoice_balance(work_order).balance
            if due <= 0:
                continue
            amount = (due / 2).quantize(Decimal("0.01")) if index == len(others) - 1 else due
            at = work_order.closed_at + timedelta(minutes=10)
            payment_record(
                by=work_order.closed_by,
                customer_id=work_order.customer_id,
                kind=Payment.Kind.INVOICE,
                tenders=_tenders(index, amount),
                work_order_id=work_order.pk,
                drawer=drawer,
                business_date=timezone.localdate(at),
                at=at,
            )
    yesterday = timezone.localdate() - timedelta(days=1)
    if owner and not DayClose.objects.filter(drawer=drawer, business_date=yesterday).exists():
        expected = selectors.tender_totals(drawer_id=drawer.pk, business_date=yesterday)
        services.day_close(
            by=owner,
            drawer=drawer,
            business_date=yesterday,
            counted={tender: str(amount) for tender, amount in expected.items()},
            note="",
        )
    stdout.write(
        f"  payments: {Payment.objects.count()} payments, "
        f"{AccountCharge.objects.count()} invoice(s) charged to account, yesterday's drawer closed"
    )
    return {"payments": Payment.objects.count()}


# --- The bench shop -------------------------------------------------------------------

BENCH_AR_COMPANY = "Metro Fleet Leasing (bench A/R)"
BENCH_AR_INVOICES = 500  # open invoices of one A/R customer: payments.ar_status
AR_OPEN_DAYS = 120  # an A/R customer's invoices billed in the last 120 days are still open
AR_PARTIAL_SHARE = 0.3  # of those, partly paid on account
WALK_IN_OPEN_DAYS = 30  # a walk-in's invoice of the last 30 days...
WALK_IN_OPEN_SHARE = 0.08  # ...is left unpaid this often; every older one was paid
BENCH_CHUNK = 20_000

PAYMENT_COLUMNS = [
    "id", "customer_id", "work_order_id", "kind", "amount", "change_due", "drawer_id",
    "business_date", "note", "taken_by_id", "taken_at",
]  # fmt: skip
ENTRY_COLUMNS = [
    "id", "kind", "customer_id", "work_order_id", "amount", "payment_id", "tender",
    "amount_tendered", "check_number", "card_brand", "card_last4", "auth_code", "reference",
    "reason", "reverses_id", "drawer_id", "business_date", "recorded_by_id", "recorded_at",
]  # fmt: skip
CHARGE_COLUMNS = [
    "work_order_id", "customer_id", "amount", "balance_before", "credit_limit", "over_limit",
    "charged_by_id", "charged_at",
]  # fmt: skip


class _Copy:
    """Rows out with COPY on PostgreSQL, bulk_create elsewhere (small runs in tests)."""

    def __init__(self, model, columns: list[str]):
        self.model, self.columns, self.rows = model, columns, []

    def add(self, *row) -> None:
        self.rows.append(row)

    def flush(self) -> int:
        from django.db import connection

        count, rows, self.rows = len(self.rows), self.rows, []
        if not count:
            return 0
        if connection.vendor == "postgresql":
            table = self.model._meta.db_table
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(self.columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            self.model.objects.bulk_create(
                [self.model(**dict(zip(self.columns, row, strict=True))) for row in rows],
                batch_size=500,
            )
        return count


def _top_id(model) -> int:
    return model.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _ar_customer_ensure(rng) -> Customer | None:
    """One A/R company with BENCH_AR_INVOICES invoices billed over the last 400 days, none
    paid: what A/R Status must answer quickly. Written once."""
    from customers.models import Vehicle
    from workorders.models import Stage, Status

    existing = Customer.objects.filter(company_name=BENCH_AR_COMPANY).first()
    if existing is not None:
        return existing
    billed = Status.objects.filter(number=17).first()
    if billed is None:
        return None
    customer = Customer.objects.create(
        kind=Customer.Kind.COMPANY, company_name=BENCH_AR_COMPANY, is_ar=True
    )
    vehicle = Vehicle.objects.create(customer=customer, year=2022, make="Ford", model="Transit")
    now = timezone.now()
    work_orders = []
    for index in range(BENCH_AR_INVOICES):
        closed_at = now - timedelta(days=400 * index / BENCH_AR_INVOICES, hours=rng.randint(1, 8))
        total = Decimal(rng.randint(8_000, 90_000)) / 100
        work_orders.append(
            WorkOrder(
                customer=customer,
                vehicle=vehicle,
                status=billed,
                stage=Stage.INVOICE,
                status_entered_at=closed_at,
                labor_total=total,
                grand_total=total,
                created_at=closed_at - timedelta(hours=4),
                closed_at=closed_at,
            )
        )
    WorkOrder.objects.bulk_create(work_orders, batch_size=500)
    return customer


def seed_bench(stdout, *, rng) -> None:
    """The bench shop's money, over its ten years of invoices: every invoice charged; a
    walk-in's paid at bill-out (cash, card or check) except a few of the last month; an
    A/R customer's (about 2% of customers) charged to the account and paid on account,
    those of the last AR_OPEN_DAYS days still open (some partly paid); one A/R company with
    BENCH_AR_INVOICES open invoices. Written with COPY in one transaction (with that
    company, whose presence means it was done: skipped then). Invoices that have entries
    already (the demo shop's, billed out through the services) are left as they are."""
    from django.db import connection

    from payments.models import ArAccount, LedgerEntry

    if Customer.objects.filter(company_name=BENCH_AR_COMPANY).exists():
        stdout.write("  payments: the bench ledger is there already")
        return
    with transaction.atomic():
        ar_company = _ar_customer_ensure(rng)
        drawer = services.drawer_default()
        ar_ids = set(Customer.objects.filter(is_ar=True).values_list("id", flat=True))
        with_terms = set(ArAccount.objects.values_list("customer_id", flat=True))
        ArAccount.objects.bulk_create(
            [
                ArAccount(
                    customer_id=pk,
                    credit_limit=Decimal("500000.00")
                    if ar_company and pk == ar_company.pk
                    else Decimal(rng.choice((2500, 5000, 10000))),
                    net_days=30,
                )
                for pk in sorted(ar_ids - with_terms)
            ],
            batch_size=2000,
        )
        counts = _bench_ledger_write(rng=rng, drawer=drawer, ar_ids=ar_ids, ar_company=ar_company)
    if connection.vendor == "postgresql":
        # Fresh statistics, and a visibility map for index-only scans when not in a
        # transaction (VACUUM cannot run in one: the tests').
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Payment, LedgerEntry, AccountCharge, ArAccount, WorkOrder):
                cursor.execute(f"{command} {model._meta.db_table}")
    stdout.write(
        f"  payments: {counts['charges']} invoices charged, {counts['payments']} payments, "
        f"{counts['open']} invoices open ({len(ar_ids)} A/R customers)"
    )


def _bench_ledger_write(*, rng, drawer, ar_ids: set[int], ar_company) -> dict[str, int]:
    from django.db import connection
    from django.db.models import Exists, OuterRef

    from payments.models import LedgerEntry

    payments = _Copy(Payment, PAYMENT_COLUMNS)
    entries = _Copy(LedgerEntry, ENTRY_COLUMNS)
    charges = _Copy(AccountCharge, CHARGE_COLUMNS)
    payment_id, entry_id = _top_id(Payment), _top_id(LedgerEntry)
    counts = {"charges": 0, "payments": 0, "open": 0}
    now = timezone.now()
    # The demo shop's invoices were billed out through the services: charged already.
    invoices = (
        WorkOrder.objects.filter(closed_at__isnull=False, grand_total__gt=0)
        .exclude(Exists(LedgerEntry.objects.filter(work_order=OuterRef("pk"))))
        .order_by("closed_at", "id")
        .values_list("id", "customer_id", "grand_total", "closed_at", "closed_by_id")
    )
    for index, (wo_id, customer_id, total, closed_at, by_id) in enumerate(
        invoices.iterator(chunk_size=BENCH_CHUNK)
    ):
        day = timezone.localdate(closed_at)
        age = (now - closed_at).days
        entry_id += 1
        entries.add(
            entry_id, "charge", customer_id, wo_id, total, None, "", None, "", "", "", "", "",
            "", None, None, day, by_id, closed_at,
        )  # fmt: skip
        counts["charges"] += 1
        is_company = ar_company is not None and customer_id == ar_company.pk
        if customer_id in ar_ids:
            charges.add(wo_id, customer_id, total, Decimal("0.00"), Decimal("0.00"), False,
                        by_id, closed_at)  # fmt: skip
            if is_company or age <= AR_OPEN_DAYS:
                counts["open"] += 1
                if is_company or rng.random() > AR_PARTIAL_SHARE:
                    continue
                amount = (total * Decimal(rng.choice((25, 40, 50))) / 100).quantize(Decimal("0.01"))
            else:
                amount = total
            # Paid on account, by check, some days after the bill-out.
            at = closed_at + timedelta(days=rng.randint(5, min(60, max(5, age))))
            at = min(at, now)
            payment_id += 1
            payments.add(payment_id, customer_id, None, "on_account", amount, Decimal("0.00"),
                         drawer.pk, timezone.localdate(at), "", by_id, at)  # fmt: skip
            pay_day = timezone.localdate(at)
            entry_id += 1
            entries.add(
                entry_id, "payment", customer_id, None, -amount, payment_id, "check", None,
                f"{1000 + index % 9000}", "", "", "", "", "", None, drawer.pk, pay_day, by_id, at,
            )  # fmt: skip
            for bucket, signed in ((wo_id, -amount), (None, amount)):
                entry_id += 1
                entries.add(
                    entry_id, "credit_applied", customer_id, bucket, signed, payment_id, "",
                    None, "", "", "", "", "", "", None, None, pay_day, by_id, at,
                )  # fmt: skip
        else:
            if age <= WALK_IN_OPEN_DAYS and rng.random() < WALK_IN_OPEN_SHARE:
                counts["open"] += 1
                continue
            at = closed_at + timedelta(minutes=rng.randint(2, 30))
            tender = rng.choices(("card", "cash", "check"), weights=(70, 22, 8))[0]
            tendered = (
                total.to_integral_value(ROUND_CEILING) + rng.choice((0, 1, 5))
                if tender == "cash"
                else None
            )
            change = tendered - total if tendered is not None else Decimal("0.00")
            payment_id += 1
            payments.add(payment_id, customer_id, wo_id, "invoice", total, change, drawer.pk,
                         day, "", by_id, at)  # fmt: skip
            entry_id += 1
            entries.add(
                entry_id, "payment", customer_id, wo_id, -total, payment_id, tender, tendered,
                f"{2000 + index % 8000}" if tender == "check" else "",
                "Visa" if tender == "card" else "",
                f"{index % 10000:04d}" if tender == "card" else "",
                f"B{index:07d}"[-8:] if tender == "card" else "",
                "", "", None, drawer.pk, day, by_id, at,
            )  # fmt: skip
        if len(entries.rows) >= BENCH_CHUNK:
            payments.flush(), entries.flush(), charges.flush()  # parents first
    payments.flush(), entries.flush(), charges.flush()
    counts["payments"] = Payment.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Payment, LedgerEntry, AccountCharge):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
    return counts
