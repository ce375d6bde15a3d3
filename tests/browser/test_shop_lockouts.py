"""The owner unlocks an employee locked out after five wrong passwords, who then logs in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, TABLET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [DESKTOP, TABLET, PHONE], ids=["desktop", "tablet", "phone"])
def test_the_owner_unlocks_a_locked_out_advisor(
    page, live_server, log_in, owner, advisor, shoot, size
):
    page.set_viewport_size(size)
    for _ in range(5):
        log_in("advisor", "not-the-password")
    log_in("advisor")
    expect(page.get_by_text("Too many wrong passwords")).to_be_visible()

    log_in("owner")
    page.goto(f"{live_server.url}/shop/menu/")
    page.get_by_role("link", name="Locked-out logins").first.click()
    expect(page.get_by_role("heading", name="Locked-out logins")).to_be_visible()
    row = page.get_by_role("row", name="advisor")
    expect(row).to_contain_text(str(advisor))
    expect(row).to_contain_text("127.0.0.1")
    shoot(f"locked-out-logins-{size['width']}")

    # Keyboard: the Unlock button is reached and pressed without the mouse.
    unlock = row.get_by_role("button", name="Unlock advisor")
    unlock.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("“advisor” is unlocked and can log in again.")).to_be_visible()
    expect(page.get_by_text("No login is locked out.")).to_be_visible()
    shoot(f"locked-out-logins-unlocked-{size['width']}")

    page.get_by_role("button", name="Log out").click()
    log_in("advisor")
    expect(page).to_have_url(f"{live_server.url}/workorders/board/")
