from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from followups import selectors
from followups.criteria import criteria_clean, months_before
from tests.followups.factories import VehicleFactory, invoice, with_cell, with_email

pytestmark = pytest.mark.django_db


def ids(queryset):
    return sorted(queryset.values_list("id", flat=True))


@pytest.fixture
def today():
    return timezone.localdate()


def test_it_finds_last_visits_12_to_24_months_ago_without_an_oil_change_since(today):
    lapsed = VehicleFactory()
    invoice(lapsed, months_before(today, 18), categories=("Brakes",))
    oil_then = VehicleFactory()
    invoice(oil_then, months_before(today, 15), categories=("Maintenance",))
    came_back = VehicleFactory()
    invoice(came_back, months_before(today, 18), categories=("Brakes",))
    invoice(came_back, months_before(today, 2), categories=("Tires",))
    too_old = VehicleFactory()
    invoice(too_old, months_before(today, 30), categories=("Brakes",))
    criteria = criteria_clean(
        {
            "last_visit_months_min": 12,
            "last_visit_months_max": 24,
            "service_category": "Maintenance",
            "service_done": "not_done",
            "service_months": 24,
        }
    )
    assert ids(selectors.customer_search(criteria)) == [lapsed.customer_id]


def test_it_filters_on_vehicle_place_contact_and_totals(today):
    civic = VehicleFactory(make="Honda", year=2015, odometer=90000)
    with_email(civic.customer)
    with_cell(civic.customer)
    invoice(civic, today - timedelta(days=10), total="400.00")
    ford = VehicleFactory(make="Ford", year=2020, odometer=20000)
    ford.customer.city = "Shelbyville"
    ford.customer.save()
    invoice(ford, today - timedelta(days=10), total="50.00")
    search = selectors.customer_search
    assert ids(search({"make": "honda"})) == [civic.customer_id]
    assert ids(search({"year_min": 2018})) == [ford.customer_id]
    assert ids(search({"mileage_max": 50000})) == [ford.customer_id]
    assert ids(search({"city": "shelbyville"})) == [ford.customer_id]
    assert ids(search({"has_email": True, "has_cell": True})) == [civic.customer_id]
    assert ids(search({"email_consent": "yes"})) == [civic.customer_id]
    assert ids(search({"total_min": "100"})) == [civic.customer_id]


def test_it_collects_per_invoice_with_the_invoice_fields(today):
    vehicle = VehicleFactory()
    first = invoice(vehicle, today - timedelta(days=40), total="80.00")
    second = invoice(vehicle, today - timedelta(days=5), total="250.00", categories=("Brakes",))
    assert ids(selectors.invoice_search({"total_min": "100"})) == [second.pk]
    rows = list(selectors.search_rows({"service_category": "Maintenance"}, "invoice"))
    assert [r["invoice_number"] for r in rows] == [first.pk]
    assert rows[0]["invoice_total"] == Decimal("80.00")
    assert rows[0]["vehicle"] == "2016 Honda Civic"


def test_preview_counts_and_shows_the_first_rows_in_few_queries(
    today, django_assert_max_num_queries
):
    for _ in range(25):
        invoice(VehicleFactory(), today - timedelta(days=3))
    with django_assert_max_num_queries(4):
        count, rows = selectors.search_preview({}, "customer", limit=20)
    assert count == 25
    assert len(rows) == 20
    assert rows[0]["last_visit"] == today - timedelta(days=3)
    assert rows[0]["vehicle"] == "2016 Honda Civic"
