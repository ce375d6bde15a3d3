"""The customer's account on the customer's page (customers.history): the balance, credit,
open invoices, and the way to A/R Status and Paid A/R."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from customers.history import HistoryRow, HistoryRows, history_source_register, split_more
from customers.models import Customer
from payments import selectors


def customer_account_rows(request: HttpRequest, customer: Customer, limit: int) -> HistoryRows:
    account = selectors.customer_account(customer)
    quiet = not (account.open_invoices or account.unapplied_credit or account.balance)
    if quiet and not customer.is_ar:
        return HistoryRows([])
    rows = [
        HistoryRow(
            f"A/R Status: balance ${account.balance:,.2f}",
            url=reverse("payments:ar_status", args=[customer.pk]),
            details=tuple(
                part
                for part in (
                    "A/R account" if customer.is_ar else "",
                    f"{len(account.open_invoices)} open invoice"
                    f"{'s' if len(account.open_invoices) != 1 else ''}",
                    f"credit ${account.credit_on_account:,.2f}"
                    if account.credit_on_account
                    else "",
                    f"finance charges ${account.charges_on_account:,.2f}"
                    if account.charges_on_account
                    else "",
                )
                if part
            ),
        ),
        HistoryRow(
            "Paid A/R",
            url=reverse("payments:paid_ar", args=[customer.pk]),
            details=("payments and what each was applied to",),
        ),
    ]
    invoices, more = split_more(account.open_invoices, limit)
    rows += [
        HistoryRow(
            f"Invoice #{wo.pk}: ${balance:,.2f} due",
            url=reverse("payments:take", args=[wo.pk]),
            details=(date_format(timezone.localtime(wo.closed_at), "M j, Y"),),
        )
        for wo, balance in invoices
    ]
    return HistoryRows(rows, more=more, more_url=reverse("payments:ar_status", args=[customer.pk]))


def register() -> None:
    history_source_register(
        key="payments_account",
        title="Account",
        security_function="take_payments",
        order=5,
        customer_rows=customer_account_rows,
    )
