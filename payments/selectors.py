"""Reads of money: balances are sums of ledger entries, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.models import Customer
from payments.models import (
    ZERO,
    AccountCharge,
    ArAccount,
    DayClose,
    LedgerEntry,
    Payment,
    Tender,
)
from shop.dates import day_bounds
from workorders.models import WorkOrder

MONEY_ZERO = Coalesce(Sum("amount"), ZERO)


@dataclass(frozen=True)
class InvoiceBalance:
    """What a work order's bucket of the ledger says: billed, paid, balance due.

    Before bill-out (an estimate, a repair order, a reopened invoice) `billed` is zero and
    a negative balance is money held on the work order (a deposit, or payments kept
    after a reopen) that the invoice will use when it is billed out.
    """

    work_order_id: int
    billed: Decimal
    balance: Decimal
    is_billed: bool

    @property
    def paid(self) -> Decimal:
        return self.billed - self.balance

    @property
    def held(self) -> Decimal:
        """Money on the work order before bill-out (deposits, payments kept on a reopen)."""
        return -self.balance if not self.is_billed and self.balance < 0 else ZERO

    @property
    def state(self) -> str:
        if not self.is_billed:
            return "deposit" if self.held > 0 else "none"
        if self.balance <= 0:
            return "paid"
        if self.balance < self.billed:
            return "partial"
        return "unpaid"

    @property
    def state_label(self) -> str:
        return {
            "paid": "Paid",
            "partial": "Partly paid",
            "unpaid": "Unpaid",
            "deposit": "Deposit",
            "none": "",
        }[self.state]


def bucket_balance(*, customer_id: int | None = None, work_order_id: int | None) -> Decimal:
    """The sum of one bucket: a work order's, or (work_order_id=None) a customer's credit."""
    entries = LedgerEntry.objects.filter(work_order_id=work_order_id)
    if work_order_id is None:
        entries = entries.filter(customer_id=customer_id)
    return entries.aggregate(total=MONEY_ZERO)["total"]


def invoice_balances(work_orders: Iterable[WorkOrder]) -> dict[int, InvoiceBalance]:
    """Each work order's balance, in one query whatever their number."""
    work_orders = list(work_orders)
    sums = dict(
        LedgerEntry.objects.filter(work_order__in=[wo.pk for wo in work_orders])
        .order_by()
        .values("work_order_id")
        .annotate(total=Sum("amount"))
        .values_list("work_order_id", "total")
    )
    return {
        wo.pk: InvoiceBalance(
            work_order_id=wo.pk,
            billed=wo.grand_total if wo.closed_at else ZERO,
            balance=sums.get(wo.pk, ZERO),
            is_billed=wo.closed_at is not None,
        )
        for wo in work_orders
    }


def invoice_balance(work_order: WorkOrder) -> InvoiceBalance:
    return invoice_balances([work_order])[work_order.pk]


@dataclass
class CustomerAccount:
    customer: Customer
    balance: Decimal
    unapplied_credit: Decimal
    held_on_work_orders: Decimal
    open_invoices: list[tuple[WorkOrder, Decimal]] = field(default_factory=list)

    @property
    def owed(self) -> Decimal:
        return sum((balance for _wo, balance in self.open_invoices), ZERO)

    @property
    def credit_on_account(self) -> Decimal:
        """Money on account not applied to an invoice (payments on account, credits)."""
        return max(self.unapplied_credit, ZERO)

    @property
    def charges_on_account(self) -> Decimal:
        """Owed on the account itself, not on an invoice: finance charges beyond any
        credit (the account's own bucket is then a debit)."""
        return max(-self.unapplied_credit, ZERO)


def customer_balance(customer: Customer | int) -> Decimal:
    """What the customer owes (negative: the shop owes them), from every entry."""
    pk = customer.pk if isinstance(customer, Customer) else customer
    return LedgerEntry.objects.filter(customer_id=pk).aggregate(total=MONEY_ZERO)["total"]


def customer_balances(customer_ids: Iterable[int]) -> dict[int, Decimal]:
    return dict(
        LedgerEntry.objects.filter(customer_id__in=list(customer_ids))
        .order_by()
        .values("customer_id")
        .annotate(total=Sum("amount"))
        .values_list("customer_id", "total")
    )


