"""The work-order app's part of the demo shop and the benchmark shop.

The demo gets the standard statuses 1-17, a handful of packages and a lively
day at the counter: appointments, estimates waiting for approval, repair
orders in the bays, invoices billed out, and a few years of history.

The bench gets 250,000 work orders with about 2.5 million lines over ten years
across the customers app's bench vehicles, written with PostgreSQL's COPY.
Seeded history is data, not behaviour: it is written directly (totals by the
same rounding rule as the services) and publishes no events, so no customer
is texted about a repair from 2017.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from customers.models import Customer, Vehicle
from shop.models import User
from shop.services import shop_profile_get
from workorders import services
from workorders.models import (
    TAXABLE_BY_DEFAULT,
    Appointment,
    Job,
    Line,
    LineKind,
    Package,
    PackageLine,
    Stage,
    Status,
    StatusChange,
    WorkOrder,
)
from workorders.services.work_orders import first_status, totals_refresh

# number, name, colour, time display, default minutes, send customer update
STANDARD_STATUSES = [
    (1, "Estimate", "#475569", "open", None, False),
    (2, "Waiting for Approval", "#b45309", "count_up", None, True),
    (3, "Estimate Sent", "#7c3aed", "count_up", None, False),
    (4, "Customer Declined", "#991b1b", "open", None, False),
    (5, "Appointment Set", "#0369a1", "open", None, True),
    (6, "Approved", "#15803d", "count_down", 30, True),
    (7, "In Progress", "#1d4ed8", "count_down", 120, False),
    (8, "Waiting for Parts", "#c2410c", "count_up", None, True),
    (9, "Diagnosis", "#6d28d9", "count_down", 60, False),
    (10, "Waiting for Technician", "#a16207", "count_up", None, False),
    (11, "Road Test", "#0e7490", "count_down", 20, False),
    (12, "Sublet Out", "#9d174d", "count_up", None, False),
    (13, "Quality Check", "#4d7c0f", "count_down", 15, False),
    (14, "Washing", "#0f766e", "count_down", 20, False),
    (15, "On Hold", "#7f1d1d", "count_up", None, False),
    (16, "Ready for Pickup", "#166534", "count_up", None, True),
    (17, "Billed Out", "#111827", "open", None, True),
]

UPDATE_TEMPLATES = {
    2: "Hi {customer}, the estimate for your {vehicle} is ready for your approval. — {shop}",
    5: "Hi {customer}, your appointment for your {vehicle} is set. — {shop}",
    6: "Hi {customer}, thanks for approving the work on your {vehicle}. We're on it. — {shop}",
    8: "Hi {customer}, we're waiting on parts for your {vehicle}; we'll keep you posted. — {shop}",
    16: "Hi {customer}, your {vehicle} is ready for pickup. — {shop}",
    17: "Thank you, {customer}! Your invoice for your {vehicle} is closed. — {shop}",
}

# name, category, description, lines: (kind, part #, description, qty, cost, price or None)
PACKAGES = [
    ("Oil change, synthetic", "Maintenance", "Up to 5 quarts of full synthetic, new filter.", [
        ("labor", "LAB-OIL", "Change oil and filter, check fluids", "0.5", "0", None),
        ("part", "OIL-5W30-Q", "5W-30 full synthetic oil (qt)", "5", "4.10", "9.49"),
        ("part", "OF-2215", "Oil filter", "1", "3.80", "12.99"),
        ("fee", "ENV", "Oil disposal fee", "1", "0", "3.50"),
    ]),
    ("Front brakes", "Brakes", "Front pads, resurface rotors, clean and lube slides.", [
        ("labor", "LAB-BRK-F", "Replace front pads, resurface rotors", "1.5", "0", None),
        ("part", "BP-D1210", "Ceramic brake pads, front", "1", "28.00", "64.99"),
        ("part", "HW-88", "Brake hardware kit", "1", "3.10", "9.95"),
    ]),
    ("Rear brakes", "Brakes", "Rear pads and rotors.", [
        ("labor", "LAB-BRK-R", "Replace rear pads and rotors", "1.8", "0", None),
        ("part", "BP-D1100", "Ceramic brake pads, rear", "1", "26.00", "59.99"),
        ("part", "RT-5521", "Brake rotor, rear", "2", "31.00", "74.99"),
    ]),
    ("Tire rotation and balance", "Tires", "Rotate four tires, balance, set pressures.", [
        ("labor", "LAB-TIRE", "Rotate and balance four tires", "0.8", "0", None),
        ("part", "WT-STICK", "Wheel weights", "1", "1.20", "6.00"),
    ]),
    ("Battery replacement", "Electrical", "Test charging system, replace battery.", [
        ("labor", "LAB-BAT", "Replace battery, test charging system", "0.4", "0", None),
        ("part", "BAT-H6", "Battery, group H6, 760 CCA", "1", "118.00", "189.99"),
        ("fee", "CORE", "Battery core charge", "1", "0", "18.00"),
    ]),
    ("Coolant flush", "Cooling", "Flush and refill with long-life coolant.", [
        ("labor", "LAB-COOL", "Flush cooling system", "1.0", "0", None),
        ("part", "CL-50-G", "Long-life coolant 50/50 (gal)", "2", "9.00", "21.99"),
    ]),
    ("Check engine light diagnosis", "Engine", "Scan, test and report.", [
        ("labor", "LAB-DIAG", "Diagnose check engine light", "1.0", "0", None),
    ]),
]  # fmt: skip

DEMO_NOTE = "Demo shop"


@transaction.atomic
def statuses_ensure() -> dict[int, Status]:
    """The standard 1-17 statuses, created where missing; the shop's edits are kept."""
    existing = {s.number: s for s in Status.objects.all()}
    for number, name, colour, display, minutes, send in STANDARD_STATUSES:
        if number not in existing:
            existing[number] = Status.objects.create(
                number=number,
                name=name,
                colour=colour,
                time_display=display,
                default_minutes=minutes,
                send_customer_update=send,
                message_template=UPDATE_TEMPLATES.get(number, ""),
            )
    return existing


