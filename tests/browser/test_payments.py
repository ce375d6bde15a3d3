"""Payments in the browser: bill out, pay with cash and card, print the invoice showing
both and a zero balance; the list, A/R Status and Paid A/R show it."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from payments.models import Payment
from tests.browser.conftest import (
    PHONE,
    TABLET,
    fits_the_screen,
    value_apart_from_label,
    within_viewport_width,
)
from tests.payments.conftest import work_order_write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def repair_order(advisor):
    from decimal import Decimal

    from shop.models import ShopProfile
    from workorders.seeding import statuses_ensure

    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )
    return work_order_write(advisor, amount="100.00")


def test_bill_out_then_pay_with_cash_and_card_and_print_a_zero_balance(
    page, live_server, log_in, advisor, repair_order, shoot
):
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/{repair_order.pk}/")
    page.get_by_role("combobox", name="Status", exact=True).select_option(label="17 Billed Out")
    page.get_by_role("button", name="Change status").click()
    panel = page.locator("#payments")
    expect(panel.get_by_test_id("pay-state")).to_have_text("Unpaid")
    expect(panel.get_by_test_id("balance-due")).to_have_text("$100.00")
    panel.get_by_role("link", name="Take payment").click()

    expect(page.get_by_role("heading", name="Take payment")).to_be_visible()
    page.get_by_label("Cash taken").fill("40.00")
    page.get_by_label("Cash tendered").fill("50")
    expect(page.locator("[data-change-due]")).to_have_text("$10.00")
    page.get_by_label("Card amount").fill("60.00")
    page.get_by_label("Card brand").select_option("Visa")
    page.get_by_label("Last four digits").fill("4242")
    page.get_by_label("Authorization code").fill("A1B2C3")
    expect(page.locator("[data-pay-total]")).to_have_text("$100.00")
    shoot("payments-take-desktop")
    page.set_viewport_size(PHONE)
    shoot("payments-take-phone")
    page.set_viewport_size(TABLET)
    # Keyboard: the button is reached and pressed without the mouse.
    page.get_by_role("button", name="Record payment").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("change-due")).to_have_text("Change due: $10.00")
    shoot("payments-receipt")
    payment = Payment.objects.get()
    assert payment.amount == 100

    page.get_by_role("link", name=f"Back to #{repair_order.pk}").click()
    expect(page.locator("#payments").get_by_test_id("pay-state")).to_have_text("Paid")
    expect(page.locator("#payments").get_by_test_id("balance-due")).to_have_text("$0.00")
    shoot("payments-editor-paid")

    pdf = page.request.get(f"{live_server.url}/workorders/{repair_order.pk}/pdf/")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).lower()
    assert "cash" in text and "visa ending 4242" in text
    assert re.search(r"balance due \$0\.00", text)

    page.goto(f"{live_server.url}/workorders/")
    row = page.get_by_role("row").filter(has_text=f"#{repair_order.pk}")
    expect(row).to_contain_text("Paid")
    shoot("payments-work-order-list")
    # On a phone the list is a card per work order: paid / partial / unpaid is in view
    # beside the status, without scrolling sideways.
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    paid = row.locator(".pay-state")
    expect(paid).to_have_text("Paid")
    assert within_viewport_width(paid)
    shoot("payments-work-order-list-phone")


def test_a_refused_overpayment_says_so_and_the_customer_page_links_ar(
    page, live_server, log_in, advisor, repair_order, shoot
):
    from tests.payments.conftest import bill_out

    bill_out(repair_order, advisor)
    log_in("advisor")
    page.goto(f"{live_server.url}/payments/work-orders/{repair_order.pk}/take/")
    page.get_by_label("Check amount").fill("120")
    page.get_by_label("Check number").fill("1042")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_role("alert")).to_contain_text("$20.00 more than the $100.00 due")
    assert not Payment.objects.exists()
    page.get_by_label("Check amount").fill("30")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_role("heading", name=re.compile("Invoice payment #"))).to_be_visible()

    page.goto(f"{live_server.url}/customers/{repair_order.customer_id}/")
    # Not an A/R customer: the customer's page says what is owed without the A/R words.
    page.get_by_role("link", name="Balance due $70.00").click()
    expect(page.get_by_test_id("age-current")).to_have_text("$70.00")
    shoot("payments-ar-status")
    page.get_by_role("link", name="Paid A/R").click()
    expect(page.get_by_role("row").filter(has_text="Check $30.00")).to_contain_text(
        f"#{repair_order.pk} $30.00"
    )
    shoot("payments-paid-ar")


def test_an_ar_customer_charges_an_invoice_and_pays_part_on_account(
    page, live_server, log_in, advisor, repair_order, shoot
):
    from tests.payments.conftest import bill_out

    customer = repair_order.customer
    customer.is_ar = True
    customer.save(update_fields=["is_ar"])
    bill_out(repair_order, advisor)
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/{repair_order.pk}/")
    page.get_by_role("button", name="Charge to account").click()
    expect(page.get_by_test_id("charged-to-account")).to_be_visible()

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_role("link", name="A/R Status: balance $100.00").click()
    expect(page.get_by_test_id("ar-total")).to_have_text("$100.00")
    page.get_by_role("link", name="Receive payment on account").click()
    page.get_by_label("Check amount").fill("40")
    page.get_by_label("Check number").fill("5521")
    page.get_by_label("The invoices ticked below").check()
    page.get_by_label(f"Pay invoice #{repair_order.pk}").check()
    shoot("payments-on-account")
    # On a phone the open invoices are cards inside the page: nothing wider than the screen.
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    assert within_viewport_width(page.get_by_label(f"Pay invoice #{repair_order.pk}"))
    assert within_viewport_width(page.locator("td[data-label='Balance due']"))
    assert value_apart_from_label(page.locator("td[data-label='Pay']"))
    shoot("payments-on-account-phone")
    page.set_viewport_size(TABLET)
    page.get_by_role("button", name="Record payment on account").click()
    expect(page.get_by_role("heading", name=re.compile("Payment on account #"))).to_be_visible()

    page.goto(f"{live_server.url}/payments/customers/{customer.pk}/ar-status/")
    expect(page.get_by_test_id("ar-total")).to_have_text("$60.00")
    expect(page.get_by_test_id("age-current")).to_have_text("$60.00")
    page.set_viewport_size(PHONE)
    shoot("payments-ar-status-phone")
    page.set_viewport_size(TABLET)
    page.get_by_role("link", name="Paid A/R").click()
    row = page.get_by_role("row").filter(has_text="Check $40.00")
    expect(row).to_contain_text("#5521")
    expect(row).to_contain_text(f"#{repair_order.pk} $40.00")


def test_end_of_day_with_an_over_short(page, live_server, log_in, advisor, repair_order, shoot):
    from payments import services
    from tests.payments.conftest import bill_out, card, cash

    bill_out(repair_order, advisor)
    services.payment_take(
        by=advisor, work_order=repair_order, tenders=[cash("30.00"), card("70.00")]
    )
    log_in("advisor")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/payments/end-of-day/")
    expect(page.get_by_test_id("expected-cash")).to_have_text("$30.00")
    # On a phone each tender is a card: its Counted input is whole and in view.
    assert fits_the_screen(page)
    for label in ("Cash counted", "Checks counted", "Online (the provider's payouts for the day)"):
        assert within_viewport_width(page.get_by_label(label))
    shoot("payments-end-of-day-phone")
    page.set_viewport_size(TABLET)
    expect(page.get_by_test_id("expected-card")).to_have_text("$70.00")
    page.get_by_label("Cash counted").fill("28.00")
    page.get_by_label("Card (terminal's batch total)").fill("70.00")
    page.get_by_role("button", name="Close the day").click()
    expect(page.locator("#id_note_error")).to_contain_text("short by $2.00: say why")
    page.get_by_label("Cash counted").fill("28.00")
    page.get_by_label("Card (terminal's batch total)").fill("70.00")
    page.get_by_label("Note").fill("Gave change twice")
    page.get_by_role("button", name="Close the day").click()
    expect(page.get_by_test_id("day-closed")).to_be_visible()
    expect(page.get_by_test_id("over-short")).to_have_text("Short $2.00")
    shoot("payments-end-of-day")


def test_the_owner_reads_daily_sales_and_ar_aging(
    page, live_server, log_in, advisor, owner, repair_order, shoot
):
    from payments import services
    from tests.payments.conftest import bill_out, cash

    bill_out(repair_order, advisor)
    services.payment_take(by=advisor, work_order=repair_order, tenders=[cash("30.00")])
    log_in("owner")
    page.goto(f"{live_server.url}/shop/menu/")
    page.get_by_role("link", name="Daily Sales and Collections").click()
    expect(page.get_by_test_id("invoice-total")).to_have_text("$100.00")
    expect(page.get_by_test_id("collected")).to_have_text("$30.00")
    expect(page.get_by_role("row", name="Payments on account")).to_contain_text("$0.00")
    expect(page.get_by_role("row", name="Invoice payments")).to_contain_text("$30.00")
    shoot("payments-daily-sales")
    page.goto(f"{live_server.url}/shop/menu/")
    page.get_by_role("link", name="A/R aging").click()
    expect(page.get_by_test_id("aging-current")).to_have_text("$70.00")
    page.set_viewport_size(PHONE)
    shoot("payments-ar-aging-phone")
