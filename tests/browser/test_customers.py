"""The counter: a phone number leads to a new customer and their vehicle; a manager
previews and applies a manual combine of two duplicate customers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, TABLET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_counter_turns_a_new_phone_into_a_customer_with_a_vehicle(
    page, live_server, log_in, advisor, shoot
):
    log_in("advisor")
    # The module menu in the top bar, wherever the advisor lands after logging in.
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Modules").get_by_role("link", name="Counter").click()
    page.get_by_label("Phone number").fill("217.555.0177")
    shoot("customers-counter")
    page.get_by_role("button", name="Find customer").click()

    expect(page.get_by_text("No customer has (217) 555-0177 yet")).to_be_visible()
    expect(page.get_by_label("Phone 1")).to_have_value("217.555.0177")
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Brooks")
    page.get_by_label("Address", exact=True).fill("418 Oak Street")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("E-mail 1").fill("dana@example.com")
    shoot("customers-new")
    page.get_by_role("button", name="Save customer").click()

    expect(page.get_by_role("heading", name="Dana Brooks")).to_be_visible()
    page.get_by_role("link", name="Add vehicle").click()
    page.get_by_label("VIN").fill("1HGCM82633A004352")
    page.get_by_label("Plate", exact=True).fill("dbx 417")
    page.get_by_label("Model").fill("Accord")
    page.get_by_role("button", name="Save vehicle").click()

    expect(page.get_by_role("cell", name="2003 Honda Accord", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="DBX417", exact=True)).to_be_visible()
    shoot("customers-detail")

    # The same caller again, typed another way: the counter finds them now.
    page.goto(f"{live_server.url}/customers/counter/")
    page.get_by_label("Phone number").fill("+1 217 555 0177")
    page.get_by_role("button", name="Find customer").click()
    expect(page.get_by_role("link", name="Dana Brooks")).to_be_visible()


def test_an_invalid_vin_is_explained_on_the_form(page, live_server, log_in, advisor, shoot):
    from tests.customers.factories import CustomerFactory

    customer = CustomerFactory(first_name="Sam", last_name="Ortiz")
    log_in("advisor")
    page.goto(f"{live_server.url}/customers/{customer.pk}/vehicles/new/")
    page.get_by_label("VIN").fill("1HGCM82643A004352")
    page.get_by_role("button", name="Save vehicle").click()
    expect(page.get_by_text("check digit (9th character) should be 3")).to_be_visible()
    shoot("customers-vehicle-invalid-vin")


def test_search_shows_results_as_you_type(page, live_server, log_in, advisor, shoot):
    from tests.customers.factories import CustomerFactory, CustomerPhoneFactory

    maria = CustomerFactory(first_name="Maria", last_name="Gonzalez")
    CustomerPhoneFactory(customer=maria, number="(217) 555-0188", e164="+12175550188")
    CustomerFactory(first_name="James", last_name="Whitfield")
    page.set_viewport_size(PHONE)
    log_in("advisor")
    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Search customers").press_sequentially("0188", delay=30)
    expect(page.get_by_role("link", name="Maria Gonzalez")).to_be_visible()
    expect(page.get_by_role("link", name="James Whitfield")).to_have_count(0)
    shoot("customers-search-phone")


def test_a_manager_previews_and_applies_a_manual_combine(
    page, live_server, log_in, employee_at, shoot
):
    from customers.models import Customer
    from tests.customers.factories import CustomerFactory, CustomerPhoneFactory, VehicleFactory

    employee_at(2, username="manager", role="manager")
    keep = CustomerFactory(first_name="Angela", last_name="Brooks")
    CustomerPhoneFactory(customer=keep, number="(217) 555-0176", e164="+12175550176")
    duplicate = CustomerFactory(first_name="Angela", last_name="Brookes")
    CustomerPhoneFactory(customer=duplicate, number="217-555-0150", e164="+12175550150")
    VehicleFactory(customer=duplicate, year=2016, make="Nissan", model="Rogue", plate="ABR16")

    log_in("manager")
    page.goto(f"{live_server.url}/customers/{keep.pk}/")
    page.get_by_role("link", name="Combine with a duplicate").click()
    page.get_by_label("Find the duplicate").press_sequentially("brookes", delay=30)
    page.get_by_role("link", name="Choose", exact=True).first.click()

    preview = page.get_by_role("region", name="Preview: what combining will change")
    expect(preview).to_contain_text("1 vehicle moves to Angela Brooks")
    expect(preview).to_contain_text("1 customer phone moves to Angela Brooks")
    expect(preview).to_contain_text(f"Angela Brookes (#{duplicate.pk}) is deleted")
    shoot("customers-combine-preview")
    page.get_by_role("button", name="Combine into Angela Brooks").click()

    expect(page.get_by_text("combined into Angela Brooks")).to_be_visible()
    expect(page.get_by_role("cell", name="2016 Nissan Rogue", exact=True)).to_be_visible()
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    shoot("customers-combined")

    page.goto(f"{live_server.url}/customers/utilities/")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Undone:")).to_be_visible()
    assert Customer.objects.filter(pk=duplicate.pk).exists()
    shoot("customers-utilities-undone")


def test_the_advisor_opens_a_past_work_order_from_the_customer_history(
    page, live_server, log_in, advisor, shoot
):
    from tests.customers.factories import CustomerFactory, VehicleFactory
    from workorders.seeding import statuses_ensure
    from workorders.services import workorder_create

    statuses = statuses_ensure()
    customer = CustomerFactory(first_name="Ruth", last_name="Keller")
    truck = VehicleFactory(customer=customer, year=2014, make="Ford", model="F-150")
    car = VehicleFactory(customer=customer, year=2019, make="Honda", model="Civic")
    workorder_create(by=advisor, vehicle=car)
    repair_order = workorder_create(by=advisor, vehicle=truck, status=statuses[6])

    log_in("advisor")
    for name, size in (("desktop", DESKTOP), ("tablet", TABLET), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/customers/{customer.pk}/")
        expect(page.get_by_role("heading", name="Work orders")).to_be_visible()
        # Each vehicle's buttons are on the screen, not off to the side of a wide table.
        edit = page.get_by_role("link", name="Edit 2014 Ford F-150").bounding_box()
        assert edit["x"] + edit["width"] <= size["width"]
        shoot(f"customers-detail-history-{name}")

    link = page.get_by_role("link", name=f"Repair order #{repair_order.pk}, ")
    expect(link).to_have_text(f"Repair order #{repair_order.pk}")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/workorders/{repair_order.pk}/")

    page.goto(f"{live_server.url}/customers/vehicles/{truck.pk}/edit/")
    shoot("customers-vehicle-history-phone")
    page.get_by_role("link", name=f"Repair order #{repair_order.pk}, ").click()
    expect(page).to_have_url(f"{live_server.url}/workorders/{repair_order.pk}/")


def test_the_advisor_adds_a_customer_with_two_phones_and_two_emails(
    page, live_server, log_in, advisor, shoot
):
    from customers.models import Customer

    log_in("advisor")
    page.goto(f"{live_server.url}/customers/new/")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Phone 1").fill("217-555-0161")

    # From the keyboard: the button adds a row and the cursor lands in its phone field.
    page.get_by_role("button", name="Add another phone").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Phone 2")).to_be_focused()
    page.keyboard.type("(309) 555-0162")
    page.get_by_label("Type").nth(1).select_option("work")
    page.get_by_label("Ext.").nth(1).fill("44")

    # A row added by mistake is taken back; the next one takes its place.
    page.get_by_role("button", name="Add another phone").click()
    expect(page.get_by_label("Phone 3")).to_be_focused()
    page.get_by_role("button", name="Remove phone 3").click()
    expect(page.get_by_label("Phone 3")).to_have_count(0)
    expect(page.get_by_role("button", name="Add another phone")).to_be_focused()

    page.get_by_label("E-mail 1").fill("grace@example.com")
    page.get_by_role("button", name="Add another e-mail").click()
    expect(page.get_by_label("E-mail 2")).to_be_focused()
    page.keyboard.type("grace@okafor-plumbing.example.com")
    for name, size in (("desktop", DESKTOP), ("tablet", TABLET), ("phone", PHONE)):
        page.set_viewport_size(size)
        shoot(f"customers-form-rows-{name}")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Save customer").click()

    expect(page.get_by_role("heading", name="Grace Okafor")).to_be_visible()
    expect(page.get_by_role("link", name="(309) 555-0162")).to_be_visible()
    expect(page.get_by_role("link", name="grace@okafor-plumbing.example.com")).to_be_visible()
    customer = Customer.objects.get(first_name="Grace")
    assert sorted(customer.phones.values_list("e164", "kind", "extension")) == [
        ("+12175550161", "cell", ""),
        ("+13095550162", "work", "44"),
    ]
    assert sorted(customer.emails.values_list("address", flat=True)) == [
        "grace@example.com",
        "grace@okafor-plumbing.example.com",
    ]


def test_a_bad_phone_in_an_added_row_is_explained_on_that_row(
    page, live_server, log_in, advisor, shoot
):
    from customers.models import Customer

    page.set_viewport_size(PHONE)
    log_in("advisor")
    page.goto(f"{live_server.url}/customers/new/")
    page.get_by_label("First name").fill("Omar")
    page.get_by_label("Last name").fill("Haddad")
    page.get_by_label("Phone 1").fill("217-555-0171")
    page.get_by_role("button", name="Add another phone").click()
    page.get_by_label("Phone 2").fill("555-01")
    page.get_by_role("button", name="Add another e-mail").click()
    page.get_by_label("E-mail 2").fill("omar@")
    page.get_by_role("button", name="Save customer").click()

    # Both rows' errors at once, and a summary at the top that has the focus.
    summary = page.get_by_role("alert").filter(has_text="The customer was not saved")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Phone 2")).to_have_value("555-01")
    expect(page.get_by_label("Phone 2")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Phone 2")).to_have_accessible_description(
        re.compile("not a valid phone number")
    )
    expect(page.get_by_label("E-mail 2")).to_have_attribute("aria-invalid", "true")
    shoot("customers-form-row-error-phone")
    summary.get_by_role("link", name=re.compile("^Phone 2:")).click()
    expect(page.get_by_label("Phone 2")).to_be_focused()
    assert not Customer.objects.exists()

    # The added rows keep their Remove buttons: taking both back saves the customer.
    page.get_by_role("button", name="Remove phone 2").click()
    expect(page.get_by_label("Phone 2")).to_have_count(0)
    page.get_by_role("button", name="Remove e-mail 2").click()
    expect(page.get_by_label("E-mail 2")).to_have_count(0)
    page.get_by_role("button", name="Save customer").click()
    expect(page.get_by_role("heading", name="Omar Haddad")).to_be_visible()
    customer = Customer.objects.get()
    assert list(customer.phones.values_list("e164", flat=True)) == ["+12175550171"]
    assert not customer.emails.exists()


def test_the_advisor_adds_a_phone_to_a_customer_on_file(page, live_server, log_in, advisor, shoot):
    from tests.customers.factories import CustomerFactory, CustomerPhoneFactory

    customer = CustomerFactory(first_name="Ines", last_name="Moreau")
    CustomerPhoneFactory(customer=customer, number="(217) 555-0181", e164="+12175550181")
    log_in("advisor")
    page.goto(f"{live_server.url}/customers/{customer.pk}/edit/")
    # The saved phone and the blank row offered after it; the button adds a third.
    page.get_by_role("button", name="Add another phone").click()
    page.get_by_label("Phone 3").fill("217-555-0183")
    page.get_by_label("Type").nth(2).select_option("home")
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        shoot(f"customers-edit-rows-{name}")
    page.get_by_role("button", name="Save customer").click()

    expect(page.get_by_role("heading", name="Ines Moreau")).to_be_visible()
    assert sorted(customer.phones.values_list("e164", "kind")) == [
        ("+12175550181", "cell"),
        ("+12175550183", "home"),
    ]


def test_added_rows_stop_at_ten_and_a_removed_one_leaves_no_gap(
    page, live_server, log_in, advisor, shoot
):
    from customers.models import Customer

    log_in("advisor")
    page.goto(f"{live_server.url}/customers/new/")
    page.get_by_label("First name").fill("Theo")
    page.get_by_label("Last name").fill("Lindqvist")
    add = page.get_by_role("button", name="Add another phone")
    for _ in range(9):
        add.click()
    expect(page.get_by_label("Phone 10")).to_be_focused()
    expect(add).to_be_hidden()
    expect(page.get_by_text("10 phones at most.")).to_be_visible()

    # Taking back Phone 3 moves the later rows up: Phone 4 becomes Phone 3, and so on.
    page.get_by_label("Phone 1", exact=True).fill("217-555-0191")
    page.get_by_label("Phone 4").fill("217-555-0194")
    page.get_by_role("button", name="Remove phone 3").click()
    expect(add).to_be_focused()
    expect(page.get_by_label("Phone 3")).to_have_value("217-555-0194")
    expect(page.get_by_label("Phone 10")).to_have_count(0)
    expect(page.get_by_text("10 phones at most.")).to_be_hidden()
    assert page.locator('input[name="phones-TOTAL_FORMS"]').input_value() == "9"
    assert page.locator('input[name="phones-2-number"]').input_value() == "217-555-0194"
    page.get_by_role("button", name="Save customer").click()

    expect(page.get_by_role("heading", name="Theo Lindqvist")).to_be_visible()
    customer = Customer.objects.get(first_name="Theo")
    assert sorted(customer.phones.values_list("e164", flat=True)) == [
        "+12175550191",
        "+12175550194",
    ]
