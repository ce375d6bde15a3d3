"""Parts' share of the demo shop and the benchmark shop.

The demo: a pricing matrix, two vendors with their own numbers and costs, and about 300
realistic catalog items (parts in the packages' numbers, sizes and fitments, the default
labor item, fees and sublet) with stock on the shelf, a few below their reorder point.
The bench: the same, then 200,000 parts as a shop that loads its vendors' catalogs has.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.utils import timezone

from parts.models import (
    Part,
    PartLine,
    PricingBand,
    StockMovement,
    Vendor,
    VendorPart,
    number_key,
)
from workorders.models import TAXABLE_BY_DEFAULT, Line, LineKind

DEMO_MATRIX = [
    # cost from, up to, method, percent
    ("0", "10", "markup", "150"),
    ("10", "50", "markup", "100"),
    ("50", "100", "markup", "75"),
    ("100", "250", "margin", "40"),
    ("250", None, "margin", "35"),
]

VENDORS = [
    ("Springfield Auto Parts", "MSA-20417", "Dana Whitfield", "(217) 555-0190",
     "orders@springfieldautoparts.example", "SAP"),
    ("Midwest Parts Warehouse", "MPW-88213", "Luis Ortega", "(217) 555-0177",
     "counter@midwestparts.example", "MPW"),
]  # fmt: skip

# category, brand, (number, description, cost, core), bin prefix: each family of parts.
FAMILIES: list[tuple[str, str, list[tuple[str, str, str, str]], str]] = [
    ("Maintenance", "Wix", [
        ("OF-2215", "Oil filter", "3.80", "0"),
        ("AF-771", "Engine air filter", "7.00", "0"),
        ("CF-310", "Cabin air filter", "6.50", "0"),
        ("WB-22", "Wiper blade, 22 in", "6.00", "0"),
        ("OIL-5W30-Q", "5W-30 full synthetic oil (qt)", "4.10", "0"),
        ("DP-M14", "Oil drain plug, M14 x 1.5", "2.10", "0"),
    ], "M"),
    ("Brakes", "Wagner", [
        ("BP-D1210", "Ceramic brake pads, front", "28.00", "0"),
        ("BP-D1100", "Ceramic brake pads, rear", "26.00", "0"),
        ("RT-5521", "Brake rotor, rear", "31.00", "0"),
        ("HW-88", "Brake hardware kit", "3.10", "0"),
        ("BF-DOT3", "Brake fluid DOT 3 (12 oz)", "4.50", "0"),
        ("CAL-20", "Brake caliper, reman.", "42.00", "15.00"),
    ], "B"),
    ("Tires", "Michelin", [
        ("TR-2256017", "Tire 225/60R17 all-season", "92.00", "0"),
        ("VS-1", "Valve stem", "0.90", "0"),
        ("WT-STICK", "Wheel weights (strip)", "1.20", "0"),
        ("TPMS-5", "TPMS sensor", "21.00", "0"),
    ], "T"),
    ("Engine", "NGK", [
        ("SP-IR5", "Spark plug, iridium", "4.50", "0"),
        ("IC-88", "Ignition coil", "31.00", "0"),
        ("O2-234", "Oxygen sensor, upstream", "39.00", "0"),
        ("GK-VC", "Valve cover gasket set", "18.00", "0"),
        ("TB-55", "Timing belt kit with water pump", "90.00", "0"),
    ], "E"),
    ("Electrical", "Interstate", [
        ("BAT-H6", "Battery, group H6, 760 CCA", "118.00", "18.00"),
        ("ALT-12", "Alternator, reman.", "140.00", "45.00"),
        ("ST-9", "Starter, reman.", "110.00", "35.00"),
        ("FU-30", "Fuse, 30 A", "0.50", "0"),
        ("BL-H11", "Headlight bulb H11", "9.00", "0"),
    ], "L"),
    ("Cooling", "Gates", [
        ("CL-50-G", "Long-life coolant 50/50 (gal)", "9.00", "0"),
        ("TH-180", "Thermostat, 180°F", "16.00", "0"),
        ("WP-77", "Water pump", "52.00", "0"),
        ("RH-U", "Radiator hose, upper", "14.00", "0"),
    ], "C"),
    ("Suspension", "Moog", [
        ("ST-F", "Strut assembly, front", "88.00", "0"),
        ("TR-E", "Tie rod end, outer", "23.00", "0"),
        ("BJ-L", "Ball joint, lower", "26.00", "0"),
        ("SL-K", "Sway bar link", "14.00", "0"),
    ], "S"),
    ("HVAC", "Four Seasons", [
        ("R134", "Refrigerant R-134a (lb)", "12.00", "0"),
        ("AC-CMP", "A/C compressor", "210.00", "60.00"),
        ("OR-K", "A/C O-ring kit", "3.00", "0"),
    ], "H"),
    ("Drivetrain", "GSP", [
        ("CV-NCV", "CV axle, front", "62.00", "20.00"),
        ("WB-513", "Wheel bearing and hub assembly", "58.00", "0"),
        ("UJ-369", "U-joint", "14.00", "0"),
    ], "D"),
    ("Exhaust", "Walker", [
        ("MF-21", "Muffler", "48.00", "0"),
        ("EG-31", "Exhaust gasket", "3.40", "0"),
        ("EC-2", "Exhaust clamp, 2 in", "4.20", "0"),
    ], "X"),
    ("Steering", "Cardone", [
        ("PSP-20", "Power steering pump, reman.", "74.00", "30.00"),
        ("RK-22", "Steering rack, reman.", "165.00", "75.00"),
        ("PSF-Q", "Power steering fluid (qt)", "5.20", "0"),
    ], "R"),
    ("Fuel", "Bosch", [
        ("FF-33", "Fuel filter", "9.50", "0"),
        ("FP-E", "Fuel pump module", "118.00", "0"),
    ], "F"),
    ("Maintenance", "Gates", [
        ("SB-K06", "Serpentine belt", "19.00", "0"),
    ], "G"),
]  # fmt: skip

# Sizes and fitments that turn each family into the many numbers a real shelf has.
VARIANTS = {
    "OF-2215": [
        "51394",
        "57099",
        "51334",
        "57712",
        "51361",
        "57202",
        "51348",
        "51356",
        "57060",
        "57045",
        "51516",
        "51042",
        "57502",
        "51085",
    ],
    "AF-771": ["49013", "46884", "49466", "42890", "49186", "46816"],
    "CF-310": ["24013", "24483", "24815", "24880", "24007"],
    "WB-22": ["16", "17", "18", "19", "20", "21", "24", "26"],
    "OIL-5W30-Q": ["0W20", "5W20", "10W30", "0W16", "5W40"],
    "BP-D1210": [
        "D1293",
        "D1378",
        "D1391",
        "D1520",
        "D1596",
        "D1719",
        "D1211",
        "D1338",
        "D1367",
        "D1444",
        "D1602",
        "D1084",
        "D914",
        "D1539",
    ],
    "BP-D1100": ["D1161", "D1274", "D1398", "D1451", "D1057", "D1086"],
    "RT-5521": [
        "5512",
        "5535",
        "5590",
        "5611",
        "5702",
        "5744",
        "5531",
        "5583",
        "5607",
        "5642",
        "5688",
        "5719",
        "5732",
    ],
    "CAL-20": ["20-3041", "20-3316", "20-3598", "20-4233"],
    "TR-2256017": ["2055516", "2156016", "2356517", "2454518", "2657016", "1956515"],
    "TPMS-5": ["315", "433", "AUDI", "GM"],
    "SP-IR5": [
        "IZFR6K11",
        "DILKAR7B11",
        "LFR5A11",
        "BKR6EIX",
        "LZKAR6",
        "ILKAR7",
        "BKR5E",
        "ZFR5F",
        "LTR6",
    ],
    "IC-88": ["52", "71", "106", "134", "155"],
    "O2-234": ["4046", "4112", "9386", "13541", "15003"],
    "BAT-H6": ["H5", "H7", "H8", "24F", "35", "65", "75", "51R"],
    "ALT-12": ["11016", "11266", "13992", "14025"],
    "ST-9": ["17906", "19013", "19233"],
    "BL-H11": ["H4", "H13", "9012", "7440", "9005", "9006", "H7", "7443", "194", "3157"],
    "TH-180": ["192", "195", "160", "RAD10"],
    "WP-77": ["41018", "41161", "42289", "43526"],
    "RH-U": ["L", "B", "H"],
    "ST-F": ["72355", "72491", "171676", "172287"],
    "TR-E": ["ES3493", "ES800046", "ES80976"],
    "BJ-L": ["K500144", "K80996", "K500221"],
    "SL-K": ["K80246", "K750106", "K90662"],
    "CV-NCV": ["10001", "10024", "10152", "10217", "11002", "36001", "47001", "53012", "66001"],
    "WB-513": ["513044", "513121", "513196", "512029", "515036", "513087", "518507"],
    "UJ-369": ["354", "331", "1330"],
    "MF-21": ["18869", "21357", "22049", "18195"],
    "EG-31": ["31353", "31589", "31622", "31720"],
    "EC-2": ["175", "250"],
    "PSP-20": ["20-1000", "21-5256"],
    "RK-22": ["22-1005", "26-2125"],
    "FF-33": ["33481", "33615", "33985", "3037"],
    "FP-E": ["E3902M", "E7182M", "E8213M", "E2157M"],
    "SB-K06": [
        "K060840",
        "K060923",
        "K060882",
        "K061005",
        "K060865",
        "K040363",
        "K050325",
        "K060935",
        "K060985",
        "K061035",
        "K070615",
        "K060760",
    ],
    "GK-VC": ["VS50504R", "VS50665R", "VS50719R", "VS50447"],
    "TB-55": ["TCKWP329", "TCKWP257", "TCKWP284"],
    "CL-50-G": ["DEX", "ASIA", "EURO"],
    "BF-DOT3": ["DOT4"],
    "HW-88": ["H5617", "H5646", "H15888", "H5858"],
    "AC-CMP": ["58145", "97391", "98466"],
    "R134": ["1234YF"],
    "OR-K": ["MT2540"],
}

EXTRA_ITEMS = [
    # number, description, kind, category, fixed price
    ("LABOR", "Labor", LineKind.LABOR, "", None),
    ("LAB-DIAG", "Diagnosis, one hour", LineKind.LABOR, "Engine", "139.00"),
    ("ENV", "Oil disposal fee", LineKind.FEE, "Maintenance", "3.50"),
    ("SHOP-SUP", "Shop supplies", LineKind.FEE, "", "4.95"),
    ("TIRE-DISP", "Tire disposal fee", LineKind.FEE, "Tires", "4.00"),
    ("SUB-ALIGN", "Four-wheel alignment (sublet)", LineKind.SUBLET, "Suspension", "99.00"),
    ("SUB-MACH", "Machine shop: resurface flywheel (sublet)", LineKind.SUBLET, "Engine", "65.00"),
    ("SUB-GLASS", "Windshield replacement (sublet)", LineKind.SUBLET, "", "329.00"),
]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def demo_catalog(rng: random.Random) -> list[Part]:
    """The demo catalog's items, unsaved: each family's number and its variants."""
    parts: list[Part] = []
    for category, brand, items, bin_prefix in FAMILIES:
        for shelf, (number, description, cost, core) in enumerate(items, start=1):
            base_cost = Decimal(cost)
            names = [(number, description, base_cost)]
            stem = number.split("-")[0]
            for variant in VARIANTS.get(number, []):
                factor = Decimal(rng.randint(85, 130)) / 100
                names.append(
                    (f"{stem}-{variant}", f"{description} ({variant})", _cents(base_cost * factor))
                )
            for index, (part_number, text, part_cost) in enumerate(names):
                fast = part_cost < 40
                parts.append(
                    Part(
                        number=part_number,
                        number_key=number_key(part_number),
                        description=text[:200],
                        kind=LineKind.PART,
                        category=category,
                        brand=brand,
                        cost=part_cost,
                        average_cost=part_cost,
                        core_charge=Decimal(core),
                        taxable=True,
                        stocked=fast or index == 0,
                        bin_location=f"{bin_prefix}{shelf}-{index + 1:02d}",
                        reorder_point=Decimal(rng.choice([2, 3, 4, 6]) if fast else 1),
                        reorder_quantity=Decimal(rng.choice([4, 6, 10, 12]) if fast else 2),
                    )
                )
    for number, description, kind, category, price in EXTRA_ITEMS:
        parts.append(
            Part(
                number=number,
                number_key=number_key(number),
                description=description,
                kind=kind,
                category=category,
                fixed_price=Decimal(price) if price else None,
                taxable=TAXABLE_BY_DEFAULT[kind],
                stocked=False,
            )
        )
    return parts


@transaction.atomic
def seed_demo(stdout) -> dict:
    """The demo catalog, once: nothing is added when the catalog has parts already."""
    if not PricingBand.objects.exists():
        PricingBand.objects.bulk_create(
            PricingBand(
                cost_from=Decimal(low),
                cost_to=Decimal(high) if high else None,
                method=method,
                percent=Decimal(percent),
            )
            for low, high, method, percent in DEMO_MATRIX
        )
    vendors = []
    for name, account, contact, phone, email, _prefix in VENDORS:
        vendor, _ = Vendor.objects.get_or_create(
            name=name,
            defaults={
                "account_number": account,
                "contact_name": contact,
                "phone": phone,
                "email": email,
            },
        )
        vendors.append(vendor)
    if Part.objects.exists():
        return {}
    rng = random.Random(19)
    parts = Part.objects.bulk_create(demo_catalog(rng))
    vendor_parts = []
    movements = []
    now = timezone.now()
    for part in parts:
        if part.kind != LineKind.PART:
            continue
        for vendor, (*_, prefix) in zip(vendors, VENDORS, strict=True):
            if vendor is vendors[1] and rng.random() < 0.4:
                continue  # the second vendor does not carry everything
            factor = Decimal(rng.randint(92, 108)) / 100
            vendor_number = f"{prefix}-{part.number_key}"
            vendor_parts.append(
                VendorPart(
                    vendor=vendor,
                    part=part,
                    vendor_number=vendor_number,
                    vendor_number_key=number_key(vendor_number),
                    cost=_cents(part.cost * factor),
                )
            )
        if part.stocked:
            # Most shelves hold a few more than the reorder point; some have run low.
            quantity = part.reorder_point + rng.choice([-2, -1, 0, 1, 2, 3, 4, 6])
            if quantity > 0:
                movements.append(
                    StockMovement(
                        part=part,
                        kind=StockMovement.Kind.RECEIVED,
                        quantity=quantity,
                        unit_cost=part.cost,
                        reason="Opening stock",
                        at=now,
                    )
                )
    VendorPart.objects.bulk_create(vendor_parts)
    StockMovement.objects.bulk_create(movements)
    from parts.purchasing_seeding import demo_open_order

    order = demo_open_order(vendors[0])
    stdout.write(f"  parts: {len(parts)} catalog items, {len(vendors)} vendors")
    if order is not None:
        stdout.write(f"  parts: open purchase order #{order.pk} to {order.vendor}")
    return {}


BENCH_PARTS = 200_000
BENCH_WORDS = [
    "filter", "pad", "rotor", "sensor", "gasket", "hose", "belt", "pump", "bearing", "seal",
    "bushing", "mount", "switch", "relay", "valve", "clamp", "bolt", "kit", "lamp", "cable",
]  # fmt: skip
BENCH_FITS = ["front", "rear", "left", "right", "upper", "lower", "inner", "outer"]


def _bench_rows(rng: random.Random, start: int, stop: int):
    """The bench catalog's parts from `start` to `stop`, as column tuples (BENCH_COLUMNS).
    The random draws are the same, in the same order, as the catalog has always had."""
    categories = [family[0] for family in FAMILIES]
    prefixes = ["AC", "BS", "DN", "FM", "GT", "MG", "MO", "NG", "SK", "WX"]
    brands = ["Wix", "Moog", "Gates", "Dorman", "Bosch", "Denso"]
    now = timezone.now()
    one, two, zero = Decimal(1), Decimal(2), Decimal("0.00")
    for index in range(start, stop):
        number = f"{rng.choice(prefixes)}-{index:06d}{rng.choice('ABCDEFGH')}"
        word = rng.choice(BENCH_WORDS)
        cost = Decimal(rng.randint(50, 40000)) / 100
        description = f"{word.capitalize()}, {rng.choice(BENCH_FITS)} {rng.randint(1, 99)}"
        category = rng.choice(categories)
        brand = rng.choice(brands)
        yield (
            number, number_key(number), description, LineKind.PART, category, brand,
            cost, cost, zero, True, index % 5 == 0, "", one, two, True, now, now,
        )  # fmt: skip


BENCH_COLUMNS = [
    "number", "number_key", "description", "kind", "category", "brand", "cost",
    "average_cost", "core_charge", "taxable", "stocked", "bin_location", "reorder_point",
    "reorder_quantity", "is_active", "created_at", "updated_at",
]  # fmt: skip
WORDS_INDEX = "part_search_words"


def _bench_copy(rows) -> None:
    """PostgreSQL: the rows in one COPY, with the index of the search text's words
    (migration 0006) built once afterwards rather than kept up row by row (what made the
    ORM's inserts take minutes). Built again from its own definition, so the words the
    typeahead finds are those of the rows written."""
    table = Part._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [table, WORDS_INDEX],
        )
        found = cursor.fetchone()
        if found:
            cursor.execute(f"DROP INDEX {WORDS_INDEX}")
        with cursor.copy(f"COPY {table} ({', '.join(BENCH_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if found:
            cursor.execute(found[0])
        cursor.execute(f"ANALYZE {table}")


BENCH_STOCK_REASON = "Opening stock (bench)"
MOVEMENT_COLUMNS = ["part_id", "kind", "quantity", "unit_cost", "reason", "at"]


def _bench_movements(rng: random.Random) -> list[tuple]:
    """Stock for the bench catalog's stocked parts: an opening receipt a year or two ago,
    and for most a sale or two since (some long ago, so dead stock has rows), as columns
    of MOVEMENT_COLUMNS."""
    now = timezone.now()
    rows: list[tuple] = []
    stocked = (
        Part.objects.filter(
            kind=LineKind.PART, stocked=True, bin_location="", movements__isnull=True
        )
        .order_by("pk")
        .values_list("pk", "cost")
    )
    for part_id, cost in stocked.iterator(chunk_size=5000):
        received = Decimal(rng.randint(1, 12))
        opened = now - timedelta(days=rng.randint(400, 800))
        rows.append((part_id, StockMovement.Kind.RECEIVED, received, cost, BENCH_STOCK_REASON,
                     opened))  # fmt: skip
        for _ in range(rng.choice([0, 1, 1, 2])):
            sold = Decimal(-rng.randint(1, 2))
            rows.append((part_id, StockMovement.Kind.SOLD, sold, cost, "Counter sale (bench)",
                         opened + timedelta(days=rng.randint(1, 399))))  # fmt: skip
    return rows


def _bench_stock(stdout) -> None:
    if StockMovement.objects.filter(reason=BENCH_STOCK_REASON).exists():
        return
    rows = _bench_movements(random.Random(1919))  # its own draws: the catalog stays the same
    if connection.vendor == "postgresql":
        table = StockMovement._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(MOVEMENT_COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        StockMovement.objects.bulk_create(
            (StockMovement(**dict(zip(MOVEMENT_COLUMNS, row, strict=True))) for row in rows),
            batch_size=5000,
        )
    stdout.write(f"  parts: {len(rows)} bench stock movements")


BENCH_SALE_REASON = "Sold on a work order (bench)"
BENCH_WORK_ORDER_SALES = 60_000


def _bench_work_order_sales(stdout) -> None:
    """The newest invoices' part lines (up to BENCH_WORK_ORDER_SALES) came from the bench
    catalog: each is linked to a stocked part (a PartLine, as the editor's typeahead writes
    it) and took it off the shelf at its bill-out (a sale movement of its work order), so
    the parts reports and the work orders' stock run on the bench shop's own history."""
    if StockMovement.objects.filter(reason=BENCH_SALE_REASON).exists():
        return
    shelf = list(
        Part.objects.filter(
            kind=LineKind.PART,
            stocked=True,
            bin_location="",
            movements__reason=BENCH_STOCK_REASON,  # the bench catalog's shelf, stocked above
        )
        .order_by("pk")
        .values_list("pk", "cost")
    )
    if not shelf:
        return
    lines = (
        Line.objects.filter(
            kind=LineKind.PART,
            work_order__closed_at__isnull=False,
            part_line__isnull=True,
            quantity__gt=0,
        )
        .order_by("-work_order__closed_at", "-id")
        .values_list("pk", "work_order_id", "quantity", "unit_price", "work_order__closed_at")
    )[:BENCH_WORK_ORDER_SALES]
    part_lines, movements = [], []
    for line_id, work_order_id, quantity, price, closed_at in lines.iterator(chunk_size=5000):
        part_id, cost = shelf[line_id % len(shelf)]
        part_lines.append((line_id, part_id, price, closed_at))
        movements.append(
            (part_id, StockMovement.Kind.SOLD, -quantity, cost, BENCH_SALE_REASON, closed_at,
             work_order_id)
        )  # fmt: skip
    line_columns = ["line_id", "part_id", "catalog_price", "added_at"]
    movement_columns = [*MOVEMENT_COLUMNS, "work_order_id"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model, columns, rows in (
                (PartLine, line_columns, part_lines),
                (StockMovement, movement_columns, movements),
            ):
                table = model._meta.db_table
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
    else:
        PartLine.objects.bulk_create(
            (PartLine(**dict(zip(line_columns, row, strict=True))) for row in part_lines),
            batch_size=5000,
        )
        StockMovement.objects.bulk_create(
            (StockMovement(**dict(zip(movement_columns, row, strict=True))) for row in movements),
            batch_size=5000,
        )
    stdout.write(f"  parts: {len(movements)} invoice part lines sold from the bench catalog")


def _analyze() -> None:
    """Fresh planner statistics for the parts tables (a table seeded in one go, or left
    empty, otherwise waits for autovacuum and gets guessed plans meanwhile)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Part, VendorPart, StockMovement, PartLine):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


@transaction.atomic
def seed_bench(stdout, *, rng: random.Random) -> None:
    """The demo catalog, then vendors' catalogs up to 200,000 parts (skipped when there),
    then stock on the bench parts' shelves."""
    seed_demo(stdout)
    have = Part.objects.count()
    if have < BENCH_PARTS:
        _bench_parts(stdout, rng, have)
    _bench_stock(stdout)
    _bench_work_order_sales(stdout)
    _analyze()


def _bench_parts(stdout, rng: random.Random, have: int) -> None:
    rows = _bench_rows(rng, have, BENCH_PARTS)
    if connection.vendor == "postgresql":
        _bench_copy(rows)
    else:
        columns = BENCH_COLUMNS[:-2]  # the timestamps are the model's own
        batch: list[Part] = []
        for row in rows:
            batch.append(Part(**dict(zip(columns, row[:-2], strict=True))))
            if len(batch) == 5000:
                Part.objects.bulk_create(batch)
                batch = []
        Part.objects.bulk_create(batch)
    stdout.write(f"  parts: {BENCH_PARTS - have} bench parts")
