"""A realistic export of a small shop's old system, to try the import on (and to test it).

`sample_write(folder)` writes what a shop's old point-of-sale system gives it: customers in
Windows-1252 (José, Müller, O’Brien) with phones in every format, a fifth of them typed
with seven digits; vehicles in UTF-8 with a byte order mark, separated by semicolons; invoice
headers with US dates (03/07/2019, 3/7/19, with and without a time) and money as "$1,234.50";
invoice lines; A/R open items with a credit in parentheses; parts as an Excel workbook.
Seeded: the same files every time. Some rows are duplicates and some are bad, on purpose:
`SAMPLE_FLAWS` says which, for the README and the tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from customers.seeding.common import CITIES, MAILS, MAKES, STREET_KINDS, STREETS, make_vin
from shop.csv import csv_writer

FIRST = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Charles", "Karen", "José", "María", "Zoë", "Renée", "André", "Jürgen", "Chloé",
    "Luis", "Ana", "Kevin", "Brian", "Nancy", "Lisa", "Daniel", "Emily", "Mark", "Donna",
]  # fmt: skip
LAST = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodríguez",
    "Martínez", "Müller", "Schröder", "O’Brien", "Nuñez", "Peña", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Pérez", "Thompson", "White",
    "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson", "Walker", "Young", "Allen",
]  # fmt: skip
COMPANIES = [
    "Prairie Plumbing", "Midwest Delivery", "Capitol Florist", "Heartland Builders",
    "Sangamon Electric", "Lakeside Catering", "Summit Roofing", "Keystone Moving",
]  # fmt: skip
LABOR = [
    ("Oil and filter change", Decimal("0.5")), ("Brake pads, front", Decimal("1.5")),
    ("Diagnose check engine light", Decimal("1.0")), ("Rotate tires", Decimal("0.5")),
    ("Replace battery", Decimal("0.4")), ("Coolant flush", Decimal("1.0")),
    ("Replace alternator", Decimal("2.0")), ("Four-wheel alignment", Decimal("1.2")),
    ("Replace serpentine belt", Decimal("0.8")), ("Spark plugs", Decimal("1.3")),
]  # fmt: skip
PARTS = [
    ("PF-48", "Oil filter", Decimal("4.10"), Decimal("8.99")),
    ("5W30-QT", "Motor oil 5W-30, quart", Decimal("3.20"), Decimal("6.49")),
    ("BP-1210", "Brake pad set, ceramic", Decimal("28.00"), Decimal("64.95")),
    ("BAT-H6", "Battery H6 AGM", Decimal("120.00"), Decimal("219.99")),
    ("ALT-3321", "Alternator, remanufactured", Decimal("145.00"), Decimal("289.00")),
    ("BELT-K060", "Serpentine belt", Decimal("18.50"), Decimal("39.95")),
    ("SP-IR4", "Spark plug, iridium", Decimal("6.20"), Decimal("13.49")),
    ("CL-GAL", "Coolant, gallon", Decimal("9.00"), Decimal("19.99")),
    ("WB-22", "Wiper blade 22in", Decimal("5.00"), Decimal("12.99")),
    ("AF-1180", "Engine air filter", Decimal("7.50"), Decimal("18.99")),
]  # fmt: skip
# What a bigger job adds to an invoice (the detailed sample of `lines_per_invoice`).
MORE_PARTS = [
    ("RTR-5521", "Brake rotor, front", Decimal("38.00"), Decimal("84.99")),
    ("CAL-771", "Brake caliper, remanufactured", Decimal("42.00"), Decimal("96.50")),
    ("BF-DOT3", "Brake fluid DOT 3", Decimal("4.80"), Decimal("11.99")),
    ("TS-220", "Thermostat with gasket", Decimal("14.00"), Decimal("32.95")),
    ("WP-8812", "Water pump", Decimal("61.00"), Decimal("129.00")),
    ("O2-2301", "Oxygen sensor", Decimal("36.00"), Decimal("79.99")),
    ("CAF-119", "Cabin air filter", Decimal("6.40"), Decimal("17.99")),
    ("HOSE-UR", "Upper radiator hose", Decimal("11.50"), Decimal("27.49")),
    ("TPMS-315", "TPMS sensor", Decimal("22.00"), Decimal("54.99")),
    ("BULB-9006", "Headlight bulb 9006", Decimal("5.60"), Decimal("14.99")),
]  # fmt: skip
SHOP_SUPPLIES_RATE = Decimal("0.08")  # of the labor, at most SHOP_SUPPLIES_MOST
SHOP_SUPPLIES_MOST = Decimal("35.00")
# Columns the suggestion does not know (the owner maps them by hand): "Memo" and "Paint".
NOTES = ["Prefers texts", "Fleet account: call Dave", "Wants old parts back", "Pays by check"]
COLOURS = ["White", "Black", "Silver", "Gray", "Red", "Blue", ""]
LABOR_RATE = Decimal("118.00")
TAX_RATE = Decimal("7.25")
FIRST_DAY = date(2018, 1, 2)
LAST_DAY = date(2026, 10, 30)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SampleFlaws:
    """What is wrong in the sample on purpose (customer numbers, vehicle ids, invoices)."""

    customer_without_name: str = "C1400"
    customer_key_twice: str = "C1002"
    orphan_vehicle: str = "V9999"
    bad_date_invoice: str = "90001"
    printed_total_differs: str = "90002"
    # Rows that repeat an earlier customer of the file (another number, same person).
    repeated_customers: tuple[str, ...] = ("C1500", "C1501", "C1502", "C1503", "C1504")
    # A customer of the sample as the tests and the README look for them at the counter.
    seven_digit_customer: str = "C1003"


SAMPLE_FLAWS = SampleFlaws()


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _typed_money(rng: random.Random, value: Decimal) -> str:
    if rng.random() < 0.5:
        return f"${value:,.2f}"
    return f"{value:.2f}"


def _typed_date(rng: random.Random, day: date) -> str:
    style = rng.randrange(5)
    if style == 0:
        return f"{day.month}/{day.day}/{day.year % 100:02d}"
    if style == 1:
        return day.isoformat()
    if style == 2:
        return f"{day:%m/%d/%Y} {rng.randrange(7, 18)}:{rng.randrange(60):02d}"
    return f"{day:%m/%d/%Y}"


def _phone(rng: random.Random, area: str, *, seven: bool) -> str:
    exchange, line = f"{rng.randrange(200, 999)}", f"{rng.randrange(10000):04d}"
    if seven:
        return rng.choice([f"{exchange}-{line}", f"{exchange}{line}", f"{exchange} {line}"])
    return rng.choice(
        [f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
         f"{area}{exchange}{line}", f"1-{area}-{exchange}-{line}"]
    )  # fmt: skip


def _write(path: Path, rows: list[list], *, encoding: str, delimiter: str = ",") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv_writer(handle, delimiter=delimiter).writerows(rows)


def sample_write(
    folder: Path | str,
    *,
    customers: int = 500,
    vehicles: int = 700,
    invoices: int = 5000,
    seed: int = 2026,
    lines_per_invoice: float | None = None,
) -> dict[str, Path]:
    """Write the sample export into `folder`; returns {kind: path}.

    The small shop's invoices have one or two labor operations and one to three parts (3.5
    lines on average). `lines_per_invoice` (10 for the bench's big shop) writes bigger jobs
    instead: labor, the parts of the job and a shop supplies fee, that many lines on average.
    The invoice files are written as they are made, never held whole."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    flaws = SAMPLE_FLAWS

    customer_rows: list[list] = [
        ["Cust No", "First Name", "Last Name", "Company", "Address", "City", "ST", "Zip",
         "Home Phone", "Cell Phone", "Work Phone", "E-Mail", "Charge Acct", "Memo"]
    ]  # fmt: skip
    people: list[list] = []
    for number in range(customers - len(flaws.repeated_customers)):
        key = f"C{1001 + number}"
        city, state, area, postcodes = rng.choice(CITIES[:4])
        street = f"{rng.randrange(100, 9999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)[1]}"
        company = rng.choice(COMPANIES) if rng.random() < 0.06 else ""
        first, last = ("", "") if company else (rng.choice(FIRST), rng.choice(LAST))
        seven = rng.random() < 0.2 or key == flaws.seven_digit_customer
        cell = _phone(rng, area, seven=seven) if rng.random() < 0.8 or seven else ""
        home = _phone(rng, area, seven=rng.random() < 0.2) if rng.random() < 0.4 else ""
        email = ""
        if first and rng.random() < 0.5:
            plain = "".join(c for c in f"{first}.{last}".lower() if c.isascii() and c != "’")
            email = f"{plain}{rng.randrange(100)}@{rng.choice(MAILS)}"
        row = [key, first, last, company, street, city, state, rng.choice(postcodes), home,
               cell, _phone(rng, area, seven=False) if company else "", email,
               "Y" if company and rng.random() < 0.5 else "N",
               rng.choice(NOTES) if rng.random() < 0.1 else ""]  # fmt: skip
        if key == flaws.customer_without_name:
            row[1] = row[2] = row[3] = ""
        if number == 40:
            row[9] = "call after 5"  # not a phone: left out, with a warning
        people.append(row)
    customer_rows.extend(people)
    # The same people typed again under new numbers: a nickname or upper case, same cell.
    for index, key in enumerate(flaws.repeated_customers):
        original = next(
            p
            for p in people[10 + index * 7 :]
            if p[1] and p[9] and p[0] != flaws.seven_digit_customer
        )
        again = list(original)
        again[0] = key
        again[1] = original[1].upper() if index % 2 else original[1]
        again[2] = original[2].upper()
        again[8] = ""
        customer_rows.append(again)
    duplicate = list(people[1])
    duplicate[0] = flaws.customer_key_twice  # the number of another row: an error
    customer_rows.append(duplicate)
    keys = [row[0] for row in people if row[0] != flaws.customer_without_name]

    vehicle_rows: list[list] = [
        ["Veh ID", "Cust No", "Year", "Make", "Model", "Engine", "VIN", "License", "Lic St",
         "Mileage", "Paint"]
    ]  # fmt: skip
    fleet: list[tuple[str, str, int]] = []
    for number in range(vehicles - 1):
        key = f"V{5001 + number}"
        owner = keys[number] if number < len(keys) else rng.choice(keys)
        make, models, wmis = rng.choice(MAKES)
        year = rng.randrange(2004, 2025)
        vin = make_vin(rng, rng.choice(wmis), year)
        if number % 97 == 13:
            vin = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]  # a wrong check digit
        plate = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(7))
        start = rng.randrange(5_000, 90_000)
        vehicle_rows.append(
            [key, owner, year, make, rng.choice(models), rng.choice(["2.0L I4", "3.5L V6", ""]),
             vin, plate, "IL", f"{start:,}", rng.choice(COLOURS)]
        )  # fmt: skip
        fleet.append((key, owner, start))
    vehicle_rows.append(
        [flaws.orphan_vehicle, "C0000", 2015, "Ford", "Focus", "", "", "", "", "", ""]
    )

    paths = {
        "customers": folder / "customers.csv",
        "vehicles": folder / "vehicles.csv",
        "invoices": folder / "invoices.csv",
        "invoice_lines": folder / "invoice_lines.csv",
        "ar_items": folder / "ar_items.csv",
        "parts": folder / "parts.xlsx",
    }
    with (
        paths["invoices"].open("w", encoding="utf-8", newline="") as invoice_file,
        paths["invoice_lines"].open("w", encoding="utf-8", newline="") as line_file,
    ):
        invoice_rows, line_rows = csv_writer(invoice_file), csv_writer(line_file)
        invoice_rows.writerow(
            ["Invoice #", "Cust No", "Veh ID", "Date", "Mileage", "Labor", "Parts", "Tax", "Total"]
        )
        line_rows.writerow(
            ["Invoice #", "Type", "Part #", "Description", "Qty", "Price", "Cost", "Amount",
             "Taxable"]
        )  # fmt: skip
        _invoices_write(
            rng, invoice_rows, line_rows, fleet, invoices=invoices,
            lines_per_invoice=lines_per_invoice,
        )  # fmt: skip
        # A date no system could mean, and a total the lines do not add up to (kept as printed).
        key, owner, _start = fleet[0]
        invoice_rows.writerow(
            [flaws.bad_date_invoice, owner, key, "13/45/2019", "", "$0.00", "$0.00", "$0.00",
             "$0.00"]
        )  # fmt: skip
        invoice_rows.writerow(
            [flaws.printed_total_differs, owner, key, "2019-06-14", "", "", "", "$3.63",
             "$113.63"]
        )  # fmt: skip
        line_rows.writerow([flaws.printed_total_differs, "L", "", "Inspection", "1", "100.00",
                            "", "100.00", "N"])  # fmt: skip
        line_rows.writerow([flaws.printed_total_differs, "P", "WB-22", "Wiper blade 22in", "2",
                            "$12.99", "5.00", "$25.98", "Y"])  # fmt: skip

    ar_rows: list[list] = [["Cust No", "Invoice #", "Date", "Amount", "Balance"]]
    for key in rng.sample(keys[:200], 8):
        amount = _money(Decimal(rng.randrange(5000, 90000)) / 100)
        ar_rows.append([key, str(rng.randrange(10001, 10001 + invoices - 2)),
                        _typed_date(rng, LAST_DAY - timedelta(days=rng.randrange(120))),
                        f"${amount:,.2f}", f"${_money(amount / 2):,.2f}"])  # fmt: skip
    ar_rows.append([keys[3], "", "10/01/2026", "", "(12.00)"])  # a credit on account

    _write(paths["customers"], customer_rows, encoding="cp1252")
    _write(paths["vehicles"], vehicle_rows, encoding="utf-8-sig", delimiter=";")
    _write(paths["ar_items"], ar_rows, encoding="utf-8")
    _parts_workbook(paths["parts"])
    return paths


