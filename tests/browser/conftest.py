from __future__ import annotations

import os
from pathlib import Path

import pytest

SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / ".screenshots")
)

DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shoot(page):
    """shoot(name): a full-page screenshot in .screenshots/ to look at after the run."""

    def take(name: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def log_in(page, live_server):
    from tests.shop.factories import PASSWORD

    def login(username: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()

    return login


def fits_the_screen(page) -> bool:
    """No horizontal overflow: nothing on the page reaches past the viewport's right edge."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def within_viewport_width(locator) -> bool:
    """The element lies within the viewport's width (not cut off or scrolled out sideways)."""
    box = locator.bounding_box()
    width = locator.page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def value_apart_from_label(cell) -> bool:
    """A card table's cell on a phone: its value starts to the right of its label (the
    ::before of data-label), not run together with it ("Band1")."""
    return cell.evaluate(
        """td => {
            const range = document.createRange();
            range.selectNodeContents(td);
            const value = range.getBoundingClientRect();
            const label = getComputedStyle(td, '::before');
            const cell = td.getBoundingClientRect();
            return label.content === `"${td.dataset.label}"`
                && value.left >= cell.left + parseFloat(label.width);
        }"""
    )
