"""The parts list, the typeahead, a part's page and form, vendors and the pricing matrix:
an allowed and a refused employee for each, bad input refused with the reason, and a fixed
number of queries on the lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parts.models import Part, PricingBand, Vendor, VendorPart
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory

pytestmark = pytest.mark.django_db


class TestPartsList:
    def test_it_lists_the_catalog_with_stock_and_prices(self, client, employee_at, matrix):
        PartFactory(number="BP-D1210", cost=Decimal("28.00"))
        client.force_login(employee_at(4))
        response = client.get(reverse("parts:list"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "BP-D1210" in html and "$56.00" in html
        assert "no pricing matrix" not in html

    def test_it_warns_when_there_is_no_matrix(self, client, employee_at):
        client.force_login(employee_at(2))
        html = client.get(reverse("parts:list")).content.decode()
        assert "There is no pricing matrix yet" in html and "Set up the pricing matrix" in html

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at):
        client.force_login(employee_at(5))
        response = client.get(reverse("parts:list"))
        assert response.status_code == 403
        assert "Parts list" in response.content.decode()

    def test_a_search_answers_htmx_with_the_rows_only(self, client, employee_at, matrix):
        PartFactory(number="BP-D1210")
        PartFactory(number="OF-2215", description="Oil filter")
        client.force_login(employee_at(4))
        response = client.get(reverse("parts:list"), {"q": "of 22"}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert "<html" not in html and "OF-2215" in html and "BP-D1210" not in html

    def test_a_bad_page_number_shows_the_first_page(self, client, employee_at):
        PartFactory(number="BP-D1210")
        client.force_login(employee_at(4))
        response = client.get(reverse("parts:list"), {"page": "x"})
        assert response.status_code == 200 and "BP-D1210" in response.content.decode()

    def test_its_queries_do_not_grow_with_the_rows(
        self, client, employee_at, matrix, django_assert_max_num_queries
    ):
        PartFactory.create_batch(2)
        client.force_login(employee_at(4))
        url = reverse("parts:list")
        with django_assert_max_num_queries(18) as few:
            client.get(url)
        with django_assert_max_num_queries(20) as few_searched:
            client.get(url, {"q": "brake pads"})
        PartFactory.create_batch(60)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert "Next" in response.content.decode()
        with django_assert_max_num_queries(len(few_searched.captured_queries)):
            response = client.get(url, {"q": "brake pads"})
        assert response.content.decode().count("<tr") == 51


class TestTypeahead:
    def test_it_answers_the_best_parts_with_on_hand_bin_and_price(
        self, client, employee_at, matrix
    ):
        PartFactory(
            number="BAT-H6",
            description="Battery, group H6",
            cost=Decimal("118.00"),
            core_charge=Decimal("18.00"),
            bin_location="B1",
        )
        client.force_login(employee_at(4))
        response = client.get(reverse("parts:typeahead"), {"q": "bat h"})
        assert response.status_code == 200
        [result] = response.json()["results"]
        assert result["number"] == "BAT-H6" and result["bin"] == "B1"
        assert result["price"] == "196.67" and result["price_from"] == "matrix"
        assert result["core_charge"] == "18.00" and result["on_hand"] == "0"

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at):
        client.force_login(employee_at(5))
        assert client.get(reverse("parts:typeahead"), {"q": "bat"}).status_code == 403

    def test_its_queries_do_not_grow_with_the_matches(
        self, client, employee_at, matrix, django_assert_max_num_queries
    ):
        PartFactory.create_batch(2)
        client.force_login(employee_at(4))
        url = reverse("parts:typeahead")
        with django_assert_max_num_queries(12) as few:
            client.get(url, {"q": "bp-d brake"})
        PartFactory.create_batch(30)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert len(client.get(url, {"q": "bp-d brake"}).json()["results"]) == 10


class TestPartForm:
    def test_an_advisor_adds_a_part(self, client, employee_at):
        client.force_login(employee_at(3))
        response = client.post(
            reverse("parts:new"),
            {
                "number": "OF-2215",
                "description": "Oil filter",
                "kind": "part",
                "category": "Maintenance",
                "cost": "3.80",
                "taxable": "on",
                "stocked": "on",
                "is_active": "on",
            },
        )
        part = Part.objects.get()
        assert response.status_code == 302 and response.url == reverse(
            "parts:detail", args=[part.pk]
        )
        assert part.number_key == "OF2215" and part.cost == Decimal("3.80")

    def test_a_negative_cost_is_refused_beside_its_field(self, client, employee_at):
        client.force_login(employee_at(3))
        response = client.post(
            reverse("parts:new"),
            {"number": "OF-2215", "description": "Oil filter", "kind": "part", "cost": "-3"},
        )
        assert response.status_code == 400
        assert "The cost cannot be negative." in response.content.decode()
        assert not Part.objects.exists()

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at):
        client.force_login(employee_at(4))
        assert client.get(reverse("parts:new")).status_code == 403
        response = client.post(
            reverse("parts:new"), {"number": "X-1", "description": "X", "kind": "part"}
        )
        assert response.status_code == 403 and not Part.objects.exists()

    def test_an_edit_changes_the_part(self, client, employee_at):
        part = PartFactory(number="BP-D1210")
        client.force_login(employee_at(3))
        assert client.get(reverse("parts:edit", args=[part.pk])).status_code == 200
        response = client.post(
            reverse("parts:edit", args=[part.pk]),
            {"number": "BP-D1210", "description": "Pads", "kind": "part", "fixed_price": "64.99",
             "taxable": "on", "stocked": "on", "is_active": "on"},
        )  # fmt: skip
        assert response.status_code == 302
        part.refresh_from_db()
        assert part.fixed_price == Decimal("64.99") and part.description == "Pads"


class TestPartPage:
    def test_it_shows_the_part_its_vendors_and_stock(self, client, employee_at, matrix):
        row = VendorPartFactory(vendor_number="WG-ZD1210")
        client.force_login(employee_at(4))
        html = client.get(reverse("parts:detail", args=[row.part.pk])).content.decode()
        assert "WG-ZD1210" in html and "No movements yet" in html
        # Level 4 sees no forms it may not use.
        assert "Receive" not in html and "Save vendor's number" not in html

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at):
        part = PartFactory()
        client.force_login(employee_at(5))
        assert client.get(reverse("parts:detail", args=[part.pk])).status_code == 403

    def test_a_duplicate_vendor_number_is_refused(self, client, employee_at):
        row = VendorPartFactory(vendor_number="WG-ZD1210")
        other = PartFactory(number="RT-5521")
        client.force_login(employee_at(3))
        response = client.post(
            reverse("parts:vendor_set", args=[other.pk]),
            {"vendor": row.vendor.pk, "vendor_number": "wg zd1210", "cost": "30"},
        )
        assert response.status_code == 400
        assert "one vendor number names one part" in response.content.decode()
        assert VendorPart.objects.count() == 1

    def test_a_vendor_number_is_added_and_removed(self, client, employee_at):
        part, vendor = PartFactory(), VendorFactory()
        client.force_login(employee_at(3))
        client.post(
            reverse("parts:vendor_set", args=[part.pk]),
            {"vendor": vendor.pk, "vendor_number": "AC-1", "cost": "9.10"},
        )
        row = VendorPart.objects.get()
        assert row.cost == Decimal("9.10")
        client.post(reverse("parts:vendor_remove", args=[part.pk, row.pk]))
        assert not VendorPart.objects.exists()


class TestVendors:
    def test_a_vendor_is_added_and_listed(self, client, employee_at):
        client.force_login(employee_at(3))
        response = client.post(
            reverse("parts:vendor_new"),
            {"name": "Springfield Auto Parts", "account_number": "MSA-88", "is_active": "on"},
        )
        assert response.status_code == 302
        html = client.get(reverse("parts:vendors")).content.decode()
        assert "Springfield Auto Parts" in html and "MSA-88" in html

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at):
        client.force_login(employee_at(4))
        assert client.get(reverse("parts:vendors")).status_code == 200
        response = client.post(reverse("parts:vendor_new"), {"name": "X"})
        assert response.status_code == 403 and not Vendor.objects.exists()

    def test_its_queries_do_not_grow_with_the_rows(
        self, client, employee_at, django_assert_max_num_queries
    ):
        VendorFactory()
        client.force_login(employee_at(4))
        with django_assert_max_num_queries(10) as few:
            client.get(reverse("parts:vendors"))
        VendorFactory.create_batch(20)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("parts:vendors"))


def _formset(rows: list[tuple[str, str, str, str]]) -> dict:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for index, (low, high, method, percent) in enumerate(rows):
        data |= {
            f"form-{index}-cost_from": low,
            f"form-{index}-cost_to": high,
            f"form-{index}-method": method,
            f"form-{index}-percent": percent,
        }
    return data


class TestPricingMatrix:
    def test_a_manager_saves_the_matrix(self, client, employee_at):
        client.force_login(employee_at(2))
        assert client.get(reverse("parts:pricing")).status_code == 200
        response = client.post(
            reverse("parts:pricing"),
            _formset(
                [("0", "20", "markup", "100"), ("20", "", "margin", "40"), ("", "", "markup", "")]
            ),
        )
        assert response.status_code == 302
        assert PricingBand.objects.count() == 2
        html = client.get(reverse("parts:pricing")).content.decode()
        assert "What parts sell for" in html

    def test_a_gap_is_refused_and_nothing_changes(self, client, employee_at, matrix):
        client.force_login(employee_at(2))
        response = client.post(
            reverse("parts:pricing"),
            _formset([("0", "20", "markup", "100"), ("25", "", "margin", "40")]),
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a gap between $20.00 and $25.00" in html and "Nothing was saved" in html
        assert PricingBand.objects.count() == 5

    def test_it_refuses_an_employee_below_the_level(self, client, employee_at, matrix):
        client.force_login(employee_at(3))
        assert client.get(reverse("parts:pricing")).status_code == 403
        response = client.post(reverse("parts:pricing"), _formset([("0", "", "markup", "1")]))
        assert response.status_code == 403 and PricingBand.objects.count() == 5


def test_the_list_says_when_the_labor_setting_names_no_catalog_item(client, employee_at):
    client.force_login(employee_at(3))
    html = client.get(reverse("parts:list")).content.decode()
    assert "names LABOR, which is not in the catalog yet" in html
    form = client.get(reverse("parts:new"), {"kind": "labor", "number": "LABOR"}).content
    assert b'value="LABOR"' in form
    PartFactory(number="LABOR", kind="labor", description="Labor")
    html = client.get(reverse("parts:list")).content.decode()
    assert "not in the catalog yet" not in html


def test_below_reorder_point_lists_what_to_order(
    client, employee_at, owner, matrix, django_assert_max_num_queries
):
    from parts import services

    low = PartFactory(number="OF-2215", reorder_point=Decimal("3"), reorder_quantity=Decimal("6"))
    services.stock_receive(by=owner, part=low, quantity="1", unit_cost="3.80")
    full = PartFactory(number="RT-5521", reorder_point=Decimal("2"))
    services.stock_receive(by=owner, part=full, quantity="5", unit_cost="28")
    PartFactory(number="HW-88", stocked=False, reorder_point=Decimal("2"))
    negative = PartFactory(
        number="BAT-H6", reorder_point=Decimal("1"), reorder_quantity=Decimal("1")
    )
    services.stock_adjust(by=owner, part=negative, quantity="-2", reason="Sold off the books")
    client.force_login(employee_at(4))
    with django_assert_max_num_queries(20) as few:
        response = client.get(reverse("parts:list"), {"low": "on"})
    html = response.content.decode()
    assert "OF-2215" in html and "BAT-H6" in html
    assert "RT-5521" not in html and "HW-88" not in html
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in html.split("<tr")[2:]}
    assert 'data-label="To order" class="num">6<' in rows["OF-2215"]  # at least its quantity
    assert 'data-label="To order" class="num">3<' in rows["BAT-H6"]  # -2 up to 1
    assert "negative" in rows["BAT-H6"]
    PartFactory.create_batch(10, reorder_point=Decimal("2"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("parts:list"), {"low": "on"})
    assert response.content.decode().count("<tr") == 13
