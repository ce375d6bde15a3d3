from decimal import Decimal

import factory

from customers.models import Customer, Vehicle
from workorders.models import Package, PackageLine


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    city = "Springfield"


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    customer = factory.SubFactory(CustomerFactory)
    year = 2016
    make = "Honda"
    model = "Civic"
    vin = "2HGFC2F59GH512345"
    plate = factory.Sequence(lambda n: f"ABC{n:04d}")
    odometer = 84210


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    name = factory.Sequence(lambda n: f"Front brakes {n}")
    category = "Brakes"
    description = "Replace front pads, resurface rotors."


class PackageLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageLine

    package = factory.SubFactory(PackageFactory)
    position = factory.Sequence(int)
    kind = "part"
    part_number = "BP-1234"
    description = "Brake pads, front"
    quantity = Decimal("1")
    unit_cost = Decimal("28.00")
    unit_price = Decimal("64.99")


def brake_package(**kwargs) -> Package:
    package = PackageFactory(**kwargs)
    PackageLineFactory(
        package=package,
        kind="labor",
        part_number="LAB-BRK",
        description="Replace front pads",
        quantity=Decimal("1.5"),
        unit_cost=Decimal("0"),
        unit_price=None,
    )
    PackageLineFactory(package=package)
    PackageLineFactory(
        package=package,
        part_number="HW-88",
        description="Hardware kit",
        quantity=Decimal("2"),
        unit_cost=Decimal("3.10"),
        unit_price=Decimal("9.95"),
    )
    return package


def inspection_sheet(name: str = "Courtesy check"):
    from shop.models import User
    from workorders import services

    by = User.objects.filter(role__gt="").first()
    return services.sheet_create(
        by=by,
        name=name,
        sections=[
            {"title": "Brakes", "items": ["Front brake pads", "Rear brake pads"]},
            {"title": "Tires", "items": ["Tread depth"]},
        ],
    )


def png_bytes(size: tuple[int, int] = (64, 48), colour: str = "#b91c1c") -> bytes:
    """A small real PNG, made with Pillow."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def png_bomb_bytes(width: int = 12_000, height: int = 12_000) -> bytes:
    """A real, valid PNG of width x height black pixels that compresses to a few hundred KB
    (an "image bomb"), written row by row so making it never holds the picture in memory."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte, then the row
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
