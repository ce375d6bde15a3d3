"""The price-file pages: upload, columns, dry run, apply; security and bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parts.models import Part, PriceFileRun
from tests.parts.factories import VendorFactory

pytestmark = pytest.mark.django_db
# The vendor's price-file page: session (and the upload's message kept in it), user, vendor,
# its files with who uploaded them.
PAGE_QUERIES = 7

FILE = "Item #;Description;Net\r\nWG-ZD1210;Plaquettes céramique;28.50\r\nAC-1;Démarreur;-4\r\n"


def _post_file(client, vendor, data: bytes, name="prices.csv"):
    return client.post(
        reverse("parts:price_file_upload", args=[vendor.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "encoding": ""},
    )


def test_upload_check_and_apply_through_the_pages(
    client, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    vendor = VendorFactory(name="Pièces Québec")
    assert client.get(reverse("parts:price_file_upload", args=[vendor.pk])).status_code == 200
    response = _post_file(client, vendor, FILE.encode("cp1252"))
    run = PriceFileRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "parts:price_file", args=[run.pk]
    )
    page = client.get(response.url)
    assert "Windows-1252, semicolons" in page.content.decode()
    columns = {"vendor_number": "Item #", "description": "Description", "cost": "Net"}
    response = client.post(reverse("parts:price_file_check", args=[run.pk]), columns)
    assert response.status_code == 302
    page = client.get(reverse("parts:price_file", args=[run.pk])).content.decode()
    assert "1</strong> good, <strong>1</strong> bad" in page
    assert "negative cost (-4)" in page
    # Bad rows and no choice to skip them: refused, nothing written.
    response = client.post(reverse("parts:price_file_apply", args=[run.pk]))
    assert response.status_code == 400
    assert "found 1 bad row" in response.content.decode()
    assert not Part.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("parts:price_file_apply", args=[run.pk]), {"skip_bad_rows": "on"}
        )
    assert response.status_code == 302
    page = client.get(reverse("parts:price_file", args=[run.pk])).content.decode()
    assert "1 part created, 0 updated, 0 unchanged, 1 bad row skipped" in page
    assert Part.objects.get().description == "Plaquettes céramique"
    progress = client.get(
        reverse("parts:price_file_progress", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"


def test_bad_input_is_shown_and_nothing_changes(client, owner):
    client.force_login(owner)
    vendor = VendorFactory()
    response = _post_file(client, vendor, b"", name="empty.csv")
    assert response.status_code == 400
    assert not PriceFileRun.objects.exists()
    _post_file(client, vendor, b"Item #,Description,Net\nA-1,Thing,1\n")
    run = PriceFileRun.objects.get()
    response = client.post(
        reverse("parts:price_file_check", args=[run.pk]),
        {"vendor_number": "Item #", "description": "Description", "cost": ""},
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = client.post(
        reverse("parts:price_file_check", args=[run.pk]),
        {"vendor_number": "Item #", "description": "Item #", "cost": "Net"},
    )
    assert response.status_code == 400 and "one column, one field" in response.content.decode()
    run.refresh_from_db()
    assert run.state == "uploaded"


def test_price_files_need_edit_parts(client, employee_at):
    vendor = VendorFactory()
    client.force_login(employee_at(4))  # may view parts, not edit them
    assert client.get(reverse("parts:price_file_upload", args=[vendor.pk])).status_code == 403
    response = _post_file(client, vendor, b"Item #,Description,Net\nA-1,Thing,1\n")
    assert response.status_code == 403
    assert not PriceFileRun.objects.exists()


def test_the_vendors_price_files_page_lists_earlier_files_in_fixed_queries(
    client, owner, django_assert_max_num_queries
):
    client.force_login(owner)
    vendor = VendorFactory()
    url = reverse("parts:price_file_upload", args=[vendor.pk])
    _post_file(client, vendor, b"Item #,Description,Net\nA-1,Thing,1\n")
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200
    for i in range(6):
        _post_file(client, vendor, f"Item #,Description,Net\nA-{i},Thing,1\n".encode())
    with django_assert_max_num_queries(PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert page.count("prices") >= 7
