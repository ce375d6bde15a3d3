"""An A/R customer charges an invoice, receives a statement (printed, then e-mailed), pays part
of it on account, and A/R Status and Paid A/R show it; the month's run of every A/R customer
with its progress bar."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from customers.models import CustomerEmail
from outbox.models import OutboundMessage
from payments.models import Statement, StatementRun
from tests.browser.conftest import DESKTOP, PHONE
from tests.payments.conftest import bill_out, work_order_write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ar_invoice(owner):
    from shop.models import ShopProfile
    from workorders.seeding import statuses_ensure

    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "tax_rate": Decimal("0"),
            "labor_rate": 100,
            "address_line1": "12 Main Street",
            "city": "Springfield",
            "phone": "555-0100",
        },
    )
    work_order = work_order_write(owner, amount="240.00")
    customer = work_order.customer
    customer.is_ar = True
    customer.email_consent = True
    customer.save(update_fields=["is_ar", "email_consent"])
    CustomerEmail.objects.create(customer=customer, address="fleet@example.test")
    return bill_out(work_order, owner)


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_an_ar_customer_charges_gets_a_statement_and_pays_part_on_account(
    page, live_server, log_in, owner, ar_invoice, shoot
):
    customer = ar_invoice.customer
    month = timezone.localdate().replace(day=1)
    log_in("owner")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/workorders/{ar_invoice.pk}/")
    page.get_by_role("button", name="Charge to account").click()
    expect(page.get_by_test_id("charged-to-account")).to_be_visible()

    # The statement of this month, printed from A/R Status.
    page.goto(f"{live_server.url}/payments/customers/{customer.pk}/ar-status/")
    expect(page.get_by_test_id("ar-total")).to_have_text("$240.00")
    panel = page.get_by_role("region", name="Statements")
    panel.get_by_label("Month").fill(f"{month:%Y-%m}")
    panel.get_by_label("Print (one PDF)").check()
    shoot("statements-ar-status")
    panel.get_by_role("button", name="Send statement").click()
    expect(page.get_by_role("heading", name=f"Statements: {month:%B %Y}")).to_be_visible()
    expect(page.get_by_test_id("run-state")).to_have_text("Done")
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "100")
    shoot("statements-run-done")
    href = page.get_by_test_id("download").get_attribute("href")
    text = _pdf_text(page.request.get(f"{live_server.url}{href}").body())
    assert "Main Street Auto" in text and "12 Main Street" in text
    assert str(customer) in text and f"Invoice #{ar_invoice.pk}" in text
    assert re.search(r"Closing balance .*\$240\.00", text)

    # The same statement e-mailed through the outbox.
    page.get_by_role("link", name="Back to A/R Status").click()
    panel = page.get_by_role("region", name="Statements")
    panel.get_by_label("Month").fill(f"{month:%Y-%m}")
    panel.get_by_label("E-mail").check()
    panel.get_by_role("button", name="Send statement").click()
    expect(page.get_by_test_id("run-state")).to_have_text("Done")
    message = OutboundMessage.objects.get(idempotency_key__startswith="statement-")
    assert message.to == "fleet@example.test" and "$240.00" in message.body
    assert StatementRun.objects.count() == 2 and Statement.objects.count() == 1

    # Part of it paid on account.
    page.get_by_role("link", name="Back to A/R Status").click()
    page.get_by_role("link", name="Receive payment on account").click()
    page.get_by_label("Check amount").fill("90")
    page.get_by_label("Check number").fill("7781")
    page.get_by_role("button", name="Record payment on account").click()
    expect(page.get_by_role("heading", name=re.compile("Payment on account #"))).to_be_visible()

    page.goto(f"{live_server.url}/payments/customers/{customer.pk}/ar-status/")
    expect(page.get_by_test_id("ar-total")).to_have_text("$150.00")
    expect(page.get_by_test_id("age-current")).to_have_text("$150.00")
    # The statement sent keeps its figures; it prints again as it was.
    expect(page.get_by_test_id("statement-closing")).to_have_text("$240.00")
    reprint = page.get_by_role("link", name=f"Print again {month:%B %Y}")
    again = _pdf_text(page.request.get(live_server.url + reprint.get_attribute("href")).body())
    assert "$240.00" in again and "$150.00" not in again
    page.set_viewport_size(PHONE)
    shoot("statements-ar-status-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Paid A/R").click()
    row = page.get_by_role("row").filter(has_text="Check $90.00")
    expect(row).to_contain_text("#7781")
    expect(row).to_contain_text(f"#{ar_invoice.pk} $90.00")
    shoot("statements-paid-ar")


def test_the_months_statements_of_every_ar_customer_from_the_menu(
    page, live_server, log_in, owner, ar_invoice, shoot
):
    from payments import services

    services.invoice_charge_to_account(by=owner, work_order=ar_invoice)
    month = timezone.localdate().replace(day=1)
    log_in("owner")
    page.goto(f"{live_server.url}/shop/menu/")
    page.get_by_role("link", name=re.compile(r"^Statements Monthly statements")).click()
    expect(page.get_by_role("heading", name="Statements", exact=True)).to_be_visible()
    form = page.get_by_role("form", name="Send the month's statements")
    form.get_by_label("Month").fill(f"{month:%Y-%m}")
    shoot("statements-index")
    page.set_viewport_size(PHONE)
    # The Month input is styled like the page's other inputs: full size, not the browser's
    # small monospace default.
    month_input = form.get_by_label("Month")
    assert month_input.bounding_box()["height"] >= 44
    assert month_input.evaluate("el => getComputedStyle(el).fontFamily") == page.evaluate(
        "getComputedStyle(document.body).fontFamily"
    )
    shoot("statements-index-phone")
    page.set_viewport_size(DESKTOP)
    # Keyboard: the button is reached and pressed without the mouse.
    form.get_by_role("button", name="Start").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("run-state")).to_have_text("Done")
    expect(page.get_by_text("1 of 1 statement")).to_be_visible()
    page.get_by_role("link", name="All statement runs").click()
    expect(page.get_by_role("row").filter(has_text=f"{month:%B %Y}")).to_contain_text(
        "All A/R customers"
    )
