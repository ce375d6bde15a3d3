"""The owner moves in from the old system: uploads the sample export, maps the two columns
the suggestion missed, reads the dry run, resolves a duplicate, applies with the progress
bar, finds an imported customer at the counter by a seven-digit phone, sees the history on
the vehicle, and undoes the import."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from customers.models import Customer
from imports.models import ExternalId, ImportRun
from imports.sample import SAMPLE_FLAWS, sample_write
from imports.services import apply as apply_service
from imports.services import writer
from shop.models import ShopProfile
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TABLET,
    fits_the_screen,
    value_apart_from_label,
    within_viewport_width,
)
from tests.imports.helpers import shop_twin_of
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def background_imports(monkeypatch):
    """The apply job runs in a background thread in small batches, as a worker would: the
    page has to poll to see it through."""
    monkeypatch.setattr(writer, "BATCH", 40)
    threads: list[threading.Thread] = []

    def run(run_id: int) -> None:
        try:
            apply_service.import_apply_run(run_id)
        finally:
            connection.close()

    def dispatch(run_id: int) -> None:
        thread = threading.Thread(target=run, args=(run_id,))
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(apply_service, "_dispatch", dispatch)
    yield
    for thread in threads:
        thread.join(timeout=120)


def test_the_owner_imports_the_old_systems_history_and_undoes_it(
    page, live_server, log_in, owner, shoot, background_imports, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "default_area_code": "217"}
    )
    paths = sample_write(tmp_path / "export", customers=80, vehicles=100, invoices=400, seed=11)
    twin = shop_twin_of(paths, "C1005")
    log_in("owner")

    page.goto(f"{live_server.url}/imports/")
    page.get_by_role("link", name="New import").click()
    page.get_by_label("What these files are").fill("StockTrac export")
    for label, kind in [
        ("Customers", "customers"), ("Vehicles", "vehicles"), ("Invoice headers", "invoices"),
        ("Invoice lines", "invoice_lines"), ("A/R open items", "ar_items"), ("Parts", "parts"),
    ]:  # fmt: skip
        page.get_by_label(f"{label} (CSV or XLSX)").set_input_files(str(paths[kind]))
    shoot("imports-upload")
    page.get_by_role("button", name="Upload and map the columns").click()

    # The columns, each with a value from the file and the suggested field.
    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    expect(page.get_by_text("Windows-1252").first).to_be_visible()
    memo = page.get_by_label("Memo goes into")
    expect(memo).to_have_value("")
    memo.select_option(label="Notes")
    page.get_by_label("Paint goes into").select_option(label="Color")
    page.get_by_label("Save this mapping as").fill("StockTrac export")
    shoot("imports-columns")
    page.set_viewport_size(PHONE)
    # Each column of the file is a small card: a long example and the select stay in it.
    assert fits_the_screen(page)
    for column in page.locator(".import-columns tbody tr").all()[:12]:
        assert within_viewport_width(column.locator(".import-sample"))
        assert within_viewport_width(column.locator("select"))
    shoot("imports-columns-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Run the dry run").click()

    # The dry run: counts, bad rows with line and why, duplicates, totals by year.
    expect(page.get_by_role("heading", name="Dry run: what the import would do")).to_be_visible()
    expect(page.get_by_test_id("customers-create")).to_have_text(re.compile(r"\d+"))
    expect(page.get_by_role("cell").filter(has_text="“13/45/2019” is not a date")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("orphan vehicle"))).to_be_visible()
    expect(page.get_by_role("heading", name="Invoice history by year")).to_be_visible()
    shoot("imports-dry-run")
    page.set_viewport_size(TABLET)
    shoot("imports-dry-run-tablet")
    page.set_viewport_size(PHONE)
    # The counts' Merged and Skipped and the problems' Why are on the screen.
    assert fits_the_screen(page)
    customers = page.locator(".import-counts tr[data-kind='customers']")
    for label in ("Merged", "Skipped"):
        assert within_viewport_width(customers.locator(f"td[data-label='{label}']"))
    why = page.locator(".import-problems td[data-label='Why']").first
    assert within_viewport_width(why) and value_apart_from_label(why)
    shoot("imports-dry-run-phone")
    page.set_viewport_size(DESKTOP)

    # The customer already in the shop: merge the incoming row into them.
    merge = page.get_by_label(re.compile(f"Merge into {twin.display_name} #{twin.pk}"))
    merge.check()
    page.get_by_label(re.compile("Skip the .* rows? with errors")).check()
    page.get_by_role("button", name="Save these choices").click()
    expect(page.get_by_text("Your choices are saved")).to_be_visible()
    expect(page.get_by_label(re.compile(f"Merge into {twin.display_name}"))).to_be_checked()

    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_label("Progress")).to_be_visible()
    shoot("imports-applying")
    expect(page.get_by_role("heading", name="What the import wrote")).to_be_visible(timeout=120_000)
    shoot("imports-done")
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    shoot("imports-done-phone")
    page.set_viewport_size(DESKTOP)
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.DONE
    merged = ExternalId.objects.get(kind="customer", external_id="C1005")
    assert merged.object_id == twin.pk and merged.merged
    assert Customer.objects.exclude(notes="").exists()

    # At the counter, the old system's seven digits find the customer.
    customer = Customer.objects.get(
        pk=ExternalId.objects.get(
            kind="customer", external_id=SAMPLE_FLAWS.seven_digit_customer
        ).object_id
    )
    seven = customer.phones.get(kind="cell").number
    assert len(re.sub(r"\D", "", seven)) == 7
    page.goto(f"{live_server.url}/customers/counter/")
    page.get_by_label("Phone number").fill(seven)
    page.get_by_role("button", name="Find customer").click()
    page.get_by_role("link", name=customer.display_name).click()
    expect(page.get_by_role("heading", name=customer.display_name)).to_be_visible()
    shoot("imports-customer")

    # The vehicle's history holds the old invoices.
    vehicle = customer.vehicles.filter(work_orders__isnull=False).first()
    order = vehicle.work_orders.order_by("-closed_at").first()
    page.goto(f"{live_server.url}/customers/vehicles/{vehicle.pk}/edit/")
    expect(page.get_by_role("link", name=re.compile(f"Invoice #{order.pk}"))).to_be_visible()
    shoot("imports-vehicle-history")

    # Undo: everything the import wrote is gone; the shop's own customer stays.
    page.goto(f"{live_server.url}/imports/{run.pk}/")
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_text("is undone")).to_be_visible()
    shoot("imports-undone")
    assert list(Customer.objects.values_list("pk", flat=True)) == [twin.pk]
