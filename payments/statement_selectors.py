"""Reads for monthly statements and finance charges: a month's figures per customer, from the
ledger's entries dated in and before the month, in a fixed number of queries whatever the
number of customers."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from customers.models import Customer, CustomerEmail
from payments.models import (
    ZERO,
    ArAccount,
    FinanceChargeSettings,
    LedgerEntry,
    Statement,
    StatementRun,
)
from payments.selectors import AGE_BUCKETS, age_bucket

OTHER = "other"
AGING_LABELS = [(key, label) for key, label, _low, _high in AGE_BUCKETS] + [
    (OTHER, "Finance charges and credits")
]


def month_first(day: date) -> date:
    return day.replace(day=1)


def month_last(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def previous_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return month_first(month_first(today) - timedelta(days=1))


def finance_charge_settings_get() -> FinanceChargeSettings:
    """The one settings row (the defaults, finance charges off, until it is saved)."""
    return FinanceChargeSettings.objects.order_by("id").first() or FinanceChargeSettings()


@dataclass
class StatementFigures:
    """One customer's month: opening, the month's lines, closing and the aging at month end."""

    customer_id: int
    period: date
    opening_balance: Decimal = ZERO
    lines: list[dict] = field(default_factory=list)
    aging: dict[str, Decimal] = field(default_factory=dict)
    # (work order id, balance, billed on) of each invoice open at month end, oldest first.
    open_invoices: list[tuple[int, Decimal, date]] = field(default_factory=list)

    @property
    def charges(self) -> Decimal:
        return sum((Decimal(line["amount"]) for line in self.lines if line["amount"] > 0), ZERO)

    @property
    def payments(self) -> Decimal:
        return sum((Decimal(line["amount"]) for line in self.lines if line["amount"] < 0), ZERO)

    @property
    def closing_balance(self) -> Decimal:
        return self.opening_balance + self.charges + self.payments


def _line_text(entry: LedgerEntry) -> str:
    invoice = f" · invoice #{entry.work_order_id}" if entry.work_order_id else ""
    kind = entry.kind
    if kind == LedgerEntry.Kind.CHARGE:
        return f"Invoice #{entry.work_order_id}"
    if kind == LedgerEntry.Kind.FINANCE_CHARGE:
        return "Finance charge"
    if kind == LedgerEntry.Kind.PAYMENT:
        how = entry.get_tender_display()
        if entry.tender == "check" and entry.check_number:
            how = f"Check #{entry.check_number}"
        elif entry.tender == "card" and entry.card_last4:
            how = f"{entry.card_brand or 'Card'} ending {entry.card_last4}"
        return f"Payment, {how}{invoice}"
    if kind == LedgerEntry.Kind.REFUND:
        return f"Refund{invoice}: {entry.reason}"
    if kind == LedgerEntry.Kind.REVERSAL:
        return f"Reversal{invoice}: {entry.reason}"
    if kind == LedgerEntry.Kind.ADJUSTMENT:
        return f"Adjustment{invoice}: {entry.reason}"
    return f"Credit moved{invoice}"


def statement_figures(customer_ids: Iterable[int], period: date) -> dict[int, StatementFigures]:
    """Each customer's statement of the month starting `period`: three queries whatever the
    number of customers and entries.

    Lines are the month's entries by date; "credit applied" pairs that only move money
    between the customer's own invoices and credit add up to nothing and are left out (what
    is left of them, money moved from or to another customer's account, is one line)."""
    ids = list(customer_ids)
    first, last = month_first(period), month_last(period)
    figures = {pk: StatementFigures(customer_id=pk, period=first) for pk in ids}
    for pk, total in (
        LedgerEntry.objects.filter(customer_id__in=ids, business_date__lt=first)
        .order_by()
        .values("customer_id")
        .annotate(total=Sum("amount"))
        .values_list("customer_id", "total")
    ):
        figures[pk].opening_balance = total
    moved: dict[int, Decimal] = defaultdict(lambda: ZERO)
    entries = (
        LedgerEntry.objects.filter(
            customer_id__in=ids, business_date__gte=first, business_date__lte=last
        )
        .only(
            "id",
            "kind",
            "customer_id",
            "work_order_id",
            "amount",
            "tender",
            "check_number",
            "card_brand",
            "card_last4",
            "reason",
            "business_date",
        )
        .order_by("customer_id", "business_date", "id")
    )
    for entry in entries.iterator(chunk_size=5000):
        if entry.kind == LedgerEntry.Kind.CREDIT_APPLIED:
            moved[entry.customer_id] += entry.amount
            continue
        figures[entry.customer_id].lines.append(
            {"date": entry.business_date, "text": _line_text(entry), "amount": entry.amount}
        )
    for pk, amount in moved.items():
        if amount:
            text = "Charged from a family member" if amount > 0 else "Moved to another account"
            figures[pk].lines.append({"date": last, "text": text, "amount": amount})
    buckets = (
        LedgerEntry.objects.filter(
            customer_id__in=ids, business_date__lte=last, work_order__isnull=False
        )
        .order_by()
        .values("customer_id", "work_order_id", "work_order__closed_at")
        .annotate(
            total=Sum("amount"),
            billed_on=Max("business_date", filter=Q(kind=LedgerEntry.Kind.CHARGE)),
        )
        .filter(total__gt=0)
    )
    for bucket in buckets:
        billed_on = bucket["billed_on"]
        if billed_on is None:
            closed_at = bucket["work_order__closed_at"]
            billed_on = timezone.localdate(closed_at) if closed_at else last
        figures[bucket["customer_id"]].open_invoices.append(
            (bucket["work_order_id"], bucket["total"], billed_on)
        )
    for figure in figures.values():
        figure.open_invoices.sort(key=lambda row: (row[2], row[0]))
        aging = {key: ZERO for key, _label in AGING_LABELS}
        for _wo, balance, billed_on in figure.open_invoices:
            aging[age_bucket(max(0, (last - billed_on).days))] += balance
        aging[OTHER] = figure.closing_balance - sum(aging.values(), ZERO)
        figure.aging = aging
    return figures


