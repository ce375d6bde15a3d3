"""The owner names the accounts, downloads the day's journal for the accountant, and sees
money collected and A/R outstanding on the dashboard."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from payments.models import AccountingSettings
from tests.browser.conftest import PHONE
from tests.payments.conftest import work_order_write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def paid_invoice(advisor):
    from payments import services
    from shop.models import ShopProfile
    from tests.payments.conftest import bill_out, card, cash
    from workorders.seeding import statuses_ensure

    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )
    invoice = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("40.00"), card("35.00")])
    return invoice


def test_the_owner_names_the_accounts_and_downloads_the_days_journal(
    page, live_server, log_in, owner, paid_invoice, shoot
):
    log_in("owner")
    page.goto(f"{live_server.url}/shop/menu/")
    page.get_by_role("link", name="Accounting settings").click()
    # "Sales" and not "Sales tax payable" (the required mark is in the label's text).
    page.get_by_label(re.compile(r"^Sales\W*$")).fill("4000 Service Income")
    page.get_by_label("Cards").fill("accounts receivable")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field__error")).to_contain_text("cannot be the receivable account")
    shoot("payments-accounting-settings-error")
    page.get_by_label("Cards").fill("1020 Merchant Clearing")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Account names saved.")).to_be_visible()
    assert AccountingSettings.objects.get().card == "1020 Merchant Clearing"

    page.get_by_role("link", name="Accountant's export").click()
    expect(page.get_by_role("cell", name="journal_no")).to_be_visible()
    shoot("payments-accounting-export")
    page.set_viewport_size(PHONE)
    shoot("payments-accounting-export-phone")
    # Keyboard: the download is reached and pressed without the mouse.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").focus()
        page.keyboard.press("Enter")
    with open(download.value.path(), encoding="utf-8-sig") as file:
        text = file.read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["account"] for r in rows} == {
        "Accounts Receivable", "4000 Service Income", "Undeposited Funds - Cash",
        "1020 Merchant Clearing",
    }  # fmt: skip
    debits = sum(Decimal(r["debit"] or 0) for r in rows)
    assert debits == sum(Decimal(r["credit"] or 0) for r in rows) == Decimal("175.00")


def test_the_dashboard_shows_money_collected_and_ar_outstanding(
    page, live_server, log_in, owner, paid_invoice, shoot
):
    from customers.models import Customer

    Customer.objects.filter(pk=paid_invoice.customer_id).update(is_ar=True)
    log_in("owner")
    page.goto(f"{live_server.url}/reports/dashboard/")
    collected = page.locator(".kpi").filter(has_text="Collected today")
    expect(collected.locator("dd")).to_have_text("$75.00")
    outstanding = page.locator(".kpi").filter(has_text="A/R outstanding")
    expect(outstanding.locator("dd")).to_contain_text("$25.00")
    shoot("payments-dashboard-money")
    outstanding.get_by_role("link", name="A/R outstanding").click()
    expect(page.get_by_test_id("aging-current")).to_have_text("$25.00")
