"""The standard statuses 1-17 and the demo packages."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from workorders.models import Package, PackageLine, Status

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
