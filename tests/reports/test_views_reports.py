"""The report pages: access, figures on the page, bookmarkable filters, CSV and PDF, bad input."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from customers.models import CustomerSource

# Every page here shows or maps the source categories, which a flushed database lacks.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("source_categories")]

NOVEMBER = {"period": "month", "date": "2026-11-15"}
REPORTS = ["reports:source", "reports:vehicle_analysis", "reports:dashboard"]


@pytest.mark.parametrize("name", REPORTS)
def test_it_refuses_an_advisor(client, advisor, name):
    client.force_login(advisor)
    response = client.get(reverse(name), NOVEMBER)
    assert response.status_code == 403


@pytest.mark.parametrize("name", REPORTS)
def test_it_opens_each_report_with_its_chart_in_fixed_queries(
    client, shop, name, django_assert_max_num_queries
):
    client.force_login(shop.owner)
    # Session, user, levels, shop, a few aggregates, and on PostgreSQL the savepoint and
    # SET LOCAL that turn JIT off: the same however many invoices there are.
    with django_assert_max_num_queries(14):
        response = client.get(reverse(name), NOVEMBER)
    assert response.status_code == 200
    text = response.content.decode()
    assert "November 2026" in text
    assert "<svg" in text
    assert "Export CSV" in text


def test_it_shows_the_source_report_figures(client, shop):
    client.force_login(shop.owner)
    text = client.get(reverse("reports:source"), NOVEMBER).content.decode()
    assert "$639.95" in text  # Google's revenue
    assert "$1,479.95" in text  # all categories
    assert "$188.00" in text  # cost per new customer, overall
    assert "1.57×" in text


def test_it_shows_the_vehicle_analysis_by_year_from_the_url(client, shop):
    client.force_login(shop.owner)
    response = client.get(reverse("reports:vehicle_analysis"), {**NOVEMBER, "by_year": "on"})
    text = response.content.decode()
    assert "$391.49" in text  # the 2018 vehicles of 30,000 – 59,999
    assert "$1,516.24" in text


def test_it_shows_the_dashboard_figures(client, shop):
    client.force_login(shop.owner)
    text = client.get(reverse("reports:dashboard"), NOVEMBER).content.decode()
    assert "$211.42" in text
    assert "55.7%" in text
    assert "Tina One" in text


def test_it_exports_the_source_report_as_csv(client, shop):
    client.force_login(shop.owner)
    response = client.get(reverse("reports:source"), {**NOVEMBER, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "customer-source_2026-11-01_2026-11-30.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Category", "Source", "New customers"]
    google = next(row for row in rows if row[1] == "Google")
    assert google == ["Internet", "Google", "1", "1", "3", "639.95", "600.00", "600.00", "1.07"]
    assert rows[-1] == [
        "All categories",
        "All",
        "5",
        "1",
        "7",
        "1479.95",
        "940.00",
        "188.00",
        "1.57",
    ]


def test_it_exports_the_vehicle_analysis_and_dashboard_as_csv(client, shop):
    client.force_login(shop.owner)
    response = client.get(reverse("reports:vehicle_analysis"), {**NOVEMBER, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[-1] == [
        "All mileages", "6", "7", "1516.24", "216.61", "100.0", "1479.95", "656.09", "823.86",
        "55.7",
    ]  # fmt: skip
    response = client.get(reverse("reports:dashboard"), {**NOVEMBER, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == [
        "Period", "Period", "7", "1479.95", "211.42", "44.1", "60.6", "55.7", "10.00", "1040.00",
    ]  # fmt: skip


@pytest.mark.parametrize("name", REPORTS)
def test_it_exports_each_report_as_pdf(client, shop, name):
    client.force_login(shop.owner)
    response = client.get(reverse(name), {**NOVEMBER, "export": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "custom", "start": "2026-11-30", "end": "2026-11-01"}, "comes before"),
        ({"period": "custom", "start": "2026-11-01"}, "needs a first and a last day"),
        ({"period": "month", "date": "not-a-date"}, "Enter a valid date"),
        ({"period": "fortnight"}, "Select a valid choice"),
        ({**NOVEMBER, "export": "xls"}, "Export as csv or pdf"),
    ],
)
def test_it_explains_bad_filters(client, owner, params, message):
    client.force_login(owner)
    response = client.get(reverse("reports:source"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_defaults_to_this_month(client, owner):
    client.force_login(owner)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert response.context["report"].period.kind == "month"


def test_the_csv_export_writes_a_formula_looking_name_as_text(client, shop):
    CustomerSource.objects.filter(name="Google").update(name="=1+2")
    client.force_login(shop.owner)
    response = client.get(reverse("reports:source"), {**NOVEMBER, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    source = next(row for row in rows if row[1].endswith("=1+2"))
    # The name is text; the money beside it stays a number.
    assert source[1:6] == ["'=1+2", "1", "1", "3", "639.95"]
