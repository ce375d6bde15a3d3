"""A status update reaches the customer, who approves and declines jobs from their phone."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from messaging.models import ApprovalDecision
from shop.models import ShopProfile
from tests.browser.conftest import DESKTOP, PHONE
from tests.messaging.factories import CustomerEmailFactory, CustomerPhoneFactory
from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.models import WorkOrder
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def estimate(advisor):
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "phone": "(217) 555-0142",
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
        },
    )
    vehicle = VehicleFactory(
        customer__first_name="Rosa",
        customer__last_name="Diaz",
        customer__text_consent=True,
        customer__email_consent=True,
    )
    CustomerPhoneFactory(customer=vehicle.customer, number="(312) 555-2001", e164="+13125552001")
    CustomerEmailFactory(customer=vehicle.customer)
    work_order = services.workorder_create(by=advisor, vehicle=vehicle, concern="Squeaky brakes")

    def version() -> int:
        return WorkOrder.objects.get(pk=work_order.pk).version

    for title, description, price in [
        ("Front brakes", "Replace front pads", "208.50"),
        ("Wiper blades", "Wiper blades, pair", "34.00"),
    ]:
        job = services.job_add(by=advisor, work_order=work_order, version=version(), title=title)
        services.line_add(
            by=advisor,
            job=job,
            version=version(),
            kind="fee",
            description=description,
            quantity="1",
            unit_price=price,
        )
    return work_order


def test_a_status_update_reaches_the_customer_who_decides_on_each_job(
    page, live_server, log_in, advisor, estimate, shoot, settings
):
    settings.SHOP_BASE_URL = live_server.url
    page.set_viewport_size(DESKTOP)
    log_in("advisor")

    # The advisor moves the estimate into a status that sends the customer an update.
    page.goto(f"{live_server.url}/workorders/{estimate.pk}/")
    page.get_by_role("combobox", name="Status", exact=True).select_option(
        label="2 Waiting for Approval"
    )
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("Status: 2 Waiting for Approval")).to_be_visible()

    # The text shows in the development SMS page, with the customer's link.
    page.goto(f"{live_server.url}/messages/dev-sms/")
    text = page.get_by_role("cell", name=re.compile("estimate for your 2016 Honda Civic"))
    expect(text).to_be_visible()
    expect(page.get_by_role("cell", name="(312) 555-2001")).to_be_visible()
    shoot("messaging-dev-sms")
    link = text.get_by_role("link").get_attribute("href")
    assert link.startswith(f"{live_server.url}/messages/l/")

    # The customer opens the link on a phone, without logging in.
    customer = page.context.browser.new_context(viewport=PHONE, user_agent="PhoneBrowser/1.0")
    phone = customer.new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", name="2016 Honda Civic")).to_be_visible()
    expect(phone.get_by_text("Waiting for Approval")).to_be_visible()
    shoot_phone = phone.screenshot
    phone.get_by_role("button", name="Approve “Front brakes”").click()
    expect(phone.get_by_text("your decision was sent to the shop")).to_be_visible()
    phone.get_by_role("button", name="Decline “Wiper blades”").click()
    brakes = phone.locator("article.job", has_text="Front brakes")
    wipers = phone.locator("article.job", has_text="Wiper blades")
    expect(brakes.get_by_text("Approved", exact=True)).to_be_visible()
    expect(wipers.get_by_text("Declined", exact=True)).to_be_visible()
    # Declined work is not charged: 208.50 + 8.25 % tax on it.
    expect(phone.locator(".totals dd").last).to_have_text("$225.70")
    shoot_phone(path=str(_screenshot("messaging-customer-link-phone")), full_page=True)
    customer.close()

    decisions = {d.job.title: d for d in ApprovalDecision.objects.select_related("job")}
    assert decisions["Front brakes"].decision == "approved"
    assert decisions["Wiper blades"].decision == "declined"
    assert decisions["Front brakes"].user_agent == "PhoneBrowser/1.0"
    assert decisions["Front brakes"].ip_address == "127.0.0.1"

    # The advisor's work order shows both decisions.
    page.goto(f"{live_server.url}/workorders/{estimate.pk}/")
    jobs = page.locator("section.job")
    expect(jobs.filter(has_text="Front brakes").get_by_text("Approved", exact=True)).to_be_visible()
    expect(jobs.filter(has_text="Wiper blades").get_by_text("Declined", exact=True)).to_be_visible()
    shoot("messaging-work-order-decisions")


def test_the_advisor_reads_a_reply_and_answers_it(
    page, live_server, log_in, advisor, estimate, shoot
):
    log_in("advisor")
    # The customer texts the shop (the development page pretends the provider's webhook).
    page.goto(f"{live_server.url}/messages/dev-sms/")
    page.get_by_label("From number").fill("312-555-2001")
    page.get_by_label("Text").fill("Can you also check the tire pressure?")
    page.get_by_role("button", name="Receive text").click()
    expect(page.get_by_text("Received as a text from +13125552001 (Rosa Diaz)")).to_be_visible()

    page.goto(f"{live_server.url}/messages/")
    row = page.get_by_role("row", name=re.compile("Rosa Diaz"))
    expect(row.get_by_text("1 unread")).to_be_visible()
    shoot("messaging-inbox")
    row.get_by_role("link", name="Rosa Diaz").click()
    expect(page.get_by_text("Can you also check the tire pressure?")).to_be_visible()

    page.get_by_label("Your reply").fill("Sure, no charge.")
    page.get_by_role("button", name="Send text").click()
    thread = page.get_by_role("list", name="Texts with Rosa Diaz")
    expect(thread.get_by_text("Sure, no charge.")).to_be_visible()
    expect(thread.get_by_text(re.compile("· Sent$"))).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_value("")
    shoot("messaging-conversation")

    page.goto(f"{live_server.url}/messages/")
    expect(
        page.get_by_role("row", name=re.compile("Rosa Diaz")).get_by_text("read")
    ).to_be_visible()


def _screenshot(name: str):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
