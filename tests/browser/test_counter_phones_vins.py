"""The counter with seven-digit phone numbers, a VIN already on another vehicle, a second
open estimate, the Combine Vehicles side-by-side preview and the registered history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def area_code_217(db):
    from shop.models import ShopProfile

    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto Repair", "default_area_code": "217"}
    )


def test_seven_digits_at_the_counter_find_and_add_a_customer(
    page, live_server, log_in, advisor, area_code_217, shoot
):
    from tests.customers.factories import CustomerFactory, CustomerPhoneFactory

    maria = CustomerFactory(first_name="Maria", last_name="Gonzalez")
    CustomerPhoneFactory(customer=maria, number="(217) 555-0188", e164="+12175550188")
    log_in("advisor")
    page.goto(f"{live_server.url}/customers/counter/")
    expect(page.get_by_text("seven digits (555-0142) take area code 217")).to_be_visible()
    page.get_by_label("Phone number").fill("555-0188")
    page.get_by_role("button", name="Find customer").click()
    expect(page.get_by_role("heading", name="1 customer with (217) 555-0188")).to_be_visible()
    expect(page.get_by_role("link", name="Maria Gonzalez")).to_be_visible()
    shoot("counter-seven-digits-desktop")
    page.set_viewport_size(PHONE)
    shoot("counter-seven-digits-phone")
    page.set_viewport_size(DESKTOP)

    # A new caller gives seven digits too: the customer is saved with the area code.
    page.get_by_label("Phone number").fill("555 0121")
    page.get_by_role("button", name="Find customer").click()
    expect(page.get_by_text("No customer has (217) 555-0121 yet")).to_be_visible()
    expect(page.locator("#phones-hint")).to_contain_text("take area code 217")
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Brooks")
    shoot("customer-form-area-code-hint-desktop")
    page.get_by_role("button", name="Save customer").click()
    expect(page.get_by_role("heading", name="Dana Brooks")).to_be_visible()
    expect(page.get_by_text("(217) 555-0121")).to_be_visible()

    # The search box reads seven digits the same way.
    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Search customers").fill("5550188")
    expect(page.get_by_role("link", name="Maria Gonzalez")).to_be_visible()

    # A bad number is still refused, saying why.
    page.goto(f"{live_server.url}/customers/counter/")
    page.get_by_label("Phone number").fill("555-01")
    page.get_by_role("button", name="Find customer").click()
    expect(page.get_by_text("is not a valid phone number")).to_be_visible()


def test_the_owner_sets_the_default_area_code(page, live_server, log_in, owner, shoot):
    log_in("owner")
    page.goto(f"{live_server.url}/shop/settings/")
    page.get_by_label("Name").fill("Main Street Auto Repair")
    page.get_by_label("Default area code").fill("2")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("An area code is three digits")).to_be_visible()
    page.get_by_label("Default area code").fill("217")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The shop's settings were saved.")).to_be_visible()
    expect(page.get_by_label("Default area code")).to_have_value("217")
    page.set_viewport_size(PHONE)
    shoot("shop-settings-area-code-phone")


def test_a_vin_on_another_vehicle_warns_as_it_is_typed_and_saves_only_when_chosen(
    page, live_server, log_in, advisor, shoot
):
    from customers.models import Vehicle
    from tests.customers.factories import CustomerFactory, VehicleFactory

    VehicleFactory(
        vin="1HGCM82633A004352",
        year=2003,
        make="Honda",
        model="Accord",
        customer=CustomerFactory(first_name="Ann", last_name="Seller"),
    )
    buyer = CustomerFactory(first_name="Sam", last_name="Ortiz")
    log_in("advisor")
    page.goto(f"{live_server.url}/customers/{buyer.pk}/vehicles/new/")
    page.get_by_label("VIN").fill("1HGCM82633A004352")
    warning = page.locator("#vin-check")
    expect(warning).to_contain_text("This VIN is already on another vehicle")
    expect(warning.get_by_role("link", name="Ann Seller")).to_be_visible()
    expect(warning.get_by_role("link", name="2003 Honda Accord")).to_be_visible()
    page.get_by_label("Model").fill("Accord")
    shoot("vehicle-vin-elsewhere-desktop")
    page.set_viewport_size(PHONE)
    shoot("vehicle-vin-elsewhere-phone")
    page.set_viewport_size(DESKTOP)

    # Save as usual: refused, nothing saved, the warning stays.
    page.get_by_role("button", name="Save vehicle").click()
    expect(page.locator(".field__error")).to_contain_text("is already on 2003 Honda Accord")
    assert not Vehicle.objects.filter(customer=buyer).exists()
    # Saving anyway is the advisor's deliberate choice.
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", name="Sam Ortiz")).to_be_visible()
    assert Vehicle.objects.filter(customer=buyer, vin="1HGCM82633A004352").exists()


def test_a_second_open_estimate_warns_with_a_link_to_the_first(
    page, live_server, log_in, advisor, shoot
):
    from tests.customers.factories import VehicleFactory
    from workorders.seeding import statuses_ensure
    from workorders.services import workorder_create

    statuses_ensure()
    vehicle = VehicleFactory(year=2016, make="Toyota", model="Camry")
    first = workorder_create(by=advisor, vehicle=vehicle, concern="Brakes squeal")
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/new/?vehicle={vehicle.pk}")
    expect(page.get_by_text("already has an open estimate")).to_be_visible()
    expect(page.get_by_role("link", name=f"Estimate #{first.pk}")).to_be_visible()
    shoot("new-estimate-open-estimate-desktop")
    page.set_viewport_size(PHONE)
    shoot("new-estimate-open-estimate-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Start another estimate anyway").click()
    expect(page.get_by_text("Estimate #", exact=False).first).to_be_visible()
    assert vehicle.work_orders.count() == 2


def test_combine_vehicles_side_by_side_and_history_screens(page, live_server, log_in, owner, shoot):
    from datetime import UTC, datetime

    from tests.customers.factories import CustomerFactory, VehicleFactory
    from workorders.models import Appointment

    customer = CustomerFactory(first_name="Lee", last_name="Park")
    kept = VehicleFactory(customer=customer, plate="HR10", vin="1HGCM82633A004352")
    VehicleFactory(customer=customer, plate="HR10", vin="5YJ3E1EA2KF317000", make="Tesla")
    VehicleFactory(customer=customer, plate="HR10", vin="", color="Blue")
    Appointment.objects.create(
        starts_at=datetime(2026, 3, 4, 15, 30, tzinfo=UTC),
        customer=customer,
        vehicle=kept,
        concern="Oil change",
    )
    log_in("owner")
    page.goto(f"{live_server.url}/customers/utilities/vehicles/?match=vin_or_plate")
    expect(page.get_by_text("The VINs differ")).to_be_visible()
    conflict = page.get_by_role("checkbox", name="Combine anyway")
    expect(conflict).not_to_be_checked()
    shoot("combine-vehicles-side-by-side-desktop")
    page.set_viewport_size(PHONE)
    shoot("combine-vehicles-side-by-side-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Combine the ticked vehicles").click()
    expect(page.get_by_text("1 duplicate vehicle combined into 1").first).to_be_visible()
    assert customer.vehicles.count() == 2

    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.get_by_role("heading", name="Appointments")).to_be_visible()
    expect(page.get_by_text("Mar 4, 2026 9:30 AM")).to_be_visible()
    shoot("customer-history-desktop")
    page.set_viewport_size(PHONE)
    shoot("customer-history-phone")