def packages_ensure() -> dict[str, Package]:
    packages = {p.name: p for p in Package.objects.all()}
    for name, category, description, lines in PACKAGES:
        if name in packages:
            continue
        package = Package.objects.create(name=name, category=category, description=description)
        for position, (kind, number, text, qty, cost, price) in enumerate(lines, start=1):
            PackageLine.objects.create(
                package=package,
                position=position,
                kind=kind,
                part_number=number,
                description=text,
                quantity=Decimal(qty),
                unit_cost=Decimal(cost),
                unit_price=Decimal(price) if price else None,
            )
        packages[name] = package
    return packages


def _demo_vehicles() -> list[Vehicle]:
    vehicles = list(
        Vehicle.objects.filter(is_active=True).select_related("customer").order_by("id")[:40]
    )
    if vehicles:
        return vehicles
    # The customers app made none (it normally does, before this runs): a few of our own.
    for first, last, year, make, model, plate in [
        ("Maria", "Gonzalez", 2017, "Honda", "Accord", "MRG417"),
        ("James", "Whitfield", 2014, "Ford", "F-150", "JW4410"),
        ("Grace", "Liu", 2023, "Honda", "Civic", "GL23"),
    ]:
        customer, _ = Customer.objects.get_or_create(
            first_name=first, last_name=last, defaults={"city": "Springfield", "state": "IL"}
        )
        Vehicle.objects.get_or_create(
            customer=customer, plate=plate, defaults={"year": year, "make": make, "model": model}
        )
    return list(Vehicle.objects.filter(is_active=True).select_related("customer").order_by("id"))


def _close_quietly(work_order: WorkOrder, status: Status, by: User | None, at: datetime) -> None:
    """Bill a seeded work order out as the services would, without publishing events."""
    work_order = WorkOrder.objects.get(pk=work_order.pk)
    totals_refresh(work_order)
    previous = work_order.status
    StatusChange.objects.create(
        work_order=work_order,
        from_status=previous,
        to_status=status,
        changed_by=by,
        changed_at=at,
        seconds_in_previous=max(0, int((at - work_order.status_entered_at).total_seconds())),
    )
    Job.objects.filter(work_order=work_order).update(
        approval=Job.Approval.APPROVED, approval_by=str(by or ""), approval_at=at
    )
    work_order.status = status
    work_order.stage = Stage.INVOICE
    work_order.status_entered_at = at
    work_order.closed_at = at
    work_order.closed_by = by
    work_order.odometer_out = work_order.odometer_in
    work_order.version += 1
    work_order.save()


