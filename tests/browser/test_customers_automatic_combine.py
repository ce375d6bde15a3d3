"""Automatic Combine Customers: a manager adds a father and son (a Maybe pair) as family
members and combines a sure duplicate, at desktop, tablet and phone widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, TABLET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_adds_a_maybe_pair_as_family_and_combines_a_sure_pair(
    page, live_server, log_in, employee_at, shoot
):
    from customers.models import Customer
    from tests.customers.factories import CustomerFactory, CustomerPhoneFactory

    def person(first, last, street, *phones):
        customer = CustomerFactory(
            first_name=first, last_name=last, address_line1=street, postcode="62704"
        )
        for kind, number, e164 in phones:
            CustomerPhoneFactory(customer=customer, kind=kind, number=number, e164=e164)
        return customer

    employee_at(2, username="manager", role="manager")
    keep = person("Regina", "Goodman", "5 Oak Street", ("cell", "(217) 555-0110", "+12175550110"))
    again = person("REGINA", "GOODMAN", "5 Oak St", ("cell", "555-0110", "+12175550110"))
    father = person(
        "John", "Miller", "40 Elm Street",
        ("cell", "(217) 555-0301", "+12175550301"), ("home", "(217) 555-0300", "+12175550300"),
    )  # fmt: skip
    son = person(
        "John", "Miller Jr.", "40 Elm Street",
        ("cell", "(217) 555-0302", "+12175550302"), ("home", "(217) 555-0300", "+12175550300"),
    )  # fmt: skip

    log_in("manager")
    page.goto(f"{live_server.url}/customers/utilities/combine/automatic/")
    page.get_by_role("button", name="Find duplicates").click()

    sure = page.get_by_role("region", name="Same person: 1 group")
    maybe = page.get_by_role("region", name="Maybe: 1 pair")
    expect(sure.get_by_role("checkbox")).to_be_checked()
    expect(sure).to_contain_text(f"#{keep.pk} and #{again.pk}: same name, same cell phone")
    pair = maybe.get_by_role(
        "region", name=f"John Miller #{father.pk} and John Miller Jr. #{son.pk}"
    )
    expect(pair).to_contain_text("Against: different cell phones, 'Jr' on one.")
    expect(pair.get_by_role("checkbox")).not_to_be_checked()
    son_phones = pair.get_by_role("cell", name="Cell (217) 555-0302 Home (217) 555-0300")
    expect(son_phones).to_be_visible()
    expect(son_phones).to_contain_text("differs")
    for name, size in [("desktop", DESKTOP), ("tablet", TABLET), ("phone", PHONE)]:
        page.set_viewport_size(size)
        shoot(f"customers-automatic-combine-{name}")
    page.set_viewport_size(DESKTOP)

    # The son is not his father: link him as family; the review comes back without the pair.
    pair.get_by_role("button", name="Add as Family Member").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("added as a family member of John Miller")).to_be_visible()
    expect(page.get_by_role("region", name="Maybe: 0 pairs")).to_be_visible()
    assert Customer.objects.get(pk=son.pk).household_main_id == father.pk
    shoot("customers-automatic-combine-family-added")

    page.get_by_role("button", name="Combine the ticked groups and pairs").click()
    expect(page.get_by_text("1 duplicate customer combined")).to_be_visible()
    assert not Customer.objects.filter(pk=again.pk).exists()
    assert Customer.objects.filter(pk__in=[keep.pk, father.pk, son.pk]).count() == 3
    shoot("customers-automatic-combine-done")
