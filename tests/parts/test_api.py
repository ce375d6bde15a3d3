"""The parts API: parts with stock (search, filters, detail with vendors), stock movements
(list; adjustments with the Adjust stock security function), vendors; fixed query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from parts import services
from parts.models import StockMovement, Vendor
from tests.integrations.factories import bearer, make_integration
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


def _catalog(owner, n: int, start: int = 0):
    vendor = VendorFactory()
    parts = []
    for i in range(start, start + n):
        part = PartFactory(number=f"BP-D{1300 + i}", cost=Decimal("28.00"))
        VendorPartFactory(vendor=vendor, part=part, vendor_number=f"WG-{i}")
        services.stock_receive(by=owner, part=part, quantity="3", unit_cost="28")
        parts.append(part)
    return vendor, parts


def test_the_parts_list_has_stock_and_price_in_a_fixed_number_of_queries(
    api, owner, matrix, django_assert_max_num_queries
):
    _catalog(owner, 3)
    with django_assert_max_num_queries(8) as few:
        small = api.get(reverse("part-list"))
    _catalog(owner, 12, start=3)
    with django_assert_max_num_queries(len(few)):
        big = api.get(reverse("part-list"))
    assert small.status_code == big.status_code == 200
    assert len(big.json()["results"]) == 15
    first = big.json()["results"][0]
    assert first["number"] == "BP-D1314" and first["on_hand"] == "3.00"
    assert first["committed"] == "0.00" and first["price"] == "56.00"  # 100% markup, $10–50


def test_search_filters_and_detail(api, owner, matrix, django_assert_max_num_queries):
    vendor, parts = _catalog(owner, 4)
    PartFactory(number="OIL-5W20", description="Motor oil 5W-20", kind="part", stocked=False)
    found = api.get(reverse("part-list"), {"q": "bpd1302"}).json()["results"]
    assert [p["number"] for p in found] == ["BP-D1302"]
    found = api.get(reverse("part-list"), {"q": "motor oil"}).json()["results"]
    assert [p["number"] for p in found] == ["OIL-5W20"]
    found = api.get(reverse("part-list"), {"q": "WG-3"}).json()["results"]  # a vendor's number
    assert [p["number"] for p in found] == ["BP-D1303"]
    assert api.get(reverse("part-list"), {"q": "zzzz"}).json()["results"] == []
    assert len(api.get(reverse("part-list"), {"stocked": "false"}).json()["results"]) == 1
    assert len(api.get(reverse("part-list"), {"vendor": vendor.pk}).json()["results"]) == 4
    services.stock_adjust(by=owner, part=parts[0], quantity="-2", reason="Damaged")  # 1 < 2
    low = api.get(reverse("part-list"), {"low_stock": "true"}).json()["results"]
    assert [p["number"] for p in low] == ["BP-D1300"]
    with django_assert_max_num_queries(8):
        detail = api.get(reverse("part-detail", args=[parts[0].pk])).json()
    assert detail["on_hand"] == "1.00"
    assert detail["vendors"] == [
        {
            "vendor": vendor.pk,
            "vendor_name": vendor.name,
            "vendor_number": "WG-0",
            "cost": "27.50",
            "updated_at": detail["vendors"][0]["updated_at"],
        }
    ]
    assert api.get(reverse("part-detail", args=[999999])).status_code == 404


def test_stock_movements_list_in_a_fixed_number_of_queries(
    api, owner, django_assert_max_num_queries
):
    _vendor, parts = _catalog(owner, 2)
    with django_assert_max_num_queries(6) as few:
        small = api.get(reverse("stock-movement-list"))
    _catalog(owner, 10, start=2)
    with django_assert_max_num_queries(len(few)):
        big = api.get(reverse("stock-movement-list"))
    assert len(small.json()["results"]) == 2 and len(big.json()["results"]) == 12
    mine = api.get(reverse("stock-movement-list"), {"part": parts[1].pk}).json()["results"]
    assert [(m["kind"], m["quantity"], m["by"]) for m in mine] == [("received", "3.00", "owner")]
    assert api.get(reverse("stock-movement-list"), {"kind": "sold"}).json()["results"] == []


def test_an_adjustment_through_the_api(api, owner):
    part = PartFactory()
    response = api.post(
        reverse("stock-movement-list"),
        {"part": part.pk, "quantity": "-2", "reason": "Dropped in the parking lot"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["quantity"], body["reason"]) == (
        "adjusted",
        "-2.00",
        "Dropped in the parking lot",
    )
    assert StockMovement.objects.get().quantity == Decimal("-2")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": "0", "reason": "x"}, "quantity"),
        ({"quantity": "2", "reason": "   "}, "reason"),
        ({"quantity": "abc", "reason": "x"}, "quantity"),
        ({"quantity": "1e9", "reason": "x"}, "quantity"),
        ({"quantity": "1", "reason": "x", "part": 999999}, "part"),
    ],
)
def test_a_bad_adjustment_is_refused_and_writes_nothing(api, body, field):
    part = PartFactory()
    response = api.post(reverse("stock-movement-list"), {"part": part.pk, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not StockMovement.objects.exists()


def test_a_labor_item_cannot_be_adjusted(api):
    labor = PartFactory(kind="labor", number="LABOR")
    response = api.post(
        reverse("stock-movement-list"),
        {"part": labor.pk, "quantity": "1", "reason": "x"},
        format="json",
    )
    assert response.status_code == 400 and "no stock" in response.json()["detail"]


def test_adjusting_needs_the_adjust_stock_function(employee_at):
    part = PartFactory()
    client = APIClient()
    client.force_authenticate(employee_at(3))  # an advisor: views parts, may not adjust
    assert client.get(reverse("stock-movement-list")).status_code == 200
    response = client.post(
        reverse("stock-movement-list"),
        {"part": part.pk, "quantity": "1", "reason": "Found one"},
        format="json",
    )
    assert response.status_code == 403 and "Adjust stock" in response.json()["detail"]
    assert not StockMovement.objects.exists()


def test_an_integration_token_at_level_3_reads_but_may_not_adjust(owner):
    part = PartFactory()
    _integration, token = make_integration(by=owner, security_level=3)
    client = APIClient()
    assert client.get(reverse("part-list"), **bearer(token)).status_code == 200
    response = client.post(
        reverse("stock-movement-list"),
        {"part": part.pk, "quantity": "1", "reason": "Found"},
        format="json",
        **bearer(token),
    )
    assert response.status_code == 403
    assert not StockMovement.objects.exists()


def test_vendors_list_create_update(api, django_assert_max_num_queries):
    VendorFactory.create_batch(3)
    with django_assert_max_num_queries(5) as few:
        api.get(reverse("vendor-list"))
    VendorFactory.create_batch(10)
    with django_assert_max_num_queries(len(few)):
        listed = api.get(reverse("vendor-list")).json()["results"]
    assert len(listed) == 13
    made = api.post(
        reverse("vendor-list"),
        {"name": "O'Reilly Auto Parts", "account_number": "ORA-99", "email": "desk@ora.test"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    duplicate = api.post(reverse("vendor-list"), {"name": "o'reilly auto parts"}, format="json")
    assert duplicate.status_code == 400 and "already a vendor" in str(duplicate.json())
    assert Vendor.objects.filter(name__iexact="o'reilly auto parts").count() == 1
    changed = api.patch(
        reverse("vendor-detail", args=[made.json()["id"]]), {"phone": "555-0100"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["phone"] == "555-0100"
    empty = api.patch(
        reverse("vendor-detail", args=[made.json()["id"]]), {"name": ""}, format="json"
    )
    assert empty.status_code == 400
    assert Vendor.objects.get(pk=made.json()["id"]).name == "O'Reilly Auto Parts"


def test_vendors_need_edit_parts_to_write(employee_at):
    client = APIClient()
    client.force_authenticate(employee_at(4))
    assert client.get(reverse("vendor-list")).status_code == 200
    assert client.post(reverse("vendor-list"), {"name": "X"}, format="json").status_code == 403
    assert not Vendor.objects.exists()
