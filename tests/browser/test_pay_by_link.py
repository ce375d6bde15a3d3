"""Pay by link in the browser: the advisor texts the link from the editor, the customer
opens it on a phone, pays with the development backend (Pretend to pay), and the editor
shows the invoice paid."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from customers.models import CustomerPhone
from outbox.models import OutboundMessage
from payments.models import LedgerEntry
from tests.browser.conftest import PHONE
from tests.payments.conftest import bill_out, work_order_write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def billed_invoice(advisor, settings, live_server):
    from decimal import Decimal

    from shop.models import ShopProfile
    from workorders.seeding import statuses_ensure

    settings.SHOP_BASE_URL = live_server.url
    settings.PAYMENTS_PROVIDER = "development"
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )
    invoice = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    customer = invoice.customer
    customer.text_consent = True
    customer.save()
    CustomerPhone.objects.create(customer=customer, number="(217) 555-0142", e164="+12175550142")
    return invoice


def test_the_advisor_texts_the_link_the_customer_pays_and_the_editor_shows_paid(
    page, browser, live_server, log_in, billed_invoice, shoot
):
    log_in("advisor")
    editor = f"{live_server.url}/workorders/{billed_invoice.pk}/"
    page.goto(editor)
    panel = page.locator("#paylink")
    expect(panel.get_by_test_id("paylink-due")).to_have_text("$100.00")
    shoot("paylink-editor-panel")
    panel.get_by_role("button", name="Text the link").click()
    expect(page.get_by_text("Pay link texted to +12175550142")).to_be_visible()

    text = OutboundMessage.objects.get(channel="sms")
    assert "is ready: $100.00 due" in text.body
    url = re.search(r"https?://\S+", text.body).group(0)
    assert url.startswith(f"{live_server.url}/payments/pay/")

    # The customer, on a phone, without a login.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    customer = phone.new_page()
    customer.goto(url)
    expect(customer.get_by_test_id("amount-due")).to_contain_text("$100.00")
    customer.screenshot(path=_shot("paylink-pay-phone"), full_page=True)
    customer.get_by_role("button", name="Pay $100.00").click()
    expect(customer.get_by_role("heading", name="Pretend to pay")).to_be_visible()
    customer.screenshot(path=_shot("paylink-pretend-phone"), full_page=True)
    customer.get_by_role("button", name="Pretend to pay $100.00").click()
    expect(customer.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(customer.get_by_test_id("link-paid")).to_have_text("Paid in full")
    customer.screenshot(path=_shot("paylink-done-phone"), full_page=True)
    # The link to the work shows the balance paid too.
    customer.get_by_role("link", name=re.compile("See the work")).click()
    expect(customer.get_by_test_id("link-pay-panel")).to_contain_text("Paid in full")
    customer.screenshot(path=_shot("paylink-customer-link-phone"), full_page=True)
    phone.close()

    assert LedgerEntry.objects.get(kind="payment").tender == "online"
    page.goto(editor)
    expect(page.locator("#payments").get_by_test_id("pay-state")).to_have_text("Paid")
    expect(page.locator("#payments").get_by_test_id("balance-due")).to_have_text("$0.00")
    expect(page.locator("#payments")).to_contain_text("Online (pay by link)")
    shoot("paylink-editor-paid")


def test_the_advisor_asks_a_deposit_the_customer_pays_it_from_the_e_mail(
    page, browser, live_server, log_in, advisor, settings, shoot
):
    from decimal import Decimal

    from customers.models import CustomerEmail
    from shop.models import ShopProfile
    from workorders.seeding import statuses_ensure

    settings.SHOP_BASE_URL = live_server.url
    settings.PAYMENTS_PROVIDER = "development"
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("0"), "labor_rate": 100}
    )
    estimate = work_order_write(advisor, amount="100.00")
    estimate.customer.email_consent = True
    estimate.customer.save()
    CustomerEmail.objects.create(customer=estimate.customer, address="pat@example.com")

    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/{estimate.pk}/")
    panel = page.locator("#paylink")
    panel.get_by_label("Ask for a deposit ($)").fill("30")
    panel.get_by_role("button", name="Ask for a deposit").click()
    expect(page.get_by_text("Deposit of $30.00 asked")).to_be_visible()
    expect(page.locator("#paylink").get_by_test_id("paylink-due")).to_have_text("$30.00")
    page.locator("#paylink").get_by_role("button", name="E-mail the link").click()
    expect(page.get_by_text("Pay link e-mailed to pat@example.com")).to_be_visible()
    mail = OutboundMessage.objects.get(channel="email")
    assert "asks a deposit of $30.00" in mail.body
    url = re.search(r"https?://\S+", mail.body).group(0)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    customer = phone.new_page()
    customer.goto(url)
    expect(
        customer.get_by_role("heading", name=f"Deposit on estimate #{estimate.pk}")
    ).to_be_visible()
    customer.screenshot(path=_shot("paylink-deposit-phone"), full_page=True)
    customer.get_by_role("button", name="Pay $30.00").click()
    customer.get_by_role("button", name="Pretend to pay $30.00").click()
    expect(customer.get_by_text("Deposit received")).to_be_visible()
    phone.close()

    page.goto(f"{live_server.url}/workorders/{estimate.pk}/")
    expect(page.locator("#payments")).to_contain_text("$30.00 held")
    expect(page.get_by_test_id("paylink-deposit-paid")).to_have_text(
        "Deposit of $30.00 asked: paid."
    )
    shoot("paylink-editor-deposit-held")


def _shot(name: str) -> str:
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return str(SCREENSHOTS / f"{name}.png")
