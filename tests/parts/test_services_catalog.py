"""The catalog: parts, vendors and vendors' numbers; every bad input says why and changes
nothing."""

from decimal import Decimal

import pytest

from parts import services
from parts.models import Part, VendorPart
from shop.errors import ServiceError
from tests.parts.factories import PartFactory, VendorFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_part_with_its_search_key_and_average_cost(owner):
    part = services.part_create(
        by=owner,
        number=" bp-d 1210 ",
        description="Ceramic brake pads, front",
        category="Brakes",
        cost="$28.00",
        core_charge="0",
    )
    assert part.number == "bp-d 1210"
    assert part.number_key == "BPD1210"
    assert part.average_cost == Decimal("28.00")
    assert part.taxable is True and part.stocked is True
    part.refresh_from_db()
    assert "bpd1210" in part.search_text and "ceramic brake pads" in part.search_text


def test_it_takes_labor_items_untaxed_and_not_stocked_by_default(owner):
    labor = services.part_create(
        by=owner, number="LABOR", description="Labor", kind="labor", fixed_price="139"
    )
    assert labor.taxable is False and labor.stocked is False
    assert labor.fixed_price == Decimal("139.00")


def test_it_refuses_a_number_that_is_the_same_without_dashes_and_spaces(owner):
    PartFactory(number="BP-D1210")
    with pytest.raises(ServiceError, match="already has BP-D1210") as caught:
        services.part_create(by=owner, number="bp d1210", description="Other pads")
    assert caught.value.field == "number"
    assert Part.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cost", "-1", "The cost cannot be negative."),
        ("fixed_price", "-0.01", "The fixed price cannot be negative."),
        ("core_charge", "abc", "The core charge must be a number."),
        ("list_price", "NaN", "The list price must be a number."),
        ("reorder_point", "-2", "The reorder point cannot be negative."),
        ("kind", "tyre", "Choose part, labor, fee or sublet."),
        ("number", "--", "A part # needs at least one letter or digit."),
        ("number", "X" * 41, "A part # is at most 40 characters."),
        ("description", "  ", "A part needs a description."),
    ],
)
def test_it_refuses_bad_values_and_adds_nothing(owner, field, value, message):
    fields = {"number": "OF-2215", "description": "Oil filter", "cost": "3.80", field: value}
    with pytest.raises(ServiceError) as caught:
        services.part_create(by=owner, **fields)
    assert caught.value.message == message
    assert caught.value.field == field
    assert not Part.objects.exists()


def test_an_update_keeps_what_it_is_not_given_and_refuses_a_taken_number(owner):
    pads = PartFactory(number="BP-D1210", cost=Decimal("28.00"))
    PartFactory(number="OF-2215", description="Oil filter")
    updated = services.part_update(by=owner, part=pads, cost="30", fixed_price="")
    assert updated.cost == Decimal("30.00") and updated.fixed_price is None
    assert updated.description == "Ceramic brake pads, front"
    with pytest.raises(ServiceError, match="already has OF-2215"):
        services.part_update(by=owner, part=pads, number="of 2215")
    pads.refresh_from_db()
    assert pads.number == "BP-D1210"


def test_a_vendor_number_names_one_part_per_vendor(owner):
    vendor = VendorFactory(name="Springfield Auto Parts")
    other_vendor = VendorFactory(name="Midwest Brake Supply")
    pads, rotor = PartFactory(number="BP-D1210"), PartFactory(number="RT-5521")
    row = services.vendor_part_set(
        by=owner, part=pads, vendor=vendor, vendor_number="WG ZD1210", cost="27.50"
    )
    assert row.vendor_number_key == "WGZD1210" and row.cost == Decimal("27.50")
    # The same vendor number at another vendor is another catalog's business.
    services.vendor_part_set(
        by=owner, part=rotor, vendor=other_vendor, vendor_number="WG-ZD1210", cost="31"
    )
    with pytest.raises(ServiceError, match="already BP-D1210") as caught:
        services.vendor_part_set(
            by=owner, part=rotor, vendor=vendor, vendor_number="wg-zd1210", cost="31"
        )
    assert caught.value.field == "vendor_number"
    assert VendorPart.objects.filter(vendor=vendor).count() == 1
    # Setting it again for the same part changes its cost.
    services.vendor_part_set(
        by=owner, part=pads, vendor=vendor, vendor_number="WG-ZD1210", cost="26.90"
    )
    assert VendorPart.objects.get(vendor=vendor).cost == Decimal("26.90")


def test_it_refuses_a_negative_vendor_cost(owner):
    with pytest.raises(ServiceError, match=r"The vendor's cost cannot be negative\."):
        services.vendor_part_set(
            by=owner,
            part=PartFactory(),
            vendor=VendorFactory(),
            vendor_number="X-1",
            cost="-3",
        )
    assert not VendorPart.objects.exists()


def test_a_vendor_name_is_taken_once(owner):
    services.vendor_create(by=owner, name="Springfield Auto Parts", account_number="MSA-1")
    with pytest.raises(ServiceError, match="already a vendor"):
        services.vendor_create(by=owner, name="springfield auto parts")
    with pytest.raises(ServiceError, match="needs a name"):
        services.vendor_create(by=owner, name=" ")
