"""The owner maps the customer sources from the mapping warning, then opens the Customer
Source report and sees its chart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reports.models import SourceMapping
from reports.services import source_categories_ensure
from shop.models import ShopProfile
from tests.reports.factories import november_shop
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_maps_sources_from_the_warning_and_reads_the_report(
    page, live_server, log_in, owner, advisor, shoot
):
    source_categories_ensure()  # a transactional test starts from an emptied database
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "tax_rate": Decimal("8.250")}
    )
    november_shop(statuses=statuses_ensure(), sam=advisor, owner=owner)
    SourceMapping.objects.all().delete()  # nothing mapped yet
    log_in("owner")

    warning = page.get_by_role("alert").filter(has_text="Customer sources are not mapped")
    expect(warning).to_be_visible()
    shoot("reports-01-warning")
    warning.get_by_role("link", name="Map customer sources").click()

    expect(page.get_by_role("heading", name="Customer Source Mapping")).to_be_visible()
    page.get_by_label("Google", exact=True).select_option(label="Internet")
    page.get_by_label("Yelp", exact=True).select_option(label="Internet")
    page.get_by_label("Referral", exact=True).select_option(label="Referral")
    page.get_by_role("button", name="Save mapping").click()
    expect(page.get_by_text("Mapping saved: 3 mapped")).to_be_visible()
    page.get_by_role("button", name="Customer Source Mapping Done").click()
    expect(page.get_by_text("2 unmapped sources went to Other New Customers")).to_be_visible()
    expect(page.get_by_label("Radio", exact=True)).to_have_value(
        str(SourceMapping.objects.get(source__name="Radio").category_id)
    )
    shoot("reports-02-mapping")

    page.goto(live_server.url)
    expect(page.get_by_text("Customer sources are not mapped")).to_have_count(0)
    page.goto(f"{live_server.url}/reports/source/")
    page.get_by_label("Period").select_option("month")
    page.get_by_label("Date").fill("2026-11-15")
    page.get_by_role("button", name="Show").click()

    chart = page.get_by_role("img", name="New customers by category")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", "New customers by category: " + "; ".join(
        [
            "Internet: 2", "Referral: 1", "Drive-by: 0", "Signage: 0", "Mailers: 0",
            "Fleet: 0", "Other New Customers: 1", "Source unknown: 1",
        ]
    ))  # fmt: skip
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name="Google")).to_contain_text("$639.95")
    shoot("reports-03-source-report")

    # The other reports of the same month, bookmarkable by their URL.
    page.goto(f"{live_server.url}/reports/dashboard/?period=month&date=2026-11-15")
    expect(page.locator(".kpi").filter(has_text="Average repair order")).to_contain_text("$211.42")
    expect(page.get_by_role("img", name="Car count by day")).to_be_visible()
    shoot("reports-04-dashboard")
    page.goto(f"{live_server.url}/reports/vehicles/?period=month&date=2026-11-15&by_year=on")
    expect(page.get_by_role("row", name="2018 1 2")).to_contain_text("$391.49")
    shoot("reports-05-vehicle-analysis")