def _work_order_light(**known) -> WorkOrder:
    """A WorkOrder with only `known` loaded (the rest deferred), built the way the ORM
    builds a row read from the database: several times faster than WorkOrder(**known),
    which sets every other field's default (500 open invoices on A/R Status)."""
    names = [f.attname for f in WorkOrder._meta.concrete_fields if f.attname in known]
    return WorkOrder.from_db("default", names, [known[name] for name in names])


def customer_account(customer: Customer) -> CustomerAccount:
    """The customer's balance, credit and open invoices: one query (each bucket's sum, with
    its work order's bill-out date and total alongside)."""
    buckets = list(
        LedgerEntry.objects.filter(customer=customer)
        .order_by()
        .values(
            "work_order_id",
            "work_order__closed_at",
            "work_order__created_at",
            "work_order__grand_total",
        )
        .annotate(total=Sum("amount"))
    )
    unapplied = -sum((b["total"] for b in buckets if b["work_order_id"] is None), ZERO)
    open_invoices, held = [], ZERO
    work_order_buckets = [b for b in buckets if b["work_order_id"] is not None]
    work_order_buckets.sort(
        key=lambda b: (
            b["work_order__closed_at"] or b["work_order__created_at"],
            b["work_order_id"],
        )
    )
    for bucket in work_order_buckets:
        balance = bucket["total"]
        if bucket["work_order__closed_at"] is not None and balance > 0:
            wo = _work_order_light(
                id=bucket["work_order_id"],
                customer_id=customer.pk,
                closed_at=bucket["work_order__closed_at"],
                created_at=bucket["work_order__created_at"],
                grand_total=bucket["work_order__grand_total"],
            )
            open_invoices.append((wo, balance))
        elif balance < 0:
            held += -balance
    return CustomerAccount(
        customer=customer,
        balance=sum((b["total"] for b in buckets), ZERO),
        unapplied_credit=unapplied,
        held_on_work_orders=held,
        open_invoices=open_invoices,
    )


def ar_terms(customer: Customer) -> ArAccount:
    """The account's terms, or the defaults (not saved) when none were set."""
    return ArAccount.objects.filter(customer=customer).first() or ArAccount(customer=customer)


def open_invoices_oldest_first(customer: Customer) -> list[tuple[WorkOrder, Decimal]]:
    return customer_account(customer).open_invoices


def _entries_prefetch() -> Prefetch:
    return Prefetch(
        "entries",
        queryset=LedgerEntry.objects.select_related("reversed_by").order_by("id"),
    )


def payments_for_work_order(work_order: WorkOrder) -> list[Payment]:
    """The payments taken at this work order (its tenders prefetched): two queries."""
    return list(
        Payment.objects.filter(work_order=work_order)
        .select_related("taken_by", "drawer")
        .prefetch_related(_entries_prefetch())
        .order_by("taken_at", "id")
    )


def account_charge(work_order: WorkOrder) -> AccountCharge | None:
    return AccountCharge.objects.filter(work_order=work_order).select_related("charged_by").first()


def unapplied_credit(customer_id: int) -> Decimal:
    return -bucket_balance(customer_id=customer_id, work_order_id=None)


def payment_entries(payment: Payment) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(payment=payment)
        .select_related("reversed_by", "recorded_by", "work_order")
        .order_by("id")
    )


@dataclass(frozen=True)
class PaidRow:
    """One payment in Paid A/R: its tenders and where its money went."""

    payment: Payment
    tenders: list[LedgerEntry]
    applied: list[tuple[int | None, Decimal]]  # (work order id or None for credit, amount)
    refunded: Decimal
    voided: bool