def statement_customer_ids(period: date) -> list[int]:
    """Every A/R customer with a balance at the end of the month, by name: one query."""
    last = month_last(period)
    owing = (
        LedgerEntry.objects.filter(customer_id=OuterRef("pk"), business_date__lte=last)
        .order_by()
        .values("customer_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
    )
    return list(
        Customer.objects.filter(is_ar=True)
        .filter(Exists(owing))
        .order_by("last_name", "first_name", "company_name", "id")
        .values_list("id", flat=True)
    )


def statement_customers(customer_ids: Iterable[int]) -> dict[int, Customer]:
    """The customers with their e-mails (two queries)."""
    return Customer.objects.prefetch_related(
        Prefetch("emails", queryset=CustomerEmail.objects.order_by("id"))
    ).in_bulk(list(customer_ids))


def net_days_by_customer(customer_ids: Iterable[int]) -> dict[int, int]:
    """Each customer's terms (the default where none were set): one query."""
    default = ArAccount._meta.get_field("net_days").default
    found = dict(
        ArAccount.objects.filter(customer_id__in=list(customer_ids)).values_list(
            "customer_id", "net_days"
        )
    )
    return defaultdict(lambda: default, found)


def past_due(figures: StatementFigures, net_days: int) -> Decimal:
    """What was past its terms at the end of the month."""
    last = month_last(figures.period)
    return sum(
        (
            balance
            for _wo, balance, billed_on in figures.open_invoices
            if billed_on + timedelta(days=net_days) < last
        ),
        ZERO,
    )


def statements_of_customer(customer: Customer, *, limit: int = 24) -> list[Statement]:
    return list(Statement.objects.filter(customer=customer).order_by("-period")[:limit])


def recent_statement_runs(limit: int = 10) -> list[StatementRun]:
    return list(
        StatementRun.objects.select_related("customer", "created_by").order_by("-created_at")[
            :limit
        ]
    )


def statement_for_print(statement_ids: Iterable[int]) -> list[Statement]:
    return list(
        Statement.objects.filter(pk__in=list(statement_ids))
        .select_related("customer")
        .order_by("customer__last_name", "customer__first_name", "customer__company_name", "id")
    )
