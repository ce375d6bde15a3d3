"""In a browser (issue #19's test): the advisor types part of a number in the editor,
picks the part, its price comes from the pricing matrix and its core charge follows;
billing out takes it off the shelf; the part falls below its reorder point, appears in the
reorder suggestions, goes on a purchase order that is e-mailed to the vendor (its PDF
attached through the outbox) and is received, in part and then beyond the order only when
confirmed. Then a physical count refuses a part that is not on its sheet."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from outbox.models import OutboundMessage
from parts import services
from parts.models import PurchaseOrder
from parts.services.stock import on_hand
from tests.browser.conftest import DESKTOP, PHONE, TABLET
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory, shop_with_matrix
from tests.workorders.factories import VehicleFactory
from workorders import services as workorder_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_part_sold_below_its_reorder_point_is_ordered_sent_and_received(
    page, live_server, log_in, advisor, owner, shoot
):
    shop_with_matrix()
    battery = PartFactory(
        number="BAT-H6",
        description="Battery, group H6, 760 CCA",
        category="Electrical",
        brand="Interstate",
        cost=Decimal("118.00"),
        core_charge=Decimal("18.00"),
        bin_location="B1",
        reorder_point=Decimal("3"),
        reorder_quantity=Decimal("2"),
    )
    vendor = VendorFactory(
        name="Interstate Batteries", email="orders@interstate.example", contact_name="Dana"
    )
    VendorPartFactory(vendor=vendor, part=battery, vendor_number="IB-H6-760", cost=Decimal("112"))
    services.stock_receive(by=owner, part=battery, quantity="3", unit_cost="118.00")
    vehicle = VehicleFactory(customer__first_name="Maria", customer__last_name="Gonzalez")
    estimate = workorder_services.workorder_create(by=advisor, vehicle=vehicle)
    workorder_services.job_add(
        by=advisor, work_order=estimate, version=None, title="Battery", category="Electrical"
    )

    # The editor: part of the number, the part picked, priced by the matrix, core follows.
    page.set_viewport_size(DESKTOP)
    log_in("advisor")
    page.goto(f"{live_server.url}/workorders/{estimate.pk}/")
    job = page.locator("section.job").first
    number = job.get_by_role("combobox", name="Part #")
    number.press_sequentially("bat-h", delay=30)
    options = job.get_by_role("listbox", name="Parts list")
    first = options.get_by_role("option").first
    expect(first).to_contain_text("BAT-H6")
    expect(first).to_contain_text("On hand 3 · Bin B1")
    first.click()
    expect(job.get_by_label("Price / rate")).to_have_value("196.67")  # 118 at 40% margin
    expect(job.get_by_text(re.compile("core charge of \\$18.00 is added"))).to_be_visible()
    job.get_by_role("button", name="Add line").click()
    expect(
        job.get_by_role("cell", name="Core charge: Battery, group H6, 760 CCA", exact=True)
    ).to_be_visible()

    # Bill-out takes it off the shelf: 2 left, below the reorder point of 3.
    page.get_by_role("combobox", name="Status", exact=True).select_option(label="7 In Progress")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Repair order #\d+"))
    page.get_by_role("combobox", name="Status", exact=True).select_option(label="17 Billed Out")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("Closed and locked")).to_be_visible()
    assert on_hand(battery) == 2

    # The reorder suggestions: 1 to reach the point, at least the reorder quantity (2).
    page.goto(f"{live_server.url}/parts/orders/")
    page.get_by_role("link", name="New from reorder suggestions").click()
    expect(page.get_by_role("heading", name="Interstate Batteries")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("BAT-H6"))
    expect(row.get_by_label("Quantity of BAT-H6")).to_have_value("2")
    expect(row.get_by_label("Order BAT-H6")).to_be_checked()
    shoot("parts-po-suggestions-desktop")
    row.get_by_label("Quantity of BAT-H6").fill("3")
    page.get_by_role("button", name="Make draft purchase orders").click()

    # The draft: e-mailed to the vendor.
    expect(page.get_by_test_id("po-status")).to_have_text("Draft")
    expect(page.get_by_test_id("po-line-BAT-H6")).to_contain_text("IB-H6-760")
    expect(page.get_by_test_id("po-total")).to_have_text("$336.00")  # 3 × 112
    page.get_by_role("button", name="E-mail to Interstate Batteries").click()
    expect(
        page.get_by_text(re.compile("was e-mailed to orders@interstate.example"))
    ).to_be_visible()
    expect(page.get_by_test_id("po-status")).to_have_text("Sent")
    order = PurchaseOrder.objects.get()
    message = OutboundMessage.objects.get()
    assert (message.to, message.cause_id) == ("orders@interstate.example", order.pk)
    [email] = mail.outbox
    assert email.attachments[0][0] == f"purchase-order-{order.pk}.pdf"
    page.set_viewport_size(TABLET)
    shoot("parts-po-sent-tablet")

    # The parts list says 3 on order.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/parts/?q=bat-h6")
    part_row = page.get_by_role("row", name=re.compile("BAT-H6"))
    expect(part_row.get_by_role("cell").nth(4)).to_have_text("2 low")  # on hand
    expect(part_row.locator('td[data-label="On order"]')).to_have_text("3")

    # Received: 2 now (partly received), then 2 more — one beyond the order — confirmed.
    page.goto(f"{live_server.url}/parts/orders/{order.pk}/")
    page.get_by_label("Received now of BAT-H6").fill("2")
    page.get_by_role("button", name="Receive", exact=True).click()
    expect(page.get_by_test_id("po-status")).to_have_text("Partly received")
    page.get_by_label("Received now of BAT-H6").fill("2")
    page.get_by_role("button", name="Receive", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "More than was ordered: BAT-H6 (1 more than ordered)"
    )
    expect(page.get_by_test_id("po-status")).to_have_text("Partly received")
    shoot("parts-po-over-receipt-refused-desktop")
    page.get_by_label("Receive more than ordered").check()
    page.get_by_role("button", name="Receive", exact=True).click()
    expect(page.get_by_test_id("po-status")).to_have_text("Received")
    expect(page.get_by_test_id("po-line-BAT-H6")).to_contain_text("over")
    assert on_hand(battery) == 6
    battery.refresh_from_db()
    # (2 × 118 + 4 × 112) / 6
    assert battery.average_cost == Decimal("114.00")
    page.set_viewport_size(PHONE)
    shoot("parts-po-received-phone")

    # The part's page shows the receipts.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/parts/{battery.pk}/")
    expect(page.get_by_test_id("on-hand")).to_have_text("6")
    expect(
        page.get_by_role("row", name=re.compile(f"PO #{order.pk} from Interstate"))
    ).to_have_count(2)


def test_a_count_sheet_is_printed_counted_and_refuses_a_part_not_on_it(
    page, live_server, log_in, advisor, owner, shoot
):
    shop_with_matrix()
    pads = PartFactory(number="BP-D1210", bin_location="A1")
    shoes = PartFactory(number="BS-770", description="Brake shoes, rear", bin_location="A2")
    PartFactory(number="OF-2215", description="Oil filter", bin_location="C4")
    services.stock_receive(by=owner, part=pads, quantity="4", unit_cost="28")
    services.stock_receive(by=owner, part=shoes, quantity="2", unit_cost="30")
    page.set_viewport_size(DESKTOP)
    log_in("advisor")
    page.goto(f"{live_server.url}/parts/counts/")
    page.get_by_label("Bin or category").fill("A")
    page.get_by_role("button", name="Make the sheet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bin A")
    with page.expect_download() as download:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = ''; "
            "document.body.appendChild(a); a.click(); }",
            page.get_by_role("link", name="Print (PDF)").get_attribute("href"),
        )
    assert download.value.suggested_filename.startswith("count-sheet-")
    page.get_by_label("Counted of BP-D1210").fill("3")
    page.get_by_label("Counted of BS-770").fill("2")
    page.get_by_label("Another part # found here").fill("OF-2215")
    page.get_by_label("Its count").fill("5")
    page.get_by_role("button", name="Post the counts").click()
    expect(page.get_by_role("alert")).to_contain_text("OF-2215 is not on this sheet")
    expect(page.get_by_label("Counted of BP-D1210")).to_have_value("3")
    shoot("parts-count-refused-desktop")
    assert on_hand(pads) == 4
    page.get_by_label("Another part # found here").fill("")
    page.get_by_label("Its count").fill("")
    page.get_by_role("button", name="Post the counts").click()
    expect(page.get_by_text("2 counted, 1 difference recorded")).to_be_visible()
    assert on_hand(pads) == 3 and on_hand(shoes) == 2
    page.set_viewport_size(PHONE)
    shoot("parts-count-posted-phone")
