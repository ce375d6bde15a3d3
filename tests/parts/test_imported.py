"""Parts brought in from an old system (parts/imported.py, called by the imports app through
`shop.imported_records`): linked to the vendors their rows name, and taken back by undo."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parts.imported import imported_parts_undo, imported_parts_write
from parts.models import Part, Vendor, VendorPart
from parts.services import vendor_part_set
from shop.errors import ServiceError
from tests.parts.factories import PartFactory, VendorFactory, VendorPartFactory

pytestmark = pytest.mark.django_db
SOURCE = "imports.run:7"


def row(number, vendor="", vendor_number="", cost="10.00", **more):
    return {"part_number": number, "description": f"Part {number}", "vendor": vendor,
            "vendor_part_number": vendor_number, "cost": Decimal(cost), "price": None,
            "quantity_on_hand": None, "bin": "", **more}  # fmt: skip


def links() -> set[tuple[str, str, str, Decimal]]:
    return set(
        VendorPart.objects.values_list("vendor__name", "part__number", "vendor_number", "cost")
    )


def tables() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in (Vendor, Part, VendorPart)
    }


def test_a_new_part_is_linked_to_its_vendor_with_the_vendors_number_and_cost(owner):
    ids = imported_parts_write(
        rows=[row("BP-1210", "Wagner", "ZD1210", "28.00"), row("PF-48", "  NAPA  Auto ", "")],
        source=SOURCE,
        by=owner,
    )
    assert len(ids) == 2
    assert links() == {
        ("Wagner", "BP-1210", "ZD1210", Decimal("28.00")),
        # No vendor's number in the old system: the part's own.
        ("NAPA Auto", "PF-48", "PF-48", Decimal("10.00")),
    }
    assert set(Vendor.objects.values_list("name", "imported_from")) == {
        ("Wagner", SOURCE),
        ("NAPA Auto", SOURCE),
    }


def test_a_vendor_the_shop_has_is_linked_whatever_the_case_and_not_made_twice(owner):
    napa = VendorFactory(name="NAPA")
    rows = [row("PF-48", "napa"), row("AF-1180", "Napa")]
    ids = imported_parts_write(rows=rows, source=SOURCE, by=owner)
    assert list(Vendor.objects.all()) == [napa]
    assert {link[0] for link in links()} == {"NAPA"}
    # The shop's vendor is not the import's: undo leaves it.
    imported_parts_undo(ids=ids, source=SOURCE, by=owner)
    assert list(Vendor.objects.all()) == [napa] and not VendorPart.objects.exists()


def test_a_vendors_number_it_uses_already_is_not_linked_again_but_the_part_is_made(owner):
    wagner = VendorFactory(name="Wagner")
    VendorPartFactory(vendor=wagner, vendor_number="ZD-1210")
    imported_parts_write(
        rows=[row("BP-1", "Wagner", "zd 1210"), row("BP-2", "Wagner", "X9"),
              row("BP-3", "Wagner", "X-9")],
        source=SOURCE,
        by=owner,
    )  # fmt: skip
    new = Part.objects.filter(number__in=["BP-1", "BP-2", "BP-3"])
    assert new.count() == 3
    assert set(VendorPart.objects.filter(part__in=new).values_list(
        "part__number", "vendor_number")) == {("BP-2", "X9")}  # fmt: skip


def test_a_part_already_in_the_catalog_keeps_its_own_vendors(owner):
    part = PartFactory(number="PF-48")
    imported_parts_write(rows=[row("PF 48", "NAPA")], source=SOURCE, by=owner)
    assert not VendorPart.objects.filter(part=part).exists()
    assert not Vendor.objects.exists()


def test_undo_brings_vendors_parts_and_links_back_row_for_row(owner):
    shop_vendor = VendorFactory(name="Wagner")
    VendorPartFactory(vendor=shop_vendor, vendor_number="W-1")
    before = tables()
    ids = imported_parts_write(
        rows=[row("BP-1", "Wagner", "W-2"), row("PF-48", "NAPA"), row("TIRE-1", "Tire Rack")],
        source=SOURCE,
        by=owner,
    )
    assert tables() != before
    imported_parts_undo(ids=ids, source=SOURCE, by=owner)
    assert tables() == before


def test_a_vendor_the_import_made_and_used_since_refuses_the_undo_by_name(owner):
    ids = imported_parts_write(rows=[row("PF-48", "NAPA")], source=SOURCE, by=owner)
    napa = Vendor.objects.get(name="NAPA")
    vendor_part_set(by=owner, part=PartFactory(number="OWN-1"), vendor=napa,
                    vendor_number="N-1", cost="2.00")  # fmt: skip
    before = tables()
    with pytest.raises(ServiceError, match=r"used since .*: NAPA\. Nothing was undone"):
        imported_parts_undo(ids=ids, source=SOURCE, by=owner)
    assert tables() == before
