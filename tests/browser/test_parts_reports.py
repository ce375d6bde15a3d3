"""In a browser: the owner opens the parts reports from the menu (inventory valuation, low
stock and reorder, dead stock, parts sales and margin), filters them, downloads their CSV,
and exports the catalog from the parts list; the pages read at phone, tablet and desktop
widths."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from parts import services
from parts.models import StockMovement
from shop.models import ShopProfile
from tests.browser.conftest import DESKTOP, PHONE, TABLET
from tests.parts.factories import PartFactory, standard_matrix
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _catalog(owner) -> None:
    ShopProfile.objects.update_or_create(pk=1, defaults={"name": "Main Street Auto"})
    statuses_ensure()
    standard_matrix()
    pads = PartFactory(number="BP-D1210", cost=Decimal("28.00"), bin_location="B1-01")
    services.stock_receive(by=owner, part=pads, quantity="1", unit_cost="28")
    oil = PartFactory(number="OF-2215", description="Oil filter", category="Maintenance",
                      cost=Decimal("4.00"), bin_location="M1-01")  # fmt: skip
    services.stock_receive(by=owner, part=oil, quantity="12", unit_cost="4")
    rotor = PartFactory(number="RT-5521", description="Brake rotor, rear", cost=Decimal("31"))
    services.stock_receive(by=owner, part=rotor, quantity="2", unit_cost="31")
    StockMovement.objects.create(
        part=rotor, kind="sold", quantity=Decimal("-1"), unit_cost=Decimal("31"),
        at=timezone.now() - timedelta(days=500),
    )  # fmt: skip


def test_the_owner_reads_the_parts_reports_and_exports_the_catalog(
    page, live_server, log_in, owner, shoot
):
    _catalog(owner)
    page.set_viewport_size(DESKTOP)
    log_in("owner")
    page.goto(live_server.url + reverse("shop:menu"))
    page.get_by_role("link", name="Inventory valuation").click()
    expect(page.get_by_role("heading", name="Inventory valuation")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name="Brakes")).to_contain_text("$59.00")  # 28 + 31
    expect(table.get_by_role("row", name="Maintenance")).to_contain_text("$48.00")
    expect(table.get_by_role("row", name="All categories")).to_contain_text("$107.00")
    shoot("parts-reports-01-valuation-desktop")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.startswith("inventory-valuation_")

    page.goto(live_server.url + reverse("shop:menu"))
    page.get_by_role("link", name="Low stock and reorder").click()
    expect(page.get_by_role("heading", name="Low stock and reorder")).to_be_visible()
    expect(page.get_by_role("row", name="BP-D1210")).to_contain_text("$112.00")  # 4 × 28
    expect(page.get_by_role("row", name="RT-5521")).to_be_visible()
    page.get_by_label("Category").select_option("Maintenance")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No stocked part is below its reorder point.")).to_be_visible()
    page.get_by_label("Category").select_option("Brakes")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("row", name="BP-D1210")).to_be_visible()
    shoot("parts-reports-02-low-stock-desktop")

    page.goto(live_server.url + reverse("shop:menu"))
    page.get_by_role("link", name="Dead stock").click()
    expect(page.get_by_role("row", name="RT-5521")).to_contain_text("$31.00")
    page.get_by_label("No sale in (months)").fill("24")
    page.get_by_role("button", name="Show").click()
    # Sold 500 days ago: within 24 months; the pads and the oil filter never sold.
    expect(page.get_by_role("row", name="RT-5521")).to_have_count(0)
    expect(page.get_by_role("row", name="OF-2215")).to_contain_text("Never")
    page.set_viewport_size(PHONE)
    shoot("parts-reports-03-dead-stock-phone")

    page.set_viewport_size(TABLET)
    page.goto(live_server.url + reverse("shop:menu"))
    page.get_by_role("link", name="Parts sales and margin").click()
    expect(page.get_by_role("heading", name="By category")).to_be_visible()
    expect(page.get_by_text("No catalog part was sold in this period.").first).to_be_visible()
    shoot("parts-reports-04-sales-tablet")

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("shop:menu"))
    page.get_by_role("link", name="Parts list").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export catalog (CSV)").click()
    path = download.value.path()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Part #,Description") and len(lines) == 4
    assert download.value.suggested_filename.startswith("parts-catalog_")
