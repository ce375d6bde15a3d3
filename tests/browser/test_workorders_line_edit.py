"""In a browser: a line edited in place in the editor (the totals follow; keyboard only at
tablet width; Escape cancels) and a vehicle's Count Down set on its board card (the timer,
the history and the technician's tablet follow)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shop.models import ShopProfile
from tests.browser.conftest import DESKTOP, PHONE, TABLET
from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.models import Line, WorkOrder
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shop() -> None:
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
        },
    )


def test_a_line_is_edited_in_place_and_the_totals_follow(
    page, live_server, log_in, advisor, technician, shoot
):
    _shop()
    statuses_ensure()
    vehicle = VehicleFactory(customer__first_name="Maria", customer__last_name="Gonzalez")
    estimate = services.workorder_create(by=advisor, vehicle=vehicle)
    job = services.job_add(
        by=advisor, work_order=estimate, version=None, title="Front brakes", category="Brakes"
    )
    pads = services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="part",
        part_number="BP-1",
        description="Brake pads",
        quantity="1",
        unit_price="64.99",
    )
    labor = Line.objects.get(work_order=estimate, kind="labor")
    page.set_viewport_size(DESKTOP)
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/{estimate.pk}/")
    total = page.get_by_test_id("grand-total")
    expect(total).to_have_text("$209.35")  # 139 labor + 64.99 pads + 5.36 tax

    # The automatic labor line: 1.0 h becomes 2.5 h, with a technician.
    page.get_by_role("link", name="Edit Labor").click()
    row = page.locator(f"#line-{labor.pk}")
    expect(row.get_by_label("Hours")).to_have_value("1.00")
    row.get_by_label("Hours").fill("2.5")
    row.get_by_label("Technician").select_option(label=str(technician))
    shoot("line-edit-open-desktop")
    row.get_by_role("button", name="Save").click()
    expect(row.locator("td").nth(3)).to_have_text("2.5")
    expect(row).to_contain_text("$347.50")
    expect(row).to_contain_text(str(technician))
    expect(total).to_have_text("$417.85")
    expect(page.get_by_role("link", name="Edit Labor")).to_be_focused()
    shoot("line-edit-saved-desktop")

    # Tablet, keyboard only: Edit with Enter, change the price, Enter saves.
    page.set_viewport_size(TABLET)
    edit = page.get_by_role("link", name="Edit Brake pads")
    edit.focus()
    page.keyboard.press("Enter")
    row = page.locator(f"#line-{pads.pk}")
    price = row.get_by_label("Price")
    expect(price).to_be_visible()
    price.fill("80")
    shoot("line-edit-open-tablet")
    price.press("Enter")
    expect(row).to_contain_text("$80.00")
    expect(total).to_have_text("$434.10")  # 347.50 + 80 + 6.60 tax
    # A bad value is said in the row and nothing changes; Escape closes the form.
    page.get_by_role("link", name="Edit Brake pads").press("Enter")
    row.get_by_label("Quantity").fill("-2")
    row.get_by_label("Quantity").press("Enter")
    expect(row).to_contain_text("Quantity cannot be negative.")
    expect(total).to_have_text("$434.10")
    row.get_by_label("Quantity").press("Escape")
    expect(page.get_by_role("link", name="Edit Brake pads")).to_be_focused()
    expect(row).to_contain_text("$80.00")

    # Phone: the row's form stacks in two columns and still saves.
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Edit Brake pads").click()
    row.get_by_label("Description").fill("Ceramic brake pads")
    shoot("line-edit-open-phone")
    row.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("Ceramic brake pads")
    assert Line.objects.get(pk=pads.pk).description == "Ceramic brake pads"


def test_a_second_writer_is_told_the_work_order_changed(page, live_server, log_in, advisor):
    _shop()
    statuses_ensure()
    estimate = services.workorder_create(by=advisor, vehicle=VehicleFactory())
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Oil change")
    oil = services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="part",
        description="Oil filter",
        quantity="1",
        unit_price="12.00",
    )
    page.set_viewport_size(DESKTOP)
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/{estimate.pk}/")
    page.get_by_role("link", name="Edit Oil filter").click()
    # Someone else saves meanwhile.
    services.line_update(
        by=advisor, line=oil, version=WorkOrder.objects.get(pk=estimate.pk).version, quantity="2"
    )
    row = page.locator(f"#line-{oil.pk}")
    row.get_by_label("Quantity").fill("3")
    row.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("changed by someone else")
    assert Line.objects.get(pk=oil.pk).quantity == Decimal("2.00")


def test_an_advisor_sets_a_vehicles_count_down_on_its_card(
    page, live_server, log_in, advisor, technician, shoot
):
    _shop()
    statuses = statuses_ensure()
    vehicle = VehicleFactory(make="Toyota", model="Camry", customer__last_name="Gonzalez")
    order = services.workorder_create(by=advisor, vehicle=vehicle, default_technician=technician)
    job = services.job_add(by=advisor, work_order=order, version=None, title="Front brakes")
    order = services.workorder_status_set(
        by=advisor, work_order=order, version=None, status=statuses[7]
    )
    services.workorder_create(by=advisor, vehicle=VehicleFactory(make="Mazda", model="CX-5"))
    page.set_viewport_size(DESKTOP)
    page.clock.install(time=timezone.now())
    log_in("advisor")
    card = page.get_by_test_id(f"card-work_order-{order.pk}")
    hours = card.get_by_label(f"hours for #{order.pk}")
    minutes = card.get_by_label(f"minutes for #{order.pk}")
    expect(hours).to_have_value("2")  # In Progress: 120 minutes by default
    expect(minutes).to_have_value("0")
    hours.fill("3")
    minutes.fill("45")
    card.get_by_role("button", name=f"Set the Count Down of #{order.pk}").click()
    timer = page.get_by_test_id(f"timer-work_order-{order.pk}")
    expect(timer).to_have_text(re.compile(r"^3:4\d left$"))
    expect(
        page.get_by_test_id(f"card-work_order-{order.pk}").get_by_label(f"minutes for #{order.pk}")
    ).to_have_value("45")
    assert WorkOrder.objects.get(pk=order.pk).countdown_minutes == 225
    shoot("board-countdown-desktop")
    page.set_viewport_size(TABLET)
    shoot("board-countdown-tablet")
    page.get_by_role("button", name=f"Status history of #{order.pk}").click()
    expect(page.locator("#history-dialog")).to_contain_text("Count Down 3 h 45 min")

    # The technician's tablet shows the time left for this vehicle.
    page.context.clear_cookies()
    log_in("tech")
    expect(page.get_by_test_id(f"tech-countdown-{job.pk}")).to_contain_text(
        re.compile(r"3:4\d left")
    )
    shoot("my-jobs-countdown-tablet")
