from decimal import Decimal

import factory

from parts.models import Part, PricingBand, Vendor, VendorPart, number_key


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Springfield Auto Parts {n}")
    account_number = factory.Sequence(lambda n: f"MSA-{n:05d}")


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    number = factory.Sequence(lambda n: f"BP-D{1200 + n}")
    number_key = factory.LazyAttribute(lambda part: number_key(part.number))
    description = "Ceramic brake pads, front"
    kind = "part"
    category = "Brakes"
    brand = "Wagner"
    cost = Decimal("28.00")
    average_cost = factory.LazyAttribute(lambda part: part.cost)
    taxable = True
    stocked = True
    bin_location = "A3"
    reorder_point = Decimal("2")
    reorder_quantity = Decimal("4")


class VendorPartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorPart

    vendor = factory.SubFactory(VendorFactory)
    part = factory.SubFactory(PartFactory)
    vendor_number = factory.Sequence(lambda n: f"WG-ZD{1000 + n}")
    vendor_number_key = factory.LazyAttribute(lambda row: number_key(row.vendor_number))
    cost = Decimal("27.50")


STANDARD_MATRIX = [
    # cost from, up to, method, percent
    ("0", "10", "markup", "150"),
    ("10", "50", "markup", "100"),
    ("50", "100", "markup", "75"),
    ("100", "250", "margin", "40"),
    ("250", None, "margin", "35"),
]


def standard_matrix() -> list[PricingBand]:
    return PricingBand.objects.bulk_create(
        PricingBand(
            cost_from=Decimal(low),
            cost_to=Decimal(high) if high else None,
            method=method,
            percent=Decimal(percent),
        )
        for low, high, method, percent in STANDARD_MATRIX
    )


def shop_with_matrix() -> None:
    """The shop the parts browser tests sell from: 8.25 % tax, $139 labor, the work-order
    statuses and the standard pricing matrix."""
    from shop.models import ShopProfile
    from workorders.seeding import statuses_ensure

    ShopProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Main Street Auto",
            "tax_rate": Decimal("8.250"),
            "labor_rate": Decimal("139.00"),
        },
    )
    statuses_ensure()
    standard_matrix()
