"""The approval story end to end: every job on the invoice was approved by someone, and the
work order says who, when and how.

Estimate with two jobs → the customer approves one and declines the other on the link → repair
order → the technician recommends a third from the inspection (it stays pending, marked on the
tablet) → billing out is refused while it waits → the advisor records a phone approval → bill
out → the invoice shows each job's approval."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from messaging.services.customer_link import customer_link_token_make
from shop.models import ShopProfile
from tests.browser.conftest import DESKTOP, PHONE, TABLET
from tests.workorders.factories import VehicleFactory, inspection_sheet
from workorders import services
from workorders.models import Job, WorkOrder
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def estimate(advisor, technician):
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
        },
    )
    inspection_sheet()
    vehicle = VehicleFactory(
        customer__first_name="Rosa", customer__last_name="Diaz", plate="ROSA16"
    )
    work_order = services.workorder_create(
        by=advisor, vehicle=vehicle, concern="Squeaky brakes", default_technician=technician
    )
    for title, description, price in [
        ("Front brakes", "Replace front pads", "208.50"),
        ("Wiper blades", "Wiper blades, pair", "34.00"),
    ]:
        job = services.job_add(by=advisor, work_order=work_order, version=None, title=title)
        services.line_add(
            by=advisor,
            job=job,
            version=None,
            kind="fee",
            description=description,
            quantity="1",
            unit_price=price,
        )
    return work_order


def job_section(page, title):
    return page.locator("section.job", has=page.get_by_role("heading", name=title, exact=True))


def switch_to(page, log_in, username):
    page.context.clear_cookies()
    log_in(username)


def test_every_job_on_the_invoice_says_who_approved_it_how_and_when(
    page, live_server, log_in, advisor, technician, estimate, shoot
):
    editor = f"{live_server.url}/workorders/{estimate.pk}/"

    # The customer, on their phone, approves the brakes and declines the wipers.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/messages/l/{customer_link_token_make(estimate)}/")
    page.get_by_role("button", name="Approve “Front brakes”").click()
    expect(page.get_by_text("your decision was sent to the shop")).to_be_visible()
    page.get_by_role("button", name="Decline “Wiper blades”").click()
    brakes = page.locator("article.job", has_text="Front brakes")
    expect(brakes.get_by_text("Approved", exact=True)).to_be_visible()
    expect(brakes.get_by_text(re.compile(r"Customer link, Rosa Diaz"))).to_be_visible()
    # What is approved cannot be declined from the link.
    expect(page.get_by_role("button", name="Decline “Front brakes”")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot("approvals-link-phone")

    # The advisor turns the estimate into a repair order.
    page.set_viewport_size(DESKTOP)
    log_in("advisor")
    page.goto(editor)
    page.get_by_role("combobox", name="Status", exact=True).select_option(label="7 In Progress")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Repair order #\d+"))
    expect(job_section(page, "Front brakes")).to_contain_text("Customer link · Rosa Diaz")
    expect(job_section(page, "Wiper blades")).to_contain_text("Declined")

    # The technician inspects on the tablet and recommends the rear pads: it waits.
    switch_to(page, log_in, "tech")
    page.set_viewport_size(TABLET)
    expect(page.get_by_role("heading", level=1)).to_have_text("My jobs")
    page.get_by_role("link", name=re.compile("Front brakes")).click()
    expect(page.get_by_text("Approved", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Replace front pads")).to_be_visible()
    page.get_by_role("link", name="Inspect the vehicle").click()
    page.get_by_role("button", name="Start inspection").click()
    item = page.locator("article.inspect-item", has_text="Rear brake pads")
    with page.expect_response(lambda r: "/inspection/items/" in r.url):
        item.get_by_role("button", name="Needs attention now: Rear brake pads").click()
    item = page.locator("article.inspect-item", has_text="Rear brake pads")
    item.get_by_role("button", name="Recommend “Rear brake pads”").click()
    expect(item.get_by_text("Waiting for approval")).to_be_visible()
    page.goto(f"{live_server.url}/workorders/my-jobs/")
    waiting = page.get_by_role("list", name="Not approved: do not start")
    expect(waiting.get_by_role("link", name=re.compile("Rear brake pads"))).to_contain_text(
        "Waiting for approval"
    )
    expect(page.get_by_role("list", name="Jobs to do")).not_to_contain_text("Rear brake pads")
    shoot("approvals-tablet-my-jobs")
    page.get_by_role("link", name=re.compile("Rear brake pads")).click()
    expect(page.get_by_text("do not start this job")).to_be_visible()
    expect(page.get_by_role("button", name="Mark job done")).to_have_count(0)
    shoot("approvals-tablet-waiting-job")

    # The advisor prices it; billing out is refused while it waits.
    switch_to(page, log_in, "advisor")
    page.set_viewport_size(DESKTOP)
    page.goto(editor)
    rear = job_section(page, "Rear brake pads")
    expect(rear.get_by_text("Waiting for approval", exact=True)).to_be_visible()
    rear.get_by_label("Type").select_option("labor")
    rear.get_by_label("Description").fill("Replace rear pads")
    rear.get_by_label("Qty / hours").fill("1.2")
    rear.get_by_role("button", name="Add line").click()
    expect(rear.get_by_role("cell", name="Replace rear pads", exact=True)).to_be_visible()
    page.get_by_role("combobox", name="Status", exact=True).select_option(label="17 Billed Out")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("1 job waits for approval (“Rear brake pads”)")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Repair order #\d+"))

    # The customer's husband calls back and approves it: recorded with his name.
    rear = job_section(page, "Rear brake pads")
    rear.get_by_text("Record approval or decline").click()
    rear.get_by_label("How").select_option(label="Phone")
    rear.get_by_label("Given by").fill("Carlos Diaz")
    rear.get_by_role("button", name="Record").click()
    expect(rear.get_by_text(re.compile(r"Phone · Carlos Diaz"))).to_be_visible()
    expect(rear.locator(".job__head .badge--ok")).to_have_text("Approved")
    expect(rear.locator(".job__approve > summary")).to_be_focused()
    shoot("approvals-editor-phone-approval")

    page.get_by_role("combobox", name="Status", exact=True).select_option(label="17 Billed Out")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Invoice #\d+"))
    expect(page.get_by_role("region", name="Status history")).to_contain_text(
        "Rear brake pads: approved"
    )
    shoot("approvals-invoice")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    with open(download_info.value.path(), "rb") as pdf:
        pages = PdfReader(io.BytesIO(pdf.read())).pages
        text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Approved · Customer link · Rosa Diaz" in text
    assert "Declined · Customer link · Rosa Diaz" in text
    assert "Approved · Phone · Carlos Diaz" in text and f"recorded by {advisor}" in text
    invoice = WorkOrder.objects.get(pk=estimate.pk)
    assert invoice.is_closed
    # 208.50 brakes (fee, taxed) + 1.2 h × 139.00 rear pads; the wipers at zero.
    assert invoice.grand_total == Decimal("208.50") + Decimal("17.20") + Decimal("166.80")
    assert set(Job.objects.filter(work_order=invoice).values_list("title", "approval")) == {
        ("Front brakes", "approved"),
        ("Wiper blades", "declined"),
        ("Rear brake pads", "approved"),
    }
