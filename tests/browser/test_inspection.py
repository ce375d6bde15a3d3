"""The technician's inspection on a tablet: notes are never lost. They are saved with a
rating, when the field is left, and, typed offline, when the tablet is back online."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from shop.models import ShopProfile
from tests.browser.conftest import TABLET
from tests.workorders.factories import VehicleFactory, inspection_sheet
from workorders import services
from workorders.models import InspectionResult
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def inspection_page(page, live_server, log_in, advisor, technician):
    """The technician on the inspection page of their repair order, the inspection started."""
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("8.250")}
    )
    statuses = statuses_ensure()
    work_order = services.workorder_create(
        by=advisor,
        vehicle=VehicleFactory(make="Honda", model="Civic", plate="CIV2016"),
        default_technician=technician,
    )
    services.job_add(by=advisor, work_order=work_order, version=None, title="Front brakes")
    work_order = services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[7]
    )
    services.inspection_start(by=technician, work_order=work_order, sheet=inspection_sheet())
    page.set_viewport_size(TABLET)
    log_in("tech")
    page.goto(f"{live_server.url}/workorders/{work_order.pk}/inspection/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vehicle inspection")
    return page


def item(page, label: str):
    return page.locator("article.inspect-item", has_text=label)


def notes_of(label: str) -> str:
    return InspectionResult.objects.get(label=label).notes


def test_a_note_typed_then_rated_is_kept(inspection_page, shoot):
    page = inspection_page
    pads = item(page, "Front brake pads")
    notes = pads.get_by_label("Notes on Front brake pads")
    notes.press_sequentially("2 mm left on the inner pad")
    with page.expect_response(
        lambda r: "/inspection/items/" in r.url and "rating" in (r.request.post_data or "")
    ):
        pads.get_by_role("button", name="Needs attention now: Front brake pads").click()
    pads = item(page, "Front brake pads")
    expect(
        pads.get_by_role("button", name="Needs attention now: Front brake pads")
    ).to_have_attribute("aria-pressed", "true")
    expect(pads.get_by_label("Notes on Front brake pads")).to_have_value(
        "2 mm left on the inner pad"
    )
    expect(pads.get_by_role("status")).to_have_text("Saved")
    assert notes_of("Front brake pads") == "2 mm left on the inner pad"
    assert InspectionResult.objects.get(label="Front brake pads").rating == "red"
    page.reload()
    expect(item(page, "Front brake pads").get_by_label("Notes on Front brake pads")).to_have_value(
        "2 mm left on the inner pad"
    )
    shoot("inspection-notes-rated-tablet")


def test_a_note_is_saved_when_the_field_is_left(inspection_page):
    page = inspection_page
    rear = item(page, "Rear brake pads")
    rear.get_by_label("Notes on Rear brake pads").fill("7 mm, even wear")
    expect(rear.get_by_role("status")).to_have_text("Not saved yet")
    rear.get_by_label("Notes on Rear brake pads").press("Tab")  # leaves the field
    expect(rear.get_by_role("status")).to_have_text("Saved")
    assert notes_of("Rear brake pads") == "7 mm, even wear"
    assert InspectionResult.objects.get(label="Rear brake pads").rating == ""


def test_a_note_typed_offline_is_sent_when_the_tablet_is_back_online(
    inspection_page, context, shoot
):
    page = inspection_page
    tread = item(page, "Tread depth")
    context.set_offline(True)
    tread.get_by_label("Notes on Tread depth").fill("4/32 in on the outer edge")
    tread.get_by_label("Notes on Tread depth").press("Tab")
    expect(tread.get_by_role("status")).to_contain_text("Offline: kept on this tablet")
    shoot("inspection-notes-offline-tablet")
    assert notes_of("Tread depth") == ""
    context.set_offline(False)
    expect(tread.get_by_role("status")).to_have_text("Saved")
    assert notes_of("Tread depth") == "4/32 in on the outer edge"
    # Nothing is left waiting on the tablet once the shop has it.
    assert page.evaluate("window.localStorage.getItem('shop.inspection-notes')") == "{}"
