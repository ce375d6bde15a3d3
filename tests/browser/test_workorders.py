"""An advisor writes an estimate from a package, moves it to a repair order, bills it out and
downloads the invoice."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from shop.models import ShopProfile
from tests.browser.conftest import TABLET
from tests.workorders.factories import VehicleFactory, brake_package
from workorders.models import WorkOrder
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_estimate_from_a_package_becomes_an_invoice(page, live_server, log_in, advisor, shoot):
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
        },
    )
    brake_package(name="Front brake service")
    VehicleFactory(plate="BRK2016", customer__first_name="Maria", customer__last_name="Gonzalez")
    log_in("advisor")

    page.goto(f"{live_server.url}/workorders/new/")
    page.get_by_label("Plate, VIN, last name or company").fill("gonz")
    page.get_by_role("link", name="Write an estimate").click()
    page.get_by_label("Customer's concern").fill("Grinding noise when braking")
    page.get_by_role("button", name="Start estimate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Estimate #\d+"))

    page.get_by_label("Package").select_option(label="Front brake service")
    page.get_by_role("button", name="Add package").click()
    job = page.locator("section.job").first
    expect(job.get_by_role("cell", name="Brake pads, front", exact=True)).to_be_visible()
    expect(page.get_by_test_id("grand-total")).to_have_text("$300.39")

    # A line added inline: the job and the totals are redrawn without a page load.
    job.get_by_label("Type").select_option("fee")
    job.get_by_label("Description").fill("Shop supplies")
    job.get_by_label("Qty / hours").fill("1")
    job.get_by_label("Price / rate").fill("4.95")
    job.get_by_role("button", name="Add line").click()
    expect(job.get_by_role("cell", name="Shop supplies", exact=True)).to_be_visible()
    # 300.39 + 4.95 + 8.25 % of 4.95 (0.41)
    expect(page.get_by_test_id("grand-total")).to_have_text("$305.75")
    expect(job.get_by_label("Type")).to_be_focused()  # ready for the next line
    # A negative quantity is refused, in words, and nothing is added.
    job.get_by_label("Type").select_option("part")
    job.get_by_label("Description").fill("Rotor")
    job.get_by_label("Qty / hours").fill("-1")
    job.get_by_role("button", name="Add line").click()
    expect(page.get_by_text("Quantity cannot be negative").first).to_be_visible()
    expect(page.get_by_test_id("grand-total")).to_have_text("$305.75")
    shoot("workorders-estimate")

    # The job's notes, saved without a page load: the cursor returns to where they open.
    job.get_by_text("Technician and notes").click()
    job.get_by_label("Customer-facing notes").fill("Pads at 2 mm; rotors within spec.")
    job.get_by_role("button", name="Save job").click()
    expect(job.locator(".job__notes > summary")).to_be_focused()
    job.get_by_text("Technician and notes").click()
    expect(job.get_by_label("Customer-facing notes")).to_have_value(
        "Pads at 2 mm; rotors within spec."
    )

    page.get_by_role("combobox", name="Status", exact=True).select_option(label="7 In Progress")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Repair order #\d+"))
    page.set_viewport_size(TABLET)
    shoot("workorders-repair-order-tablet")

    page.get_by_role("combobox", name="Status", exact=True).select_option(label="17 Billed Out")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Invoice #\d+"))
    expect(page.get_by_text("Closed and locked")).to_be_visible()
    expect(page.get_by_role("button", name="Add line")).to_have_count(0)
    shoot("workorders-invoice")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    work_order = WorkOrder.objects.get()
    assert download.suggested_filename == f"invoice-{work_order.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "INVOICE" in text.upper() and "Main Street Auto" in text
    assert "Shop supplies" in text and "$305.75" in text
    assert work_order.is_closed and work_order.grand_total == Decimal("305.75")