def _invoices_write(
    rng: random.Random,
    invoice_rows,
    line_rows,
    fleet: list[tuple[str, str, int]],
    *,
    invoices: int,
    lines_per_invoice: float | None,
) -> None:
    """The invoice headers and their lines, visit by visit in date order."""
    span = (LAST_DAY - FIRST_DAY).days
    visits = sorted(
        (FIRST_DAY + timedelta(days=rng.randrange(span)), rng.randrange(len(fleet)))
        for _ in range(invoices - 2)
    )
    mileage = {key: start for key, _owner, start in fleet}
    last_visit: dict[str, date] = {}
    numbers = iter(range(10001, 10001 + invoices))
    parts_pool = PARTS if lines_per_invoice is None else PARTS + MORE_PARTS
    for day, vehicle_index in visits:
        key, owner, _start = fleet[vehicle_index]
        days = (day - last_visit.get(key, FIRST_DAY)).days
        mileage[key] += max(1, days * rng.randrange(20, 45))
        last_visit[key] = day
        number = str(next(numbers))
        if lines_per_invoice is None:
            labor_count, parts_count, supplies = rng.randrange(1, 3), None, False
        else:
            # About `lines_per_invoice` lines: one to four labor operations, a supplies fee,
            # and the parts of the job for the rest.
            spread = max(1, round(lines_per_invoice * 0.3))
            wanted = rng.randint(
                round(lines_per_invoice) - spread, round(lines_per_invoice) + spread
            )
            labor_count = min(rng.randrange(1, 5), max(1, wanted - 2))
            parts_count = min(len(parts_pool), max(1, wanted - labor_count - 1))
            supplies = True
        labor_total = parts_total = fees_total = taxable = Decimal("0.00")
        for description, hours in rng.sample(LABOR, labor_count):
            amount = _money(hours * LABOR_RATE)
            labor_total += amount
            line_rows.writerow([number, "L", "", description, f"{hours}", f"{LABOR_RATE}",
                                "", f"{amount}", "N"])  # fmt: skip
        if parts_count is None:
            parts_count = rng.randrange(1, 4)
        for part_number, description, cost, price in rng.sample(parts_pool, parts_count):
            quantity = rng.choice([1, 1, 1, 2, 4, 5])
            amount = _money(price * quantity)
            parts_total += amount
            taxable += amount
            line_rows.writerow([number, "P", part_number, description, quantity,
                                _typed_money(rng, price), f"{cost}", _typed_money(rng, amount),
                                "Y"])  # fmt: skip
        if supplies:
            fee = min(SHOP_SUPPLIES_MOST, _money(labor_total * SHOP_SUPPLIES_RATE))
            fees_total += fee
            taxable += fee
            line_rows.writerow([number, "F", "", "Shop supplies", "1", f"{fee}", "", f"{fee}",
                                "Y"])  # fmt: skip
        tax = _money(taxable * TAX_RATE / 100)
        total = labor_total + parts_total + fees_total + tax
        invoice_rows.writerow(
            [number, owner, key, _typed_date(rng, day), f"{mileage[key]}",
             _typed_money(rng, labor_total), _typed_money(rng, parts_total),
             _typed_money(rng, tax), _typed_money(rng, total)]
        )  # fmt: skip


def _parts_workbook(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Parts")
    sheet.append(["Part #", "Description", "Vendor", "Cost", "Price", "QOH", "Bin"])
    for index, (number, description, cost, price) in enumerate(PARTS):
        sheet.append([number, description, "NAPA", float(cost), float(price), index + 2,
                      f"A{index + 1}"])  # fmt: skip
    sheet.append(["TIRE-22555", "Tire 225/55R17", "Tire Rack", 88.5, 149.99, 8, "T1"])
    book.save(path)
