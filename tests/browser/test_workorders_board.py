"""Today's Vehicles Page in a browser (timers that move with a frozen clock, a status changed
from a card) and the technician's tablet view (a job, an inspection with a photo, a red item
turned into a recommended job)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shop.models import ShopProfile
from tests.browser.conftest import DESKTOP, PHONE, TABLET
from tests.workorders.factories import VehicleFactory, inspection_sheet, png_bytes
from workorders import services
from workorders.models import Job, WorkOrder
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shop() -> None:
    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={"name": "Main Street Auto", "tax_rate": Decimal("8.250")},
    )


def _repair_order(advisor, statuses, technician=None, number=7, **vehicle):
    work_order = services.workorder_create(
        by=advisor, vehicle=VehicleFactory(**vehicle), default_technician=technician
    )
    services.job_add(by=advisor, work_order=work_order, version=None, title="Front brakes")
    return services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[number]
    )


def test_the_board_timers_turn_orange_then_red_and_a_card_changes_status(
    page, live_server, log_in, advisor, technician, shoot
):
    _shop()
    statuses = statuses_ensure()
    now = timezone.now()
    # In Progress counts down from 120 minutes; the board turns orange under 15 minutes left.
    order = _repair_order(
        advisor,
        statuses,
        technician,
        customer__first_name="Maria",
        customer__last_name="Gonzalez",
        customer__text_consent=True,
        make="Toyota",
        model="Camry",
        plate="CAM1234",
    )
    _repair_order(advisor, statuses, technician, number=8, make="Ford", model="F-150")
    _repair_order(advisor, statuses, None, number=9, make="Subaru", model="Outback")
    services.workorder_create(by=advisor, vehicle=VehicleFactory(make="Mazda", model="CX-5"))
    services.appointment_create(
        by=advisor,
        starts_at=now + timedelta(minutes=45),
        vehicle=VehicleFactory(customer__first_name="Ann", customer__last_name="Lee"),
        concern="Check engine light on",
    )
    page.set_viewport_size(DESKTOP)
    page.clock.install(time=now)
    log_in("advisor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today's vehicles")

    timer = page.get_by_test_id(f"timer-work_order-{order.pk}")
    expect(timer).to_have_text(re.compile(r"^[12]:\d\d left$"))
    expect(timer).to_have_class(re.compile(r"timer--ok"))
    appointment_timer = page.locator("[data-timer=appointment]")
    expect(appointment_timer).to_have_text(re.compile(r"^in 0:4\d$"))
    shoot("board-desktop")

    page.clock.fast_forward("01:50:00")  # 10 minutes left: orange
    expect(timer).to_have_text(re.compile(r"^0:(09|10) left$"))
    expect(timer).to_have_class(re.compile(r"timer--warn"))
    expect(page.get_by_test_id(f"card-work_order-{order.pk}")).to_have_class(
        re.compile(r"vcard--warn")
    )
    expect(appointment_timer).to_have_class(re.compile(r"timer--late"))  # past due: red
    shoot("board-orange")

    page.clock.fast_forward("00:15:00")  # run out: red
    expect(timer).to_have_text(re.compile(r"over$"))
    expect(timer).to_have_class(re.compile(r"timer--late"))
    shoot("board-red")

    # A status changed from the card: it moves to the Waiting for Parts group, counting up.
    card = page.get_by_test_id(f"card-work_order-{order.pk}")
    card.get_by_label(f"Status of #{order.pk}").select_option(label="8 Waiting for Parts")
    card.get_by_role("button", name="Move").click()
    group = page.get_by_role("region", name="Waiting for Parts")
    expect(group.get_by_test_id(f"card-work_order-{order.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"timer-work_order-{order.pk}")).to_have_text(
        re.compile(r"in status$")
    )
    assert WorkOrder.objects.get(pk=order.pk).status.number == 8

    # Its status history opens from the card.
    page.get_by_role("button", name=f"Status history of #{order.pk}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Waiting for Parts")
    expect(dialog).to_contain_text("from In Progress")
    shoot("board-history")


def test_a_technician_inspects_on_a_tablet_and_recommends_a_red_item(
    page, live_server, log_in, advisor, technician, shoot
):
    _shop()
    statuses = statuses_ensure()
    inspection_sheet()
    order = _repair_order(
        advisor, statuses, technician, make="Honda", model="Civic", plate="CIV2016"
    )
    page.set_viewport_size(TABLET)
    log_in("tech")
    expect(page.get_by_role("heading", level=1)).to_have_text("My jobs")
    shoot("tablet-my-jobs")
    page.get_by_role("link", name=re.compile("Front brakes")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Front brakes")
    page.get_by_role("textbox", name="Note", exact=True).fill("Pads worn to 2 mm, rotors scored.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_test_id("customer-notes")).to_contain_text("Pads worn to 2 mm")
    shoot("tablet-job")

    page.get_by_role("link", name="Inspect the vehicle").click()
    page.get_by_role("button", name="Start inspection").click()
    item = page.locator("article.inspect-item", has_text="Front brake pads")
    with page.expect_response(lambda r: "/inspection/items/" in r.url):
        item.get_by_role("button", name="Needs attention now: Front brake pads").click()
    expect(
        item.get_by_role("button", name="Needs attention now: Front brake pads")
    ).to_have_attribute("aria-pressed", "true")
    item = page.locator("article.inspect-item", has_text="Front brake pads")
    item.get_by_label("Notes on Front brake pads").fill("2 mm left on the inner pad")
    with page.expect_response(lambda r: "/inspection/items/" in r.url):
        item.get_by_role("button", name="Save notes").click()
    expect(item.get_by_label("Notes on Front brake pads")).to_have_value(
        "2 mm left on the inner pad"
    )
    item.locator("input[name=photo]").set_input_files(
        {"name": "pads.png", "mimeType": "image/png", "buffer": png_bytes((800, 600))}
    )
    # Taking the photo uploads it: no other tap.
    expect(item.get_by_role("img", name="Photo 1 of Front brake pads")).to_be_visible()
    page.locator("article.inspect-item", has_text="Tread depth").get_by_role(
        "button", name="Good: Tread depth"
    ).click()
    item.get_by_role("button", name="Recommend “Front brake pads”").click()
    expect(item).to_contain_text("Recommended to the customer as a job: Front brake pads")
    shoot("tablet-inspection")

    job = Job.objects.get(work_order=order, title="Front brake pads")
    assert job.approval == Job.Approval.PENDING
    # Touch targets on the tablet: 44 px and more.
    for button in page.locator("article.inspect-item button, article.inspect-item .btn").all():
        box = button.bounding_box()
        if box:
            assert box["height"] >= 44, button.inner_text()


# A day at a busy shop: 40 repair orders in six statuses, 10 estimates, 6 appointments.
BUSY_STATUSES = {7: 12, 8: 8, 9: 6, 6: 5, 13: 5, 16: 4}
MAKES = [
    ("Toyota", "Camry"),
    ("Ford", "F-150"),
    ("Honda", "Accord"),
    ("Chevrolet", "Silverado"),
    ("Subaru", "Outback"),
    ("Nissan", "Altima"),
    ("Jeep", "Grand Cherokee"),
    ("Hyundai", "Elantra"),
]
WIDE = {"width": 1920, "height": 1080}


def _busy_board(advisor, technician, statuses) -> None:
    count = 0
    for number, how_many in BUSY_STATUSES.items():
        for _ in range(how_many):
            make, model = MAKES[count % len(MAKES)]
            _repair_order(
                advisor,
                statuses,
                technician if count % 3 else None,
                number=number,
                make=make,
                model=model,
                year=2012 + count % 12,
                customer__text_consent=bool(count % 2),
            )
            count += 1
    for index in range(10):
        make, model = MAKES[index % len(MAKES)]
        services.workorder_create(by=advisor, vehicle=VehicleFactory(make=make, model=model))
    now = timezone.now()
    for index in range(6):
        services.appointment_create(
            by=advisor,
            starts_at=now + timedelta(minutes=20 * (index + 1)),
            vehicle=VehicleFactory(make=MAKES[index][0], model=MAKES[index][1]),
            concern="Oil change and tire rotation",
        )


def _overflow(page) -> int:
    """How far the page scrolls sideways (0: it fits the screen)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _group_columns(page) -> int:
    """How many status groups sit side by side in the repair orders' first row."""
    tops = page.evaluate(
        "[...document.querySelectorAll('.board__group')]"
        ".map(group => Math.round(group.getBoundingClientRect().top))"
    )
    return tops.count(tops[0]) if tops else 0


