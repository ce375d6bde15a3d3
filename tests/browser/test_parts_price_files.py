"""In a browser: the owner uploads a vendor's price file (Windows-1252, accents, bad rows),
checks its columns, reads the dry run's bad rows, is refused the import until choosing to
skip them, imports the rest with the progress bar, and finds the new part in the parts list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from parts.models import Part, PriceFileMapping
from tests.browser.conftest import DESKTOP, PHONE
from tests.parts.factories import VendorFactory, standard_matrix

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRICE_FILE = (
    "Item #;Description;Net;List;Core;Mfr\r\n"
    "WG-ZD1210;Plaquettes de frein céramique;28.50;61.99;;Wagner\r\n"
    "AC-41993;Démarreur reconditionné;-4.00;189.00;45.00;ACDelco\r\n"
    ";Filtre à air;9.25;19.99;;Fram\r\n"
    "BO-0242;Bougie d'allumage iridium;7.80;14.50;;Bosch\r\n"
).encode("cp1252")


def test_the_owner_imports_a_vendor_price_file(page, live_server, log_in, owner, shoot, tmp_path):
    standard_matrix()
    vendor = VendorFactory(name="Pièces Québec")
    path = tmp_path / "pieces-quebec.csv"
    path.write_bytes(PRICE_FILE)

    page.set_viewport_size(DESKTOP)
    log_in("owner")
    page.goto(f"{live_server.url}/parts/vendors/")
    page.get_by_role("link", name="Price file").click()
    expect(page.get_by_role("heading", name="Pièces Québec: price file")).to_be_visible()
    page.get_by_label("Price file (CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("Windows-1252, semicolons")).to_be_visible()
    # The columns are guessed from the headers; the vendor's "Net" is its cost to us.
    expect(page.get_by_label("Vendor's part #")).to_have_value("Item #")
    expect(page.get_by_label("Description")).to_have_value("Description")
    page.get_by_label("Cost").select_option("Net")
    page.get_by_label("List price").select_option("List")
    page.get_by_label("Core charge").select_option("Core")
    page.get_by_label("Brand").select_option("Mfr")
    shoot("price-file-columns")
    page.get_by_role("button", name="Run the dry run").click()

    expect(page.get_by_test_id("dry-run-summary")).to_contain_text("2 good, 2 bad")
    problems = page.get_by_test_id("price-file-problems")
    expect(problems).to_contain_text("negative cost (-4.00)")
    expect(problems).to_contain_text("missing part number")
    shoot("price-file-dry-run")
    page.set_viewport_size(PHONE)
    shoot("price-file-dry-run-phone")
    page.set_viewport_size(DESKTOP)

    # Without choosing to skip the bad rows, nothing is imported.
    page.get_by_role("button", name="Import the price file").click()
    expect(page.get_by_role("alert")).to_contain_text("found 2 bad rows")
    assert not Part.objects.exists()

    page.get_by_label("Skip the 2 bad rows and import the 2 good ones").check()
    page.get_by_role("button", name="Import the price file").click()
    expect(page.get_by_test_id("price-file-state")).to_have_text("Imported")
    expect(page.get_by_test_id("price-file-counts")).to_contain_text(
        "2 parts created, 0 updated, 0 unchanged, 2 bad rows skipped"
    )
    expect(page.get_by_label("Progress")).to_have_attribute("value", "100")
    shoot("price-file-imported")
    assert PriceFileMapping.objects.get(vendor=vendor).columns["cost"] == "Net"

    page.goto(f"{live_server.url}/parts/?q=plaquettes")
    expect(page.get_by_text("Plaquettes de frein céramique")).to_be_visible()
    shoot("price-file-part-in-the-list")
