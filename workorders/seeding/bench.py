"""The benchmark shop: 250,000 work orders over ten years, written with COPY."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from customers.models import Vehicle
from shop.models import User
from shop.selectors import shop_profile_get
from workorders import selectors
from workorders.models import (
    TAXABLE_BY_DEFAULT,
    Job,
    Line,
    LineKind,
    Stage,
    Status,
    StatusChange,
    WorkOrder,
)
from workorders.seeding.board import board_day_ensure
from workorders.seeding.catalog import statuses_ensure
from workorders.seeding.demo import seed_demo

BENCH_WORK_ORDERS = 250_000
HISTORY_VISITS = 40  # the ten-year customer's vehicle: four visits a year
CATEGORIES = [
    # category, labor description, parts: (part #, description, cost cents, price cents)
    ("Maintenance", "Change oil and filter", [("OF-2215", "Oil filter", 380, 1299),
     ("OIL-5W30-Q", "5W-30 oil (qt)", 410, 949), ("AF-771", "Air filter", 700, 2499),
     ("CF-310", "Cabin filter", 650, 2899), ("WB-22", "Wiper blade", 600, 1799)]),
    ("Brakes", "Replace pads and rotors", [("BP-D1210", "Brake pads, front", 2800, 6499),
     ("RT-5521", "Brake rotor", 3100, 7499), ("HW-88", "Hardware kit", 310, 995),
     ("BF-DOT3", "Brake fluid", 450, 1299), ("CAL-20", "Caliper, reman.", 4200, 9899)]),
    ("Tires", "Mount and balance", [("TR-2256017", "Tire 225/60R17", 9200, 15999),
     ("VS-1", "Valve stem", 90, 500), ("WT-STICK", "Wheel weights", 120, 600),
     ("TPMS-5", "TPMS sensor", 2100, 5999)]),
    ("Engine", "Diagnose and repair", [("SP-IR5", "Spark plug", 450, 1399),
     ("IC-88", "Ignition coil", 3100, 8999), ("O2-234", "Oxygen sensor", 3900, 11999),
     ("GK-VC", "Valve cover gasket", 1800, 4999), ("TB-55", "Timing belt kit", 9000, 22999)]),
    ("Electrical", "Test and replace", [("BAT-H6", "Battery H6", 11800, 18999),
     ("ALT-12", "Alternator, reman.", 14000, 32999), ("ST-9", "Starter, reman.", 11000, 27999),
     ("FU-30", "Fuse", 50, 300), ("BL-H11", "Headlight bulb", 900, 2499)]),
    ("Cooling", "Service cooling system", [("CL-50-G", "Coolant (gal)", 900, 2199),
     ("TH-180", "Thermostat", 1600, 4499), ("WP-77", "Water pump", 5200, 13999),
     ("RH-U", "Radiator hose", 1400, 3799)]),
    ("Suspension", "Replace and align", [("ST-F", "Strut assembly", 8800, 18999),
     ("TR-E", "Tie rod end", 2300, 5999), ("BJ-L", "Ball joint", 2600, 6999),
     ("SL-K", "Sway bar link", 1400, 3499)]),
    ("HVAC", "Service A/C", [("R134", "Refrigerant (lb)", 1200, 3999),
     ("AC-CMP", "A/C compressor", 21000, 48999), ("OR-K", "O-ring kit", 300, 1299)]),
]  # fmt: skip


def _cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def _half_up_div(numerator: int, denominator: int) -> int:
    return (numerator * 2 + denominator) // (denominator * 2)


@dataclass
class _Ids:
    work_order: int
    job: int
    line: int
    change: int


def _next_ids() -> _Ids:
    def top(model) -> int:
        return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    return _Ids(top(WorkOrder), top(Job), top(Line), top(StatusChange))


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (WorkOrder, Job, Line, StatusChange):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


class _Writer:
    """Rows out to PostgreSQL with COPY, or bulk_create elsewhere (small runs in tests)."""

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.columns = columns
        self.rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def flush(self) -> int:
        count = len(self.rows)
        if not count:
            return 0
        if connection.vendor == "postgresql":
            table = self.model._meta.db_table
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(self.columns)}) FROM STDIN") as copy,
            ):
                for row in self.rows:
                    copy.write_row(row)
        else:
            objects = [self.model(**dict(zip(self.columns, row, strict=True))) for row in self.rows]
            self.model.objects.bulk_create(objects, batch_size=500)
        self.rows = []
        return count


def seed_work_orders(
    stdout, *, rng: random.Random, total: int, years: int = 10, history_visits: int = 0
) -> dict[str, int]:
    """Write `total` work orders (about ten lines each) over `years` years."""
    statuses = statuses_ensure()
    row = selectors.workorder_settings_get()
    by_stage: dict[str, list[Status]] = {}
    for status in statuses.values():
        by_stage.setdefault(row.stage_for(status.number) or "", []).append(status)
    billed = statuses[17]
    profile = shop_profile_get()
    rate_thousandths = int(profile.tax_rate * 1000)
    labor_cents = int((row.labor_rate or profile.labor_rate or Decimal("139")) * 100)
    vehicles = list(
        Vehicle.objects.filter(is_active=True).order_by("id").values_list("id", "customer_id")
    )
    if not vehicles:
        raise RuntimeError("seed the customers' bench vehicles first")
    staff = list(User.objects.exclude(role="").values_list("id", "role"))
    advisors = [pk for pk, role in staff if role != User.Role.TECHNICIAN] or [None]
    techs = [pk for pk, role in staff if role == User.Role.TECHNICIAN] or [None]
    now = timezone.now()
    span = timedelta(days=365 * years).total_seconds()
    # The ten-year customer's vehicle gets its visits first, then everyone else.
    history_vehicle = vehicles[0]
    stamps = sorted(rng.random() * span for _ in range(total))
    visits = set(rng.sample(range(total), min(history_visits, total)))
    owners = [history_vehicle if i in visits else rng.choice(vehicles) for i in range(total)]

    ids = _next_ids()
    wo_cols = [
        "id", "customer_id", "vehicle_id", "advisor_id", "default_technician_id", "status_id",
        "stage", "status_entered_at", "concern", "odometer_in", "odometer_out", "promised_at",
        "priority", "version", "labor_total", "parts_total", "fees_total", "sublet_total",
        "discount_total", "taxable_total", "tax_rate", "tax_total", "grand_total", "created_at",
        "updated_at", "closed_at", "closed_by_id",
    ]  # fmt: skip
    job_cols = [
        "id", "work_order_id", "position", "title", "category", "package_id", "technician_id",
        "customer_notes", "internal_notes", "approval", "approval_by", "approval_at",
        "approval_method",
    ]  # fmt: skip
    line_cols = [
        "id", "work_order_id", "job_id", "position", "kind", "category", "part_number",
        "description", "quantity", "unit_cost", "unit_price", "discount", "taxable",
        "technician_id", "amount", "added_by_rule",
    ]  # fmt: skip
    change_cols = [
        "id", "work_order_id", "kind", "from_status_id", "to_status_id", "changed_by_id",
        "changed_at", "seconds_in_previous", "note",
    ]  # fmt: skip
    writers = {
        "work_orders": _Writer(WorkOrder, wo_cols),
        "jobs": _Writer(Job, job_cols),
        "lines": _Writer(Line, line_cols),
        "changes": _Writer(StatusChange, change_cols),
    }
    counts = dict.fromkeys(writers, 0)
    taxable = {kind: TAXABLE_BY_DEFAULT[kind] for kind in LineKind}
    rate_text = f"{profile.tax_rate:.3f}"
    written_status = by_stage[Stage.ESTIMATE][0]
    open_statuses = by_stage[Stage.ESTIMATE] + by_stage[Stage.REPAIR_ORDER]
    for index in range(total):
        vehicle_id, customer_id = owners[index]
        created = now - timedelta(seconds=span - stamps[index])
        age_days = (now - created).days
        closed = age_days > 3 or rng.random() < 0.5
        status = billed if closed else rng.choice(open_statuses)
        stage = row.stage_for(status.number)
        advisor = rng.choice(advisors)
        tech = rng.choice(techs)
        wo_id = ids.work_order
        ids.work_order += 1
        sums = {"labor": 0, "part": 0, "fee": 0, "sublet": 0}
        taxable_cents = 0
        for job_position in range(1, rng.choice((1, 2, 2, 2, 3, 3)) + 1):
            category, labor_text, parts = rng.choice(CATEGORIES)
            job_id = ids.job
            ids.job += 1
            approval = "approved" if stage != Stage.ESTIMATE else "pending"
            writers["jobs"].add((
                job_id, wo_id, job_position, f"{category}: {labor_text.lower()}", category,
                None, None, "", "", approval, "" if approval == "pending" else "Advisor",
                created if approval != "pending" else None,
                "" if approval == "pending" else "estimate",  # the estimate's authorization
            ))  # fmt: skip
            hours = rng.choice((30, 50, 80, 100, 120, 150, 200, 250))
            line_specs = [("labor", "LAB", labor_text, hours, 0, labor_cents)]
            for part in rng.sample(parts, min(len(parts), rng.randint(2, 5))):
                line_specs.append(("part", part[0], part[1], rng.choice((100, 100, 200, 400)),
                                   part[2], part[3]))  # fmt: skip
            if rng.random() < 0.2:
                line_specs.append(("fee", "SUP", "Shop supplies", 100, 0, 495))
            for position, (kind, number, text, qty, cost, price) in enumerate(line_specs, 1):
                amount = _half_up_div(qty * price, 100)
                sums[kind] += amount
                if taxable[kind]:
                    taxable_cents += amount
                writers["lines"].add((
                    ids.line, wo_id, job_id, position, kind, category, number, text,
                    _cents(qty), _cents(cost), _cents(price), "0.00", taxable[kind],
                    tech if kind == "labor" else None, _cents(amount), False,
                ))  # fmt: skip
                ids.line += 1
        tax = _half_up_div(taxable_cents * rate_thousandths, 100_000)
        subtotal = sum(sums.values())
        odometer = 15_000 + (years * 365 - age_days) * 35 + rng.randint(0, 3000)
        closed_at = created + timedelta(hours=rng.randint(2, 9)) if closed else None
        writers["work_orders"].add((
            wo_id, customer_id, vehicle_id, advisor, tech, status.pk, stage,
            closed_at or created, "", odometer, odometer if closed else None, None,
            2, 1, _cents(sums["labor"]), _cents(sums["part"]), _cents(sums["fee"]),
            _cents(sums["sublet"]), "0.00", _cents(taxable_cents), rate_text, _cents(tax),
            _cents(subtotal + tax), created, closed_at or created, closed_at,
            advisor if closed else None,
        ))  # fmt: skip
        writers["changes"].add(
            (ids.change, wo_id, "created", None, written_status.pk, advisor, created, None, "")
        )
        ids.change += 1
        if status.pk != written_status.pk:
            moved = closed_at or created + timedelta(minutes=30)
            writers["changes"].add((
                ids.change, wo_id, "changed", written_status.pk, status.pk, advisor, moved,
                int((moved - created).total_seconds()), "",
            ))  # fmt: skip
            ids.change += 1
        if index % 20_000 == 19_999 or index == total - 1:
            # Parents before children: the foreign keys are checked row by row.
            for name in ("work_orders", "jobs", "lines", "changes"):
                counts[name] += writers[name].flush()
    _reset_sequences()
    return counts


def seed_bench(stdout, *, rng: random.Random) -> None:
    seed_demo(stdout)
    existing = WorkOrder.objects.count()
    missing = BENCH_WORK_ORDERS - existing
    if missing <= 0:
        board_day_ensure(stdout, rng=rng)
        return
    with transaction.atomic():
        counts = seed_work_orders(
            stdout,
            rng=rng,
            total=missing,
            history_visits=HISTORY_VISITS if existing < 1000 else 0,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (WorkOrder, Job, Line, StatusChange):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    stdout.write(
        f"  workorders: {counts['work_orders']} work orders, {counts['jobs']} jobs, "
        f"{counts['lines']} lines, {counts['changes']} status changes"
    )
    board_day_ensure(stdout, rng=rng)
