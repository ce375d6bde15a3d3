"""In a browser: the advisor types part of a number in the editor, picks the part from the
parts list, its price comes from the pricing matrix and its core charge follows; a part
that is not in the list is still typed by hand; billing out takes the part off the shelf
(on hand drops on the parts list and the part's page); the matrix refuses a gap."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from parts import services
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TABLET,
    fits_the_screen,
    value_apart_from_label,
    within_viewport_width,
)
from tests.parts.factories import PartFactory, shop_with_matrix
from tests.workorders.factories import VehicleFactory
from workorders import services as workorder_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_advisor_picks_a_part_from_the_parts_list_and_bill_out_takes_it_off_the_shelf(
    page, live_server, log_in, advisor, owner, shoot
):
    shop_with_matrix()
    battery = PartFactory(
        number="BAT-H6",
        description="Battery, group H6, 760 CCA",
        category="Electrical",
        brand="Interstate",
        cost=Decimal("118.00"),
        core_charge=Decimal("18.00"),
        bin_location="B1",
    )
    PartFactory(number="BAT-H7", description="Battery, group H7, 850 CCA", cost=Decimal("131"))
    services.stock_receive(by=owner, part=battery, quantity="3", unit_cost="118.00")
    vehicle = VehicleFactory(customer__first_name="Maria", customer__last_name="Gonzalez")
    estimate = workorder_services.workorder_create(by=advisor, vehicle=vehicle)
    workorder_services.job_add(
        by=advisor, work_order=estimate, version=None, title="Battery", category="Electrical"
    )

    page.set_viewport_size(DESKTOP)
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/{estimate.pk}/")
    job = page.locator("section.job").first
    number = job.get_by_role("combobox", name="Part #")
    number.press_sequentially("bat-h", delay=30)
    options = job.get_by_role("listbox", name="Parts list")
    expect(options.get_by_role("option")).to_have_count(2)
    first = options.get_by_role("option").first
    expect(first).to_contain_text("BAT-H6")
    expect(first).to_contain_text("On hand 3 · Bin B1")
    expect(first).to_contain_text("$196.67")
    shoot("parts-typeahead-desktop")

    # Keyboard: down to the first part, Enter picks it (and does not submit the form).
    number.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    number.press("Enter")
    expect(options).to_be_hidden()
    expect(job.get_by_label("Description")).to_have_value("Battery, group H6, 760 CCA")
    expect(job.get_by_label("Price / rate")).to_have_value("196.67")  # 118 at 40% margin
    expect(job.get_by_label("Cost")).to_have_value("118.00")
    expect(job.get_by_text(re.compile("core charge of \\$18.00 is added"))).to_be_visible()
    expect(job.get_by_label("Qty / hours")).to_be_focused()
    job.get_by_role("button", name="Add line").click()
    expect(job.get_by_role("cell", name=re.compile("^Battery, group H6, 760 CCA"))).to_be_visible()
    expect(
        job.get_by_role("cell", name="Core charge: Battery, group H6, 760 CCA", exact=True)
    ).to_be_visible()
    expect(job.locator(".badge", has_text="catalog")).to_have_count(1)
    # 139.00 labor (the rule) + 196.67 + 18.00 core + 8.25 % of 214.67 (17.71)
    expect(page.get_by_test_id("grand-total")).to_have_text("$371.38")

    # A part not in the list is still typed by hand.
    job.get_by_role("combobox", name="Part #").fill("ZZ-9")
    expect(job.get_by_text(re.compile("No part in the parts list matches"))).to_be_visible()
    job.get_by_role("combobox", name="Description").fill("Terminal cleaner")
    job.get_by_label("Price / rate").fill("6.50")
    job.get_by_role("button", name="Add line").click()
    expect(job.get_by_role("cell", name="Terminal cleaner", exact=True)).to_be_visible()
    expect(job.locator(".badge", has_text="catalog")).to_have_count(1)
    page.set_viewport_size(TABLET)
    shoot("parts-editor-lines-tablet")

    page.get_by_role("combobox", name="Status", exact=True).select_option(label="7 In Progress")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Repair order #\d+"))
    page.get_by_role("combobox", name="Status", exact=True).select_option(label="17 Billed Out")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("Closed and locked")).to_be_visible()

    # Off the shelf: the parts list and the part's page say 2 on hand.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/parts/")
    page.get_by_label("Search").fill("bat h6")
    row = page.get_by_role("row", name=re.compile("BAT-H6"))
    expect(row).to_have_count(1)
    expect(page.get_by_role("row")).to_have_count(2)  # the header and BAT-H6
    expect(row.get_by_role("cell").nth(4)).to_have_text("2")
    shoot("parts-list-desktop")
    row.get_by_role("link", name="BAT-H6").click()
    expect(page.get_by_test_id("on-hand")).to_have_text("2")
    expect(page.get_by_role("row", name=re.compile("Sold"))).to_contain_text(
        f"Invoice #{estimate.pk}"
    )
    page.set_viewport_size(TABLET)
    shoot("parts-part-tablet")
    # On a phone each movement is a card whose first cell keeps its label apart from its
    # value ("When  Dec 3, 2026", not "WhenDec 3, 2026").
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    when = page.locator("td[data-label='When']").first
    assert value_apart_from_label(when)
    shoot("parts-part-phone")
    page.goto(f"{live_server.url}/parts/")
    shoot("parts-list-phone")


def test_the_manager_edits_the_pricing_matrix_and_a_gap_is_refused(
    page, live_server, log_in, employee_at, shoot
):
    shop_with_matrix()
    employee_at(2, username="manager")
    page.set_viewport_size(DESKTOP)
    log_in("manager")
    page.goto(f"{live_server.url}/parts/pricing/")
    expect(page.get_by_label("Band 2 cost from")).to_have_value("10.00")
    page.get_by_label("Band 2 cost from").fill("12")
    page.get_by_role("button", name="Save matrix").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a gap between $10.00 and $12.00")
    shoot("parts-pricing-refused-desktop")
    page.get_by_label("Band 2 cost from").fill("10")
    page.get_by_label("Band 2 percent").fill("90")
    page.get_by_role("button", name="Save matrix").click()
    expect(page.get_by_text("The pricing matrix was saved.")).to_be_visible()
    expect(page.get_by_role("row", name="$38.00 $72.20")).to_be_visible()  # 38 × 1.9
    page.set_viewport_size(TABLET)
    shoot("parts-pricing-tablet")
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    band = page.locator("td[data-label='Band']").first
    expect(band).to_have_text("1")
    assert value_apart_from_label(band)
    assert within_viewport_width(page.get_by_label("Band 1 percent"))
    shoot("parts-pricing-phone")