def _demo_work_order(
    *,
    vehicle: Vehicle,
    status: Status,
    stage: str,
    advisor: User,
    tech: User | None,
    packages: list[Package],
    created_at: datetime,
    concern: str,
    billed: Status | None = None,
    odometer: int | None = None,
) -> WorkOrder:
    start = stage if stage != Stage.INVOICE else Stage.REPAIR_ORDER
    work_order = services.workorder_create(
        by=advisor,
        vehicle=vehicle,
        status=status if billed is None else first_status(start),
        concern=concern,
        odometer_in=odometer if odometer is not None else vehicle.odometer,
        default_technician=tech,
        promised_at=created_at + timedelta(hours=6) if stage == Stage.REPAIR_ORDER else None,
    )
    for package in packages:
        services.job_add_package(by=advisor, work_order=work_order, version=None, package=package)
    WorkOrder.objects.filter(pk=work_order.pk).update(
        created_at=created_at, status_entered_at=created_at + timedelta(minutes=20)
    )
    StatusChange.objects.filter(work_order=work_order).update(changed_at=created_at)
    if stage == Stage.REPAIR_ORDER:
        Job.objects.filter(work_order=work_order).update(
            approval=Job.Approval.APPROVED, approval_by=str(advisor), approval_at=created_at
        )
    if billed is not None:
        _close_quietly(work_order, billed, advisor, created_at + timedelta(hours=5))
    return work_order


@transaction.atomic
def seed_demo(stdout) -> dict:
    statuses = statuses_ensure()
    services.settings_get()
    packages = list(packages_ensure().values())
    if WorkOrder.objects.exists():
        return {}
    vehicles = _demo_vehicles()
    advisor = (
        User.objects.filter(username="advisor").first() or User.objects.exclude(role="").first()
    )
    tech = User.objects.filter(role=User.Role.TECHNICIAN).first()
    rng = random.Random(2026)
    now = timezone.localtime()
    opening = now.replace(hour=7, minute=30, second=0, microsecond=0)
    by_name = {p.name: p for p in packages}
    concerns = [
        "Oil change due, light on the dash",
        "Grinding noise when braking",
        "Check engine light came on yesterday",
        "Car won't start on cold mornings",
        "Temperature gauge running high",
        "Vibration at highway speed",
    ]
    day_plan = [
        # status number, packages, minutes after opening
        (1, ["Check engine light diagnosis"], 15),
        (2, ["Front brakes", "Rear brakes"], 30),
        (2, ["Coolant flush"], 50),
        (3, ["Battery replacement"], 70),
        (6, ["Oil change, synthetic", "Tire rotation and balance"], 20),
        (7, ["Front brakes"], 5),
        (7, ["Oil change, synthetic"], 40),
        (8, ["Rear brakes"], 60),
        (9, ["Check engine light diagnosis"], 25),
        (11, ["Tire rotation and balance"], 35),
        (16, ["Oil change, synthetic"], 0),
        (17, ["Battery replacement"], 10),
        (17, ["Oil change, synthetic"], 45),
    ]
    made = 0
    for index, (number, names, minutes) in enumerate(day_plan):
        vehicle = vehicles[index % len(vehicles)]
        stage = services.stage_for_number(number)
        _demo_work_order(
            vehicle=vehicle,
            status=statuses[number],
            stage=stage,
            advisor=advisor,
            tech=tech,
            packages=[by_name[n] for n in names],
            created_at=opening + timedelta(minutes=minutes),
            concern=concerns[index % len(concerns)],
            billed=statuses[17] if stage == Stage.INVOICE else None,
        )
        made += 1
    # History: a few past visits per vehicle, so history pages have something to show.
    for vehicle in vehicles:
        for years_ago in range(1, rng.randint(2, 4)):
            _demo_work_order(
                vehicle=vehicle,
                status=statuses[7],
                stage=Stage.INVOICE,
                advisor=advisor,
                tech=tech,
                packages=rng.sample(packages, rng.randint(1, 2)),
                created_at=now - timedelta(days=365 * years_ago + rng.randint(0, 120)),
                concern="",
                billed=statuses[17],
                odometer=max(
                    1000, (vehicle.odometer or 60000) - years_ago * vehicle.annual_mileage
                ),
            )
            made += 1
    # Today's and tomorrow's appointments, one already turned into a work order.
    for index, (hour, minute, concern) in enumerate(
        [
            (8, 0, "Oil change and tire rotation"),
            (9, 30, "Brakes squeal when stopping"),
            (11, 0, "Check engine light"),
            (13, 30, "Battery keeps dying"),
            (15, 0, "State inspection"),
        ]
    ):
        vehicle = vehicles[-(index + 1) % len(vehicles)]
        for days in (0, 1):
            starts = now.replace(hour=hour, minute=minute, second=0, microsecond=0) + timedelta(
                days=days
            )
            appointment = services.appointment_create(
                by=advisor, vehicle=vehicle, starts_at=starts, concern=concern
            )
            if days == 0 and index == 0:
                services.appointment_convert(by=advisor, appointment=appointment)
    stdout.write(f"  workorders: {made} work orders, {Appointment.objects.count()} appointments")
    return {}


# --- The benchmark shop -----------------------------------------------------------

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
    row = services.settings_get()
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
