"""The accountant's export: column order, every entry's debits equal its credits (and the
file's), the account names from the settings; the settings' bad input refused."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from payments import services
from payments.accounting import COLUMNS, accounting_settings_get, journal_lines
from payments.models import AccountingSettings
from shop.errors import ServiceError
from shop.models import ShopProfile
from tests.payments.conftest import bill_out, card, cash, reopen, work_order_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxed(db):
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("10.000")}
    )


def taxed_invoice(by, amount: str):
    """An invoice of `amount` in parts, taxed at 10%."""
    from tests.workorders.factories import VehicleFactory
    from workorders import services as workorder_services

    work_order = workorder_services.workorder_create(
        by=by, vehicle=VehicleFactory(), odometer_in=1000
    )
    job = workorder_services.job_add(
        by=by, work_order=work_order, version=work_order.version, title="Brakes", category="Brakes"
    )
    work_order.refresh_from_db()
    workorder_services.line_add(
        by=by, job=job, version=work_order.version, kind="part", description="Pads",
        quantity="1", unit_price=amount,
    )  # fmt: skip
    return bill_out(work_order, by)


def _read(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]


def _money(value: str) -> Decimal:
    return Decimal(value) if value else Decimal("0.00")


def _balanced(rows: list[dict]) -> None:
    by_entry: dict[str, Decimal] = {}
    for row in rows:
        assert bool(row["debit"]) != bool(row["credit"]), row  # one side per line
        by_entry[row["journal_no"]] = (
            by_entry.get(row["journal_no"], Decimal(0))
            + _money(row["debit"])
            - _money(row["credit"])
        )
    assert by_entry and set(by_entry.values()) == {Decimal("0.00")}


def test_a_day_of_charges_payments_refunds_and_voids_balances(
    client, owner, advisor, statuses, taxed
):
    invoice = taxed_invoice(advisor, "100.00")  # $110 with tax
    split = services.payment_take(
        by=advisor, work_order=invoice, tenders=[cash("60.00", "80.00"), card("50.00")]
    )
    services.payment_refund(by=owner, payment=split, amount="10.00", tender="cash", reason="Coupon")
    other = bill_out(work_order_write(advisor, amount="40.00"), advisor)
    mistake = services.payment_take(by=advisor, work_order=other, tenders=[cash("40.00")])
    services.payment_void(by=owner, payment=mistake, reason="Wrong invoice")
    reopen(other, advisor)  # the charge is reversed

    client.force_login(owner)
    today = timezone.localdate()
    rows = _read(
        client.get(
            reverse("payments:accounting_export"), {"period": "day", "date": today.isoformat()}
        )
    )
    _balanced(rows)
    debits = sum(_money(r["debit"]) for r in rows)
    credits = sum(_money(r["credit"]) for r in rows)
    assert debits == credits
    charge = [r for r in rows if r["entry_kind"] == "charge" and r["invoice"] == str(invoice.pk)]
    assert [(r["account"], r["debit"], r["credit"]) for r in charge] == [
        ("Accounts Receivable", "110.00", ""),
        ("Sales", "", "100.00"),
        ("Sales Tax Payable", "", "10.00"),
    ]
    assert charge[0]["customer_no"] == str(invoice.customer_id)
    assert charge[0]["date"] == today.isoformat() and charge[0]["memo"] == f"Invoice #{invoice.pk}"
    payments = [r for r in rows if r["entry_kind"] == "payment"]
    assert ("Card Clearing", "50.00", "") in [
        (r["account"], r["debit"], r["credit"]) for r in payments
    ]
    card_line = next(r for r in payments if r["account"] == "Card Clearing")
    assert card_line["tender"] == "card" and card_line["reference"] == "Visa 4242"
    refund = [r for r in rows if r["entry_kind"] == "refund"]
    assert [(r["account"], r["debit"], r["credit"], r["memo"]) for r in refund] == [
        ("Undeposited Funds - Cash", "", "10.00", "Coupon"),
        ("Accounts Receivable", "10.00", "", "Coupon"),
    ]
    reversals = [r for r in rows if r["entry_kind"] == "reversal"]
    # The void swaps the payment's two lines; the reopen the untaxed charge's two.
    assert sorted((r["account"], r["debit"], r["credit"]) for r in reversals) == [
        ("Accounts Receivable", "", "40.00"),
        ("Accounts Receivable", "40.00", ""),
        ("Sales", "40.00", ""),
        ("Undeposited Funds - Cash", "", "40.00"),
    ]
    # No credit applied line: the money moved inside receivable.
    assert "credit_applied" not in {r["entry_kind"] for r in rows}
    receivable = sum(
        _money(r["debit"]) - _money(r["credit"])
        for r in rows
        if r["account"] == "Accounts Receivable"
    )
    # What the customers owe at the end of the day: the first invoice's $10 left.
    assert receivable == Decimal("10.00")


def test_a_month_takes_every_day_of_it_and_nothing_else(owner, advisor, statuses, taxed):
    from payments.accounting import period_bounds

    invoice = bill_out(work_order_write(advisor, amount="50.00"), advisor)
    today = timezone.localdate()
    first, last = period_bounds(today, "month")
    assert first.day == 1 and (last + timedelta(days=1)).day == 1
    earlier = first - timedelta(days=1)  # last month: not in this month's file
    services.payment_take(
        by=advisor, work_order=invoice, tenders=[cash("5.00")], business_date=earlier
    )
    this_month = journal_lines(first, last)
    assert {line.entry_kind for line in this_month} == {"charge"}
    assert {line.entry_kind for line in journal_lines(earlier, earlier)} == {"payment"}


def test_the_account_names_are_the_settings(client, owner, advisor, statuses, taxed):
    client.force_login(owner)
    url = reverse("payments:accounting_settings")
    assert client.get(url).status_code == 200
    names = {
        "receivable": "1200 Accounts Receivable",
        "sales": "4000 Service Income",
        "sales_tax": "2200 Sales Tax",
        "cash": "1010 Undeposited Funds",
        "checks": "1010 Undeposited Funds",
        "card": "1020 Merchant Clearing",
        "other": "1030 Other",
        "finance_charges": "4900 Finance Charges",
        "adjustments": "6900 Bad Debt",
    }
    assert client.post(url, names).status_code == 302
    invoice = taxed_invoice(advisor, "20.00")
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("22.00")])
    today = timezone.localdate()
    accounts = {line.account for line in journal_lines(today, today)}
    assert accounts == {
        "1200 Accounts Receivable", "4000 Service Income", "2200 Sales Tax",
        "1010 Undeposited Funds",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sales": ""}, "sales"),
        ({"card": "   "}, "card"),
        ({"cash": "x" * 81}, "cash"),
        ({"sales": "accounts receivable"}, "sales"),  # would cancel out
    ],
)
def test_bad_account_names_are_refused_and_nothing_changes(client, owner, change, field):
    before = accounting_settings_get()
    client.force_login(owner)
    data = {name: getattr(before, name) for name in (
        "receivable", "sales", "sales_tax", "cash", "checks", "card", "other", "finance_charges",
        "adjustments")}  # fmt: skip
    response = client.post(reverse("payments:accounting_settings"), {**data, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert AccountingSettings.objects.get().sales == "Sales"
    with pytest.raises(ServiceError):
        services.accounting_settings_update(by=owner, **{**data, **change})


def test_both_pages_need_their_function(client, advisor, technician):
    for user in (advisor, technician):  # level 3 and 5; both functions are level 2
        client.force_login(user)
        assert client.get(reverse("payments:accounting_export")).status_code == 403
        today = timezone.localdate().isoformat()
        assert client.get(reverse("payments:accounting_export"), {"date": today}).status_code == 403
        response = client.post(reverse("payments:accounting_settings"), {"sales": "X"})
        assert response.status_code == 403
    assert not AccountingSettings.objects.filter(sales="X").exists()


def test_a_bad_date_is_a_400_with_the_form(client, owner):
    client.force_login(owner)
    response = client.get(reverse("payments:accounting_export"), {"date": "2026-13-45"})
    assert response.status_code == 400
    assert "date" in response.context["form"].errors
