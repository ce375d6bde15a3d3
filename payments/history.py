"""The customer's account on the customer's page (customers.history): the balance, credit,
open invoices (each with its paid / partial / unpaid badge), and the way to the account's
pages. An A/R customer's rows use the A/R words (A/R Status, Paid A/R); a walk-in who
owes on an invoice has no A/R account, so theirs say what it is: a balance due."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from customers.history import HistoryRow, HistoryRows, history_source_register, split_more
from customers.models import Customer
from payments import selectors

# The badge colours of app.css for an invoice's state (payments.css is not on the page).
STATE_TONES = {"paid": "ok", "partial": "warn", "unpaid": "danger", "deposit": "info"}


def _balance_words(balance: Decimal) -> str:
    if balance > 0:
        return f"Balance due ${balance:,.2f}"
    if balance < 0:
        return f"Credit ${-balance:,.2f}"
    return "Balance $0.00"


def customer_account_rows(request: HttpRequest, customer: Customer, limit: int) -> HistoryRows:
    account = selectors.customer_account(customer)
    quiet = not (account.open_invoices or account.unapplied_credit or account.balance)
    if quiet and not customer.is_ar:
        return HistoryRows([])
    ar_status = reverse("payments:ar_status", args=[customer.pk])
    paid_ar = reverse("payments:paid_ar", args=[customer.pk])
    details = tuple(
        part
        for part in (
            "A/R account" if customer.is_ar else "",
            f"{len(account.open_invoices)} open invoice"
            f"{'s' if len(account.open_invoices) != 1 else ''}",
            f"credit ${account.credit_on_account:,.2f}" if account.credit_on_account else "",
            f"finance charges ${account.charges_on_account:,.2f}"
            if account.charges_on_account
            else "",
        )
        if part
    )
    payments_details = ("payments and what each was applied to",)
    if customer.is_ar:
        rows = [
            HistoryRow(
                f"A/R Status: balance ${account.balance:,.2f}", url=ar_status, details=details
            ),
            HistoryRow("Paid A/R", url=paid_ar, details=payments_details),
        ]
    else:
        rows = [
            HistoryRow(_balance_words(account.balance), url=ar_status, details=details),
            HistoryRow("Payments", url=paid_ar, details=payments_details),
        ]
    invoices, more = split_more(account.open_invoices, limit)
    for wo, balance in invoices:
        # The state from the amounts already read: the invoice's total and what is left.
        state = selectors.InvoiceBalance(
            work_order_id=wo.pk, billed=wo.grand_total, balance=balance, is_billed=True
        )
        rows.append(
            HistoryRow(
                f"Invoice #{wo.pk}",
                url=reverse("payments:take", args=[wo.pk]),
                details=(
                    date_format(timezone.localtime(wo.closed_at), "M j, Y"),
                    f"${balance:,.2f} due",
                ),
                badge=state.state_label,
                badge_tone=STATE_TONES.get(state.state, ""),
            )
        )
    return HistoryRows(rows, more=more, more_url=ar_status)


def register() -> None:
    history_source_register(
        key="payments_account",
        title="Account",
        security_function="take_payments",
        order=5,
        customer_rows=customer_account_rows,
    )