def paid_history(customer: Customer, *, limit: int = 200) -> list[PaidRow]:
    """The customer's payments, newest first, with tenders and what each was applied to:
    two queries whatever the number."""
    payments = list(
        Payment.objects.filter(customer=customer)
        .select_related("taken_by", "work_order")
        .prefetch_related(_entries_prefetch())
        .order_by("-taken_at", "-id")[:limit]
    )
    rows = []
    for payment in payments:
        entries = list(payment.entries.all())
        applied: dict[int | None, Decimal] = {}
        for entry in entries:
            if entry.kind in (LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.CREDIT_APPLIED):
                applied[entry.work_order_id] = applied.get(entry.work_order_id, ZERO) - entry.amount
        rows.append(
            PaidRow(
                payment=payment,
                tenders=[e for e in entries if e.kind == LedgerEntry.Kind.PAYMENT],
                applied=[(wo, amount) for wo, amount in applied.items() if amount],
                refunded=sum(
                    (e.amount for e in entries if e.kind == LedgerEntry.Kind.REFUND), ZERO
                ),
                voided=any(e.kind == LedgerEntry.Kind.PAYMENT and _reversed(e) for e in entries),
            )
        )
    return rows


def _reversed(entry: LedgerEntry) -> bool:
    try:
        return entry.reversed_by is not None
    except LedgerEntry.reversed_by.RelatedObjectDoesNotExist:
        return False


AGE_BUCKETS = (
    ("current", "Current", 0, 30),
    ("31_60", "31-60 days", 31, 60),
    ("61_90", "61-90 days", 61, 90),
    ("over_90", "Over 90 days", 91, None),
)


def age_bucket(days: int) -> str:
    for key, _label, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days <= high):
            return key
    return AGE_BUCKETS[0][0]


@dataclass
class OpenInvoice:
    work_order: WorkOrder
    balance: Decimal
    billed_on: date
    days: int
    bucket: str
    due_on: date | None = None

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def bucket_label(self) -> str:
        return next(label for key, label, _low, _high in AGE_BUCKETS if key == self.bucket)


@dataclass
class ArStatus:
    account: CustomerAccount
    invoices: list[OpenInvoice]
    totals: list[tuple[str, str, Decimal]]
    as_of: date

    @property
    def total(self) -> Decimal:
        return sum((amount for _k, _l, amount in self.totals), ZERO)


def ar_status(
    customer: Customer, *, as_of: date | None = None, terms: ArAccount | None = None
) -> ArStatus:
    """A/R Status: open invoices with their age (from the bill-out date) and the totals by
    age: two queries whatever the number of invoices (one when the caller read `terms`)."""
    as_of = as_of or timezone.localdate()
    account = customer_account(customer)
    net_days = (terms or ar_terms(customer)).net_days if customer.is_ar else None
    invoices = []
    for wo, balance in account.open_invoices:
        billed_on = timezone.localdate(wo.closed_at)
        days = max(0, (as_of - billed_on).days)
        due_on = billed_on + timedelta(days=net_days) if net_days is not None else None
        invoices.append(OpenInvoice(wo, balance, billed_on, days, age_bucket(days), due_on))
    totals = [
        (key, label, sum((i.balance for i in invoices if i.bucket == key), ZERO))
        for key, label, _low, _high in AGE_BUCKETS
    ]
    return ArStatus(account=account, invoices=invoices, totals=totals, as_of=as_of)


def payment_refundable(payment: Payment) -> Decimal:
    """What may still be refunded: its tenders, less refunds and voids so far."""
    totals = LedgerEntry.objects.filter(payment=payment).aggregate(
        taken=Coalesce(Sum("amount", filter=Q(kind=LedgerEntry.Kind.PAYMENT)), ZERO),
        refunded=Coalesce(Sum("amount", filter=Q(kind=LedgerEntry.Kind.REFUND)), ZERO),
        reversed=Coalesce(
            Sum(
                "amount",
                filter=Q(
                    kind=LedgerEntry.Kind.REVERSAL,
                    reverses__kind__in=[LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.REFUND],
                ),
            ),
            ZERO,
        ),
    )
    return -totals["taken"] - totals["refunded"] - totals["reversed"]


def payment_is_voided(payment: Payment) -> bool:
    return LedgerEntry.objects.filter(
        reverses__payment=payment, reverses__kind=LedgerEntry.Kind.PAYMENT
    ).exists()


def drawer_open_day(*, drawer_id: int, day: date) -> date:
    """The first day from `day` on whose End of Day the drawer is not closed: where money
    that arrives by itself (a payment by link) is counted. One query."""
    closed = set(
        DayClose.objects.filter(drawer_id=drawer_id, business_date__gte=day).values_list(
            "business_date", flat=True
        )
    )
    while day in closed:
        day += timedelta(days=1)
    return day


