"""An advisor moves one of the day's appointments to later and cancels another."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import TABLET
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