def test_a_busy_board_uses_the_width_of_a_wide_screen_and_fits_a_tablet_and_a_phone(
    page, live_server, log_in, advisor, technician, shoot
):
    _shop()
    statuses = statuses_ensure()
    _busy_board(advisor, technician, statuses)
    page.set_viewport_size(WIDE)
    log_in("advisor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today's vehicles")
    expect(page.locator("#col-repair-orders .board__count")).to_have_text("40")
    expect(page.locator("#col-estimates .board__count")).to_have_text("10")
    expect(page.locator("#col-appointments .board__count")).to_have_text("6")
    # (width, the fewest status groups side by side)
    for size, columns in ((WIDE, 4), (DESKTOP, 2), (TABLET, 2), (PHONE, 1)):
        page.set_viewport_size(size)
        name = size["width"]
        shoot(f"board-busy-{name}")
        assert _overflow(page) <= 0, f"the board scrolls sideways at {name} px"
        assert _group_columns(page) >= columns, f"status groups side by side at {name} px"
        if size is WIDE:
            board = page.locator("#board-columns").bounding_box()
            assert board["width"] >= name - 40, board  # no empty margins on a wide screen
        if size is TABLET:
            # The repair orders come first, not below every appointment and estimate.
            repair_orders = page.locator("#col-repair-orders").bounding_box()
            appointments = page.locator("#col-appointments").bounding_box()
            assert repair_orders["y"] < appointments["y"], (repair_orders, appointments)
            assert repair_orders["y"] < 400, repair_orders
        if size is PHONE:
            assert _group_columns(page) == 1
            card = page.locator(".board__group .vcard").first.bounding_box()
            assert card["width"] >= 300, card  # the cards take the phone's width
