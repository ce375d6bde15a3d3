"""Fleet Activity on the November shop: Bob and Dee have fleet accounts with Enterprise Fleet,
Hal has one and no visit; everyone else is a retail customer and stays out.

  Bob: 2018 Honda Civic, B1 $277.41 + B2 $114.08 = $391.49 in 2 visits, average $195.75
       (195.745, half up)
  Dee: 2010 Honda Civic, D1 $300.00 (November 30, 23:30 local) in 1 visit
  All: 2 vehicles, 3 visits, $691.49, average $230.50 (230.4966...)
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from customers.models import Customer
from fleet.models import FleetAccount, FleetCompany
from reports import selectors
from reports.periods import period_for

pytestmark = pytest.mark.django_db

NOVEMBER = {"period": "month", "date": "2026-11-15"}


@pytest.fixture
def fleet_shop(shop):
    company = FleetCompany.objects.create(name="Enterprise Fleet", fleet_company_id="ENT-1")
    hal = Customer.objects.create(kind="company", company_name="Hal's Haulers")
    for customer in (shop.customers["B"], shop.customers["D"], hal):
        FleetAccount.objects.create(customer=customer, company=company)
    return shop


def test_it_adds_up_fleet_activity_by_vehicle_customer_and_overall(fleet_shop):
    report = selectors.fleet_activity(period_for("month", date(2026, 11, 15)))
    by_name = {c.label: c for c in report.customers}
    assert set(by_name) == {"Bob Test", "Dee Test", "Hal's Haulers"}
    bob = by_name["Bob Test"]
    assert (bob.company, bob.vehicles, bob.visits, bob.total, bob.average_invoice) == (
        "Enterprise Fleet", 1, 2, D("391.49"), D("195.75"),
    )  # fmt: skip
    assert [(v.label, v.visits, v.total, v.average_invoice) for v in bob.rows] == [
        ("2018 Honda Civic", 2, D("391.49"), D("195.75"))
    ]
    dee = by_name["Dee Test"]
    assert (dee.vehicles, dee.visits, dee.total, dee.average_invoice) == (
        1, 1, D("300.00"), D("300.00"),
    )  # fmt: skip
    hal = by_name["Hal's Haulers"]
    assert (hal.vehicles, hal.visits, hal.total, hal.average_invoice, hal.rows) == (
        0, 0, D("0.00"), None, [],
    )  # fmt: skip
    total = report.total
    assert (total.vehicles, total.visits, total.total, total.average_invoice) == (
        2, 3, D("691.49"), D("230.50"),
    )  # fmt: skip


def test_it_opens_fleet_activity_for_the_office_only(
    client, fleet_shop, django_assert_max_num_queries
):
    client.force_login(fleet_shop.sam)  # an advisor, level 3
    assert client.get(reverse("reports:fleet_activity"), NOVEMBER).status_code == 403
    client.force_login(fleet_shop.owner)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reports:fleet_activity"), NOVEMBER)
    text = response.content.decode()
    assert "$691.49" in text and "$195.75" in text and "<svg" in text
    response = client.get(reverse("reports:fleet_activity"), {**NOVEMBER, "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[-1] == ["", "All fleet customers", "All vehicles", "3", "230.50", "691.49"]
    response = client.get(reverse("reports:fleet_activity"), {**NOVEMBER, "export": "pdf"})
    assert response.content.startswith(b"%PDF")
