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


def _box(kind: bytes, payload: bytes) -> bytes:
    import struct

    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(
    seconds: float = 12,
    *,
    brand: bytes = b"isom",
    handler: bytes = b"vide",
    mvhd_version: int = 0,
    payload: bytes = b"\x00" * 2048,
) -> bytes:
    """An MP4 (or, with brand b"qt  ", a QuickTime MOV) as a phone writes it: 'ftyp', the
    media data, then 'moov' with the movie header ('mvhd': timescale and duration) and one
    track whose handler says what it holds."""
    import struct

    timescale = 600  # QuickTime's usual
    duration = round(seconds * timescale)
    if mvhd_version == 1:
        mvhd = struct.pack(">B3xQQIQ", 1, 0, 0, timescale, duration)
    else:
        mvhd = struct.pack(">B3xIIII", 0, 0, 0, timescale, duration)
    mvhd += b"\x00" * 80  # rate, volume, matrix, next track: not read
    hdlr = _box(b"hdlr", b"\x00" * 8 + handler + b"\x00" * 12 + b"Core Media\x00")
    trak = _box(
        b"trak", _box(b"tkhd", b"\x00" * 84) + _box(b"mdia", _box(b"mdhd", b"\x00" * 24) + hdlr)
    )
    return (
        _box(b"ftyp", brand + b"\x00\x00\x00\x00" + brand + b"mp41")
        + _box(b"mdat", payload)
        + _box(b"moov", _box(b"mvhd", mvhd) + trak)
    )


def _ebml(element_id: int, payload: bytes, *, unknown_size: bool = False) -> bytes:
    size = (
        b"\x01\xff\xff\xff\xff\xff\xff\xff"
        if unknown_size
        else (b"\x01" + len(payload).to_bytes(7, "big"))
    )
    return element_id.to_bytes((element_id.bit_length() + 7) // 8, "big") + size + payload


def webm_bytes(
    seconds: float = 12,
    *,
    with_duration: bool = True,
    doc_type: bytes = b"webm",
    track_type: int = 1,
) -> bytes:
    """A WebM: EBML header, then a segment with Info (the duration, in ms at the default
    scale), one track, and clusters of blocks. Without the duration, as a browser's recorder
    writes it live (segment and clusters of unknown size), the blocks' timestamps tell it."""
    import struct

    header = _ebml(0x1A45DFA3, _ebml(0x4286, b"\x01") + _ebml(0x4282, doc_type))
    info = _ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")) + _ebml(0x4D80, b"test")
    if with_duration:
        info += _ebml(0x4489, struct.pack(">d", seconds * 1000))
    tracks = _ebml(
        0x1654AE6B,
        _ebml(
            0xAE, _ebml(0xD7, b"\x01") + _ebml(0x83, bytes([track_type])) + _ebml(0x86, b"V_VP8")
        ),
    )
    clusters = b""
    total_ms = round(seconds * 1000)
    for cluster_start in range(0, total_ms + 1, 5000):
        blocks = b""
        for offset in range(0, min(5000, total_ms - cluster_start + 1), 1000):
            blocks += _ebml(0xA3, b"\x81" + struct.pack(">h", offset) + b"\x80" + b"\x00" * 64)
        clusters += _ebml(
            0x1F43B675,
            _ebml(0xE7, cluster_start.to_bytes(4, "big")) + blocks,
            unknown_size=not with_duration,
        )
    segment = _ebml(0x1549A966, info) + tracks + clusters
    return header + _ebml(0x18538067, segment, unknown_size=not with_duration)
