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
    # (The job's head says it; its approval trail below says how.)
    expect(jobs.filter(has_text="Front brakes").locator(".job__head .badge--ok")).to_have_text(
        "Approved"
    )
    expect(jobs.filter(has_text="Wiper blades").locator(".job__head .badge--danger")).to_have_text(
        "Declined"
    )
    expect(jobs.filter(has_text="Front brakes")).to_contain_text("Customer link · Rosa Diaz")
    shoot("messaging-work-order-decisions")


PHONE_375 = {"width": 375, "height": 812}


@pytest.fixture
def inspected(estimate, advisor, settings, tmp_path):
    """The estimate inspected: front pads red with a photo and a recommended job, tread
    yellow, the rest good."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.workorders.factories import inspection_sheet, png_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    inspection = services.inspection_start(
        by=advisor, work_order=estimate, sheet=inspection_sheet()
    )
    front, rear, tread = inspection.results.order_by("position")
    services.inspection_result_set(
        by=advisor,
        result=front,
        rating="red",
        notes="2 mm left on the inner pad; the rotor is scored.",
    )
    services.inspection_result_set(by=advisor, result=rear, rating="green", notes="7 mm")
    services.inspection_result_set(by=advisor, result=tread, rating="yellow", notes="4/32 in")
    for colour in ["#7f1d1d", "#475569"]:
        upload = SimpleUploadedFile(
            "pads.png", png_bytes((1200, 900), colour), content_type="image/png"
        )
        services.inspection_photo_add(by=advisor, result=front, upload=upload)
    job = services.inspection_recommend(by=advisor, result=front)
    # The advisor prices the recommended job before the link goes out.
    services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="part",
        description="Front brake pads, ceramic",
        quantity="1",
        unit_price="89.00",
    )
    return estimate


def test_the_customer_sees_the_inspection_photos_and_approves_the_recommended_job(
    page, live_server, inspected, shoot
):
    from messaging.services.customer_link import customer_link_token_make

    url = f"{live_server.url}/messages/l/{customer_link_token_make(inspected)}/"
    page.set_viewport_size(PHONE_375)
    page.goto(url)
    report = page.get_by_role("region", name="Your inspection")
    expect(report).to_be_visible()
    red = report.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Front brake pads")
    )
    expect(red.get_by_text("Needs attention now")).to_be_visible()
    expect(red.get_by_text("2 mm left on the inner pad")).to_be_visible()
    thumbnail = red.get_by_role("img", name="Photo 1 of Front brake pads")
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    expect(report.get_by_text("Needs attention soon", exact=True)).to_be_visible()
    expect(report.get_by_text("We checked 3 items: 1 needs attention now, 1 needs")).to_be_visible()
    expect(report.get_by_text("1 item checked and fine")).to_be_visible()
    # Nothing runs off the side of a small phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"]
    page.evaluate("window.scrollTo(0, 0)")
    shoot("messaging-customer-inspection-phone")

    # The customer opens the photo full size, and comes back.
    red.get_by_role("link", name="Photo 1 of Front brake pads").click()
    expect(page).to_have_url(re.compile(r"/photos/\d+/full/$"))
    size = page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [1200, 900]
    page.go_back()

    # From the finding to the job on the estimate, and approve it.
    red.get_by_role("link", name=re.compile("Approve or decline “Front brake pads”")).click()
    expect(page).to_have_url(re.compile(r"#job-\d+$"))
    page.get_by_role("button", name="Approve “Front brake pads”").click()
    expect(page.get_by_text("your decision was sent to the shop")).to_be_visible()
    job = page.locator("article.job", has_text="Front brake pads")
    expect(job.get_by_text("Approved", exact=True)).to_be_visible()
    expect(red.get_by_text("Approved", exact=True)).to_be_visible()
    decision = ApprovalDecision.objects.select_related("job").get()
    assert (decision.job.title, decision.decision) == ("Front brake pads", "approved")
    page.evaluate("window.scrollTo(0, 0)")
    shoot("messaging-customer-inspection-phone-approved")

    page.set_viewport_size(DESKTOP)
    page.goto(url)
    report.get_by_text("1 item checked and fine").click()  # unfold the good items
    expect(report.get_by_text("Rear brake pads")).to_be_visible()
    for image in report.get_by_role("img").all():
        image.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    shoot("messaging-customer-inspection-desktop")


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