def tender_totals(*, drawer_id: int | None, business_date: date) -> dict[str, Decimal]:
    """Money in (positive) or out by tender on a day, from the entries dated that day."""
    entries = LedgerEntry.objects.filter(business_date=business_date).exclude(tender="")
    if drawer_id is not None:
        entries = entries.filter(drawer_id=drawer_id)
    return {
        tender: -total
        for tender, total in entries.order_by()
        .values("tender")
        .annotate(total=Sum("amount"))
        .values_list("tender", "total")
    }


@dataclass
class DrawerDay:
    """A drawer's day for End of Day: expected by tender, and its close if it is closed."""

    drawer_id: int
    business_date: date
    expected: dict[str, Decimal]
    close: DayClose | None

    @property
    def rows(self) -> list[tuple[str, str, Decimal, Decimal | None, Decimal | None]]:
        """(tender, label, expected, counted, over/short) per tender."""
        rows = []
        for tender, label in Tender.choices:
            expected = (
                Decimal(self.close.expected.get(tender, "0"))
                if self.close
                else self.expected.get(tender, ZERO)
            )
            counted = Decimal(self.close.counted.get(tender, "0")) if self.close else None
            rows.append(
                (tender, label, expected, counted, counted - expected if self.close else None)
            )
        return rows

    @property
    def expected_total(self) -> Decimal:
        return sum((row[2] for row in self.rows), ZERO)


def drawer_day(*, drawer_id: int, business_date: date) -> DrawerDay:
    return DrawerDay(
        drawer_id=drawer_id,
        business_date=business_date,
        expected=tender_totals(drawer_id=drawer_id, business_date=business_date),
        close=DayClose.objects.filter(drawer_id=drawer_id, business_date=business_date)
        .select_related("closed_by", "drawer")
        .first(),
    )


def recent_closes(limit: int = 20) -> list[DayClose]:
    return list(
        DayClose.objects.select_related("drawer", "closed_by").order_by(
            "-business_date", "drawer__name"
        )[:limit]
    )


@dataclass
class DailySales:
    """The Daily Sales and Collections figures of one day (all drawers)."""

    day: date
    invoice_count: int
    invoice_subtotal: Decimal
    invoice_tax: Decimal
    invoice_total: Decimal
    by_tender: list[tuple[str, Decimal]]
    by_kind: list[tuple[str, Decimal]]
    refunds: Decimal
    ar_charge_count: int
    ar_charges: Decimal

    @property
    def collected(self) -> Decimal:
        return sum((amount for _label, amount in self.by_tender), ZERO)

    def csv_rows(self) -> list[list]:
        rows: list[list] = [
            ["Daily Sales and Collections", self.day],
            [],
            ["Section", "Item", "Amount"],
            ["Invoices", "Count", self.invoice_count],
            ["Invoices", "Subtotal", self.invoice_subtotal],
            ["Invoices", "Tax", self.invoice_tax],
            ["Invoices", "Total", self.invoice_total],
        ]
        rows += [["Payments by tender", label, amount] for label, amount in self.by_tender]
        rows.append(["Payments by tender", "Collected", self.collected])
        rows += [["Payments by kind", label, amount] for label, amount in self.by_kind]
        rows += [
            ["Refunds", "Given back", self.refunds],
            ["A/R", "Invoices charged to account", self.ar_charge_count],
            ["A/R", "Charged to account", self.ar_charges],
        ]
        return rows


# A day's total of each kind of payment, named as a total ("Payments on account", not
# the kind's own name with an s).
DAILY_SALES_KIND_LABELS = {
    Payment.Kind.INVOICE: "Invoice payments",
    Payment.Kind.DEPOSIT: "Deposits",
    Payment.Kind.ON_ACCOUNT: "Payments on account",
}


