"""An advisor moves one of the day's appointments to later and cancels another."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TABLET
from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.models import Appointment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advisor_moves_one_appointment_and_cancels_another(
    page, live_server, log_in, advisor, shoot
):
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for hour, last_name, concern in ((9, "Okafor", "Oil change"), (10, "Lindqvist", "Brakes")):
        services.appointment_create(
            by=advisor,
            vehicle=VehicleFactory(customer__first_name="Sam", customer__last_name=last_name),
            starts_at=today.replace(hour=hour),
            concern=concern,
        )
    page.set_viewport_size(TABLET)
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/appointments/")

    page.get_by_role("link", name=re.compile(r"Change the appointment of Sam Okafor")).click()
    page.get_by_label("Date and time").fill(
        today.replace(hour=14, minute=30).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Concern").fill("Oil change and tire rotation")
    page.get_by_role("button", name="Save").click()
    row = page.get_by_role("row", name=re.compile("Okafor"))
    expect(row).to_contain_text("2:30 PM")
    expect(row).to_contain_text("Oil change and tire rotation")

    page.get_by_role("link", name=re.compile(r"Change the appointment of Sam Lindqvist")).click()
    shoot("appointment-edit-tablet")
    page.get_by_label("Why (optional)").fill("Customer called, will rebook")
    page.get_by_role("button", name="Cancel appointment").click()
    row = page.get_by_role("row", name=re.compile("Lindqvist"))
    expect(row).to_contain_text("Cancelled: Customer called, will rebook")
    expect(row.get_by_role("button", name=re.compile("Start work order"))).to_have_count(0)
    shoot("appointments-day-tablet")

    cancelled = Appointment.objects.get(customer__last_name="Lindqvist")
    assert cancelled.cancelled_by == advisor
    # The board shows only the appointment still booked.
    page.goto(f"{live_server.url}/workorders/board/")
    expect(page.get_by_text("Okafor")).to_be_visible()
    expect(page.get_by_text("Lindqvist")).to_have_count(0)


def test_on_a_phone_the_day_is_cards_with_change_and_start_on_screen(
    page, live_server, log_in, advisor, shoot
):
    today = timezone.localtime().replace(hour=16, minute=0, second=0, microsecond=0)
    for hour, last_name in ((16, "Okafor-Williamson"), (17, "Lindqvist")):
        services.appointment_create(
            by=advisor,
            vehicle=VehicleFactory(customer__first_name="Sam", customer__last_name=last_name),
            starts_at=today.replace(hour=hour),
            concern="Oil change and tire rotation, and a look at the front brakes",
        )
    page.set_viewport_size(PHONE)
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/appointments/")
    shoot("appointments-day-phone")
    # No sideways scroll: the hidden words in the buttons stay inside the table's box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for role, name in (
        ("link", "Change the appointment of Sam Okafor-Williamson"),
        ("button", "Start work order for Sam Okafor-Williamson"),
    ):
        box = page.get_by_role(role, name=name).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, box)
    expect(page.locator(".appointment-table td[data-label=Vehicle]").first).to_be_visible()


def test_a_refused_field_shows_a_red_border(page, live_server, log_in, advisor, shoot):
    appointment = services.appointment_create(
        by=advisor,
        vehicle=VehicleFactory(),
        starts_at=timezone.localtime() + timedelta(days=1),
        concern="Oil change",
    )
    page.set_viewport_size(TABLET)
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/appointments/{appointment.pk}/")
    page.get_by_label("Date and time").fill("1800-01-01T09:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Give a time between the years 1900 and 2999.")).to_be_visible()
    shoot("appointment-edit-refused-tablet")
    border = page.get_by_label("Date and time").evaluate(
        "input => getComputedStyle(input).borderTopColor"
    )
    assert border == "rgb(153, 27, 27)"  # --danger-ink, not the grey of a field at rest
