"""The demo catalog: about 300 items with stock, two vendors, an open purchase order, the
matrix and the labor item the "Default Part # for Labor Parts" setting names; seeding twice
adds nothing."""

import io

import pytest

from parts import selectors
from parts.models import Part, PricingBand, PurchaseOrder, StockMovement, Vendor, VendorPart
from parts.seeding import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_catalog_is_realistic_and_seeded_once():
    seed_demo(io.StringIO())
    assert 270 <= Part.objects.count() <= 330
    assert Vendor.objects.count() == 2 and PricingBand.objects.count() == 5
    assert VendorPart.objects.filter(vendor__name="Springfield Auto Parts").count() > 200
    assert StockMovement.objects.filter(kind="received").count() > 150
    # The packages' numbers are in the catalog, so the parts list finds them.
    [pads] = selectors.part_search("BP-D1210", limit=1)
    assert pads.stock.on_hand > 0
    assert selectors.labor_part().description == "Labor"
    low = [p for p in selectors.parts_page().parts if p.stock.on_hand < p.reorder_point]
    assert low, "a few shelves run low, to show on the list"
    # An open purchase order for some of them, sent to the first vendor.
    [order] = PurchaseOrder.objects.all()
    assert order.status == "sent" and order.vendor.name == "Springfield Auto Parts"
    assert 1 <= order.lines.count() <= 5
    before = (Part.objects.count(), StockMovement.objects.count(), VendorPart.objects.count())
    seed_demo(io.StringIO())
    after = (Part.objects.count(), StockMovement.objects.count(), VendorPart.objects.count())
    assert after == before and PurchaseOrder.objects.count() == 1