def daily_sales(day: date) -> DailySales:
    """Five queries whatever the day's volume."""
    start, end = day_bounds(day)
    invoices = WorkOrder.objects.filter(closed_at__gte=start, closed_at__lt=end).aggregate(
        count=Count("id"),
        subtotal=Coalesce(Sum("grand_total") - Sum("tax_total"), ZERO),
        tax=Coalesce(Sum("tax_total"), ZERO),
        total=Coalesce(Sum("grand_total"), ZERO),
    )
    tenders = tender_totals(drawer_id=None, business_date=day)
    kinds = dict(
        Payment.objects.filter(business_date=day)
        .order_by()
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    refunds = LedgerEntry.objects.filter(business_date=day, kind=LedgerEntry.Kind.REFUND).aggregate(
        total=MONEY_ZERO
    )["total"]
    charges = AccountCharge.objects.filter(charged_at__gte=start, charged_at__lt=end).aggregate(
        count=Count("id"), total=MONEY_ZERO
    )
    return DailySales(
        day=day,
        invoice_count=invoices["count"],
        invoice_subtotal=invoices["subtotal"],
        invoice_tax=invoices["tax"],
        invoice_total=invoices["total"],
        by_tender=[(label, tenders.get(tender, ZERO)) for tender, label in Tender.choices],
        by_kind=[
            (DAILY_SALES_KIND_LABELS.get(kind, label), kinds.get(kind, ZERO))
            for kind, label in Payment.Kind.choices
        ],
        refunds=refunds,
        ar_charge_count=charges["count"],
        ar_charges=charges["total"],
    )


@dataclass
class AgingRow:
    customer_id: int
    name: str
    is_ar: bool
    buckets: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


@dataclass
class AgingReport:
    as_of: date
    rows: list[AgingRow]

    @property
    def totals(self) -> dict[str, Decimal]:
        return {
            key: sum((row.buckets[key] for row in self.rows), ZERO)
            for key, _label, _low, _high in AGE_BUCKETS
        }

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)

    @property
    def labels(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label, _low, _high in AGE_BUCKETS]

    def rows_html(self, link: bool = False):
        """The table's rows, ready and escaped (payments/rows.py)."""
        from payments.rows import aging_rows, aging_rows_html

        return aging_rows_html(aging_rows(self), link=link)

    @property
    def rows_html_linked(self):
        return self.rows_html(link=True)

    def csv_rows(self) -> list[list]:
        head = ["Customer", "Customer #", "A/R account", *[label for _k, label in self.labels]]
        rows: list[list] = [["A/R aging as of", self.as_of], [], [*head, "Total"]]
        for row in self.rows:
            rows.append(
                [
                    row.name,
                    row.customer_id,
                    "yes" if row.is_ar else "no",
                    *[row.buckets[key] for key, _l in self.labels],
                    row.total,
                ]
            )
        rows.append(["Total", "", "", *[self.totals[k] for k, _l in self.labels], self.total])
        return rows


def ar_aging(as_of: date) -> AgingReport:
    """Every customer's open invoices as of a day, by age from the day they were billed
    out: the ledger's entries dated up to that day. Two queries whatever the volume."""
    buckets = (
        LedgerEntry.objects.filter(business_date__lte=as_of, work_order__isnull=False)
        .order_by()
        .values("customer_id", "work_order_id")
        .annotate(
            total=Sum("amount"),
            billed_on=Max("business_date", filter=Q(kind=LedgerEntry.Kind.CHARGE)),
        )
        .filter(total__gt=0, billed_on__isnull=False)
    )
    by_customer: dict[int, dict[str, Decimal]] = {}
    for bucket in buckets:
        days = max(0, (as_of - bucket["billed_on"]).days)
        ages = by_customer.setdefault(
            bucket["customer_id"], {key: ZERO for key, *_rest in AGE_BUCKETS}
        )
        ages[age_bucket(days)] += bucket["total"]
    customers = Customer.objects.filter(pk__in=list(by_customer)).only(
        "id", "kind", "first_name", "last_name", "company_name", "is_ar"
    )
    rows = [
        AgingRow(customer_id=c.pk, name=c.display_name, is_ar=c.is_ar, buckets=by_customer[c.pk])
        for c in customers
    ]
    rows.sort(key=lambda row: (-row.total, row.name))
    return AgingReport(as_of=as_of, rows=rows)
