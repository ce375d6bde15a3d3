"""A service advisor logs in and sees the menu; a level-5 employee is refused a level-1 page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, TABLET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [DESKTOP, TABLET, PHONE], ids=["desktop", "tablet", "phone"])
def test_an_advisor_logs_in_and_sees_the_menu(page, live_server, log_in, advisor, shoot, size):
    page.set_viewport_size(size)
    log_in("advisor")
    # The counter lands on Today's Vehicles Page; the menu keeps its own page.
    expect(page).to_have_url(f"{live_server.url}/workorders/board/")
    page.get_by_role("link", name="All modules").click()
    expect(page).to_have_url(f"{live_server.url}/shop/menu/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(advisor.first_name)
    expect(page.get_by_role("link", name="Employees")).to_be_visible()
    # Level 3 does not open level-1 functions: they are not offered.
    expect(page.get_by_role("link", name="Shop settings")).to_have_count(0)
    shoot(f"home-advisor-{size['width']}")

    page.get_by_text("Menu").click()
    page.get_by_role("navigation", name="Modules").get_by_role("link", name="Employees").click()
    expect(page.get_by_role("heading", name="Employees")).to_be_visible()
    expect(page.get_by_role("cell", name=str(advisor))).to_be_visible()


def test_a_wrong_password_says_so(page, live_server, log_in, advisor, shoot):
    log_in("advisor", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    shoot("login-wrong-password")


def test_a_level_five_employee_is_refused_a_level_one_page(
    page, live_server, log_in, technician, shoot
):
    log_in("tech")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    response = page.goto(f"{live_server.url}/shop/settings/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You can’t open this page")
    expect(page.get_by_text("“Edit shop settings” needs security level 1")).to_be_visible()
    shoot("refused-level-5")


def test_the_owner_adds_an_administrator_who_activates_by_the_link(
    page, live_server, log_in, owner, shoot, settings
):
    from django.core import mail

    settings.SHOP_BASE_URL = live_server.url
    log_in("owner")
    page.goto(f"{live_server.url}/shop/menu/")  # the owner lands on the board
    page.get_by_role("link", name="Manage Administrators").first.click()
    page.get_by_role("link", name="Add New Administrator").click()
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Brooks")
    page.get_by_label("Email").fill("dana@shop.example")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Role").select_option("advisor")
    page.get_by_label("Security level").select_option("3")
    shoot("administrator-add")
    page.get_by_role("button", name="Add and send the link").click()
    expect(page.get_by_text("An activation link is on its way")).to_be_visible()
    expect(page.get_by_role("row", name="Dana Brooks")).to_contain_text("Invited")
    shoot("administrators")

    link = next(line for line in mail.outbox[-1].body.splitlines() if "/activate/" in line)
    page.get_by_role("button", name="Log out").click()
    page.goto(link.strip())
    shoot("activate")
    page.locator("#id_new_password1").fill("Brake-Pads-2026!")
    page.locator("#id_new_password2").fill("Brake-Pads-2026!")
    page.get_by_role("button", name="Activate my login").click()
    expect(page.get_by_text("Your login is active")).to_be_visible()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("Brake-Pads-2026!")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today's vehicles")
    page.goto(f"{live_server.url}/shop/menu/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dana")
