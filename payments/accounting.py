"""The accountant's export: a day or a month of the ledger as a double-entry journal in CSV,
for an accounting package to import (QuickBooks, Xero and the like read such a journal).

Every ledger entry of the period becomes two or more journal lines that balance (its
debits equal its credits), so the whole file balances too. The account names come from
Payments → Accounting settings (`AccountingSettings`, one row).

Columns, in this order (the first row of the file names them):

| column | what it holds |
|---|---|
| `date` | the entry's business date (the drawer's day), YYYY-MM-DD |
| `journal_no` | `L` + the ledger entry's id: the lines of one entry share it |
| `entry_kind` | charge, payment, refund, adjustment, finance_charge, reversal |
| `account` | the account's name from the settings |
| `debit` | an amount with two decimals, or empty |
| `credit` | an amount with two decimals, or empty |
| `customer` | the customer's name |
| `customer_no` | the customer's id in the shop |
| `invoice` | the work order (invoice) number, or empty for money on account |
| `tender` | cash, check, card, online (pay by link), other (payments and refunds), or empty |
| `reference` | the check number, the card's brand and last four, or the tender's reference |
| `memo` | what happened: "Invoice #12", "Payment #7", the reason of a refund or reversal |

How each kind is booked:

- **charge** (an invoice billed out): debit receivable with the grand total; credit
  sales with the total less tax, and sales tax with the invoice's tax.
- **payment**: debit the tender's account (cash, checks, cards — pay by link's online
  payments too —, other); credit receivable.
- **refund**: debit receivable; credit the tender's account.
- **finance_charge**: debit receivable; credit finance charges.
- **adjustment**: receivable against adjustments, by its sign.
- **reversal** (a void, a reopened invoice's charge): the reversed entry's lines with
  debit and credit swapped.
- **credit_applied** entries are left out: they move money between the invoices of one
  customer's account, inside receivable, and change no account.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from payments.models import ZERO, AccountingSettings, LedgerEntry
from shop.selectors import single_row_get

COLUMNS = [
    "date", "journal_no", "entry_kind", "account", "debit", "credit", "customer",
    "customer_no", "invoice", "tender", "reference", "memo",
]  # fmt: skip
COLUMN_HELP = [
    ("date", "The entry's business date (the drawer's day), YYYY-MM-DD"),
    ("journal_no", "L + the ledger entry's number: the lines of one entry share it"),
    ("entry_kind", "charge, payment, refund, adjustment, finance_charge, reversal"),
    ("account", "The account's name, from Accounting settings"),
    ("debit", "An amount, or empty"),
    ("credit", "An amount, or empty"),
    ("customer", "The customer's name"),
    ("customer_no", "The customer's number in the shop"),
    ("invoice", "The invoice (work order) number; empty for money on account"),
    ("tender", "cash, check, card, online or other, for payments and refunds"),
    ("reference", "Check number, card brand and last four, or the tender's reference"),
    ("memo", "What happened: the invoice, the payment, the reason of a refund or void"),
]
# Pay by link's online payments settle through the card processor, like cards.
TENDER_ACCOUNT = {
    "cash": "cash",
    "check": "checks",
    "card": "card",
    "online": "card",
    "other": "other",
}


def accounting_settings_get() -> AccountingSettings:
    """The export's account names (the defaults until someone saves them)."""
    return single_row_get(AccountingSettings)


def period_bounds(day: date, period: str) -> tuple[date, date]:
    """(first, last) day of the period: the day itself, or its calendar month."""
    if period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


@dataclass(frozen=True)
class JournalLine:
    date: date
    journal_no: str
    entry_kind: str
    account: str
    debit: Decimal
    credit: Decimal
    customer: str
    customer_no: int
    invoice: int | None
    tender: str
    reference: str
    memo: str

    def row(self) -> list:
        return [
            self.date.isoformat(), self.journal_no, self.entry_kind, self.account,
            f"{self.debit:.2f}" if self.debit else "", f"{self.credit:.2f}" if self.credit else "",
            self.customer, self.customer_no, self.invoice or "", self.tender, self.reference,
            self.memo,
        ]  # fmt: skip


def _reference(entry: LedgerEntry) -> str:
    if entry.check_number:
        return entry.check_number
    if entry.card_last4:
        return f"{entry.card_brand} {entry.card_last4}".strip()
    return entry.reference


def _postings(entry: LedgerEntry, names: AccountingSettings) -> list[tuple[str, Decimal]]:
    """(account, signed amount: + debit, - credit) of one entry; they sum to zero."""
    kind, amount = entry.kind, entry.amount
    if kind == LedgerEntry.Kind.REVERSAL:
        return [(account, -signed) for account, signed in _postings(entry.reverses, names)]
    if kind == LedgerEntry.Kind.CHARGE:
        work_order = entry.work_order
        tax = ZERO
        if work_order is not None and work_order.grand_total == amount:
            tax = work_order.tax_total
        lines = [(names.receivable, amount), (names.sales, -(amount - tax))]
        return [*lines, (names.sales_tax, -tax)] if tax else lines
    if kind in (LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.REFUND):
        tender = getattr(names, TENDER_ACCOUNT.get(entry.tender, "other"))
        return [(tender, -amount), (names.receivable, amount)]
    if kind == LedgerEntry.Kind.FINANCE_CHARGE:
        return [(names.receivable, amount), (names.finance_charges, -amount)]
    if kind == LedgerEntry.Kind.ADJUSTMENT:
        return [(names.receivable, amount), (names.adjustments, -amount)]
    return []  # credit applied: inside receivable


def _memo(entry: LedgerEntry) -> str:
    if entry.reason:
        return entry.reason
    if entry.kind == LedgerEntry.Kind.CHARGE:
        return f"Invoice #{entry.work_order_id}"
    if entry.payment_id:
        return f"Payment #{entry.payment_id}"
    return entry.get_kind_display()


def journal_lines(first: date, last: date) -> list[JournalLine]:
    """The journal of the entries dated from `first` to `last`: one query, in entry order."""
    names = accounting_settings_get()
    entries = (
        LedgerEntry.objects.filter(business_date__range=(first, last))
        .exclude(kind=LedgerEntry.Kind.CREDIT_APPLIED)
        .select_related("customer", "work_order", "reverses", "reverses__work_order")
        .order_by("business_date", "id")
    )
    lines = []
    for entry in entries:
        for account, signed in _postings(entry, names):
            if not signed:
                continue
            lines.append(
                JournalLine(
                    date=entry.business_date,
                    journal_no=f"L{entry.pk}",
                    entry_kind=entry.kind,
                    account=account,
                    debit=signed if signed > 0 else ZERO,
                    credit=-signed if signed < 0 else ZERO,
                    customer=entry.customer.display_name,
                    customer_no=entry.customer_id,
                    invoice=entry.work_order_id,
                    tender=entry.tender,
                    reference=_reference(entry),
                    memo=_memo(entry),
                )
            )
    return lines


def journal_csv_rows(first: date, last: date) -> list[list]:
    return [COLUMNS, *[line.row() for line in journal_lines(first, last)]]
