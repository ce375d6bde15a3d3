"""Each row of a mapped file read into what it means, with what is wrong with it.

The dry run and the apply job read rows through the same functions, so that the rows the
dry run lists as bad are exactly the rows apply skips. An error makes the row unusable (no
key, a date that does not parse); a warning keeps the row with the bad cell left out or
kept as exported (a phone that is not a number, a VIN with a wrong check digit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from imports.fields import FileKind, field_labels
from imports.reading import TableReader
from imports.values import (
    BadValue,
    aware,
    datetime_read,
    email_read,
    money_read,
    phone_read,
    quantity_read,
    vin_read,
    whole_number_read,
    yes_no_read,
)
from workorders.models import TAXABLE_BY_DEFAULT, LineKind

LINE_KINDS = {
    "l": LineKind.LABOR, "lab": LineKind.LABOR, "labor": LineKind.LABOR,
    "labour": LineKind.LABOR, "service": LineKind.LABOR,
    "p": LineKind.PART, "part": LineKind.PART, "parts": LineKind.PART,
    "f": LineKind.FEE, "fee": LineKind.FEE, "fees": LineKind.FEE, "misc": LineKind.FEE,
    "supplies": LineKind.FEE, "shop supplies": LineKind.FEE, "hazmat": LineKind.FEE,
    "s": LineKind.SUBLET, "sub": LineKind.SUBLET, "sublet": LineKind.SUBLET,
    "outside": LineKind.SUBLET,
}  # fmt: skip
PHONE_FIELDS = [("cell_phone", "cell"), ("home_phone", "home"), ("work_phone", "work")]
MAX_TEXT = {
    "first_name": 80, "last_name": 80, "company_name": 160, "address_line1": 160,
    "address_line2": 160, "city": 80, "state": 40, "postcode": 20, "make": 40, "model": 60,
    "engine": 60, "plate": 12, "plate_state": 4, "color": 30, "part_number": 40,
    "description": 200, "vendor": 120, "vendor_part_number": 40, "bin": 40,
}  # fmt: skip


@dataclass
class ReadRow:
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    # (column header, message)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


class _Cells:
    """The mapped cells of one row, read field by field; a bad cell becomes a problem."""

    def __init__(self, raw: dict[str, str], columns: dict[str, str], row: ReadRow):
        self.raw, self.columns, self.row = raw, columns, row

    def text(self, code: str) -> str:
        header = self.columns.get(code)
        value = self.raw.get(header, "").strip() if header else ""
        limit = MAX_TEXT.get(code)
        return value[:limit] if limit else value

    def header(self, code: str) -> str:
        return self.columns.get(code, code)

    def read(self, code: str, reader: Callable[[str], Any], *, error: bool, default=None):
        text = self.text(code)
        try:
            return reader(text)
        except BadValue as problem:
            target = self.row.errors if error else self.row.warnings
            suffix = "" if error else ": left out"
            target.append((self.header(code), f"{problem}{suffix}"))
            return default

    def require(self, code: str, what: str) -> str:
        value = self.text(code)
        if not value:
            self.row.errors.append((self.header(code), f"no {what}"))
        return value


def _customer(cells: _Cells, area_code: str) -> None:
    values = cells.row.values
    values["key"] = cells.require("customer_key", "customer number")
    for code in ["first_name", "last_name", "company_name", "address_line1", "address_line2",
                 "city", "state", "postcode", "notes"]:  # fmt: skip
        values[code] = cells.text(code)
    if not (values["first_name"] or values["last_name"] or values["company_name"]):
        cells.row.errors.append((cells.header("last_name"), "no name and no company"))
    phones = []
    for code, kind in PHONE_FIELDS:
        phone = cells.read(code, lambda text: phone_read(text, area_code=area_code), error=False)
        if phone is not None and phone.e164 not in {p[1].e164 for p in phones}:
            phones.append((kind, phone))
    values["phones"] = phones
    values["email"] = cells.read("email", email_read, error=False, default="")
    values["is_ar"] = cells.read("is_ar", yes_no_read, error=False, default=False)


def _vehicle(cells: _Cells, area_code: str) -> None:
    values = cells.row.values
    values["key"] = cells.require("vehicle_key", "vehicle id")
    values["customer_key"] = cells.require("customer_key", "customer number")
    year = cells.read("year", lambda t: whole_number_read(t, what="a year"), error=False)
    if year is not None and year < 100:
        year += 1900 if year >= 30 else 2000
    if year is not None and not 1900 <= year <= 2100:
        cells.row.warnings.append((cells.header("year"), f"{year} is not a model year: left out"))
        year = None
    values["year"] = year
    for code in ["make", "model", "engine", "plate", "plate_state", "color", "notes"]:
        values[code] = cells.text(code)
    values["plate"] = values["plate"].upper().replace(" ", "")[:12]
    vin = vin_read(cells.text("vin"))
    if vin.problem:
        cells.row.warnings.append((cells.header("vin"), vin.problem))
    values["vin"] = vin.vin
    values["vin_flagged"] = bool(vin.problem)
    values["odometer"] = cells.read(
        "odometer", lambda t: whole_number_read(t, what="a mileage"), error=False
    )


def _invoice(cells: _Cells, area_code: str) -> None:
    values = cells.row.values
    values["key"] = cells.require("invoice_key", "invoice number")
    values["customer_key"] = cells.require("customer_key", "customer number")
    values["vehicle_key"] = cells.require("vehicle_key", "vehicle id")
    if cells.text("date"):
        moment = cells.read("date", datetime_read, error=True)
        values["date"] = aware(moment) if moment else None
    else:
        cells.row.errors.append((cells.header("date"), "no invoice date"))
    values["odometer"] = cells.read(
        "odometer", lambda t: whole_number_read(t, what="a mileage"), error=False
    )
    # A total left blank is worked out from the lines; tax and discount blank are zero.
    for code in ["labor_total", "parts_total", "fees_total", "sublet_total"]:
        values[code] = cells.read(code, money_read, error=True) if cells.text(code) else None
    for code in ["discount_total", "tax_total"]:
        values[code] = cells.read(code, money_read, error=True, default=Decimal("0.00"))
    if cells.text("grand_total"):
        values["grand_total"] = cells.read("grand_total", money_read, error=True)
    else:
        cells.row.errors.append((cells.header("grand_total"), "no invoice total"))
    values["concern"] = cells.text("concern")


def _line(cells: _Cells, area_code: str) -> None:
    values = cells.row.values
    values["invoice_key"] = cells.require("invoice_key", "invoice number")
    values["description"] = cells.text("description")
    values["part_number"] = cells.text("part_number")
    values["description"] = values["description"] or values["part_number"]
    if not values["description"]:
        cells.row.errors.append((cells.header("description"), "no description"))
    typed = cells.text("kind").lower()
    kind = LINE_KINDS.get(typed)
    if kind is None:
        kind = LineKind.PART if values["part_number"] else LineKind.LABOR
        if typed:
            cells.row.warnings.append(
                (cells.header("kind"), f"“{typed}” is not labor, part, fee or sublet: read as "
                 f"{kind.label.lower()}")
            )  # fmt: skip
    values["kind"] = kind
    values["quantity"] = cells.read("quantity", quantity_read, error=True)
    values["unit_price"] = cells.read("unit_price", money_read, error=True)
    values["unit_cost"] = cells.read("unit_cost", money_read, error=False, default=Decimal("0"))
    amount = cells.read("amount", money_read, error=True) if cells.text("amount") else None
    quantity, price = values["quantity"], values["unit_price"]
    if amount is None and quantity is not None and price is not None:
        amount = (quantity * price).quantize(Decimal("0.01"))
    if price == Decimal("0.00") and amount and quantity:
        price = (amount / quantity).quantize(Decimal("0.01"))
    values["unit_price"] = price
    values["amount"] = amount
    # What the line added to the printed invoice, a credit's minus kept.
    values["signed_amount"] = amount if amount is not None else Decimal("0.00")
    if (quantity is not None and quantity < 0) or (amount is not None and amount < 0):
        # A line's net cannot be below zero on a work order: a coupon or a credit is kept as a
        # $0 line that says what it was; the invoice keeps its printed total, which counts it.
        credit = abs(amount or Decimal("0.00"))
        values["description"] = f"Credit ${credit:,.2f}: {values['description']}"[:200]
        values["quantity"] = abs(quantity) if quantity is not None else Decimal("1.00")
        values["unit_price"] = values["amount"] = Decimal("0.00")
        cells.row.warnings.append(
            (cells.header("amount"), f"a credit of ${credit:,.2f}: kept as a $0 line that says so")
        )
    taxable_text = cells.text("taxable")
    values["taxable"] = (
        cells.read("taxable", yes_no_read, error=False, default=TAXABLE_BY_DEFAULT[kind])
        if taxable_text
        else TAXABLE_BY_DEFAULT[kind]
    )


def _ar_item(cells: _Cells, area_code: str) -> None:
    values = cells.row.values
    values["customer_key"] = cells.require("customer_key", "customer number")
    values["invoice_key"] = cells.text("invoice_key")
    for code in ["date", "due_date"]:
        moment = cells.read(code, datetime_read, error=True) if cells.text(code) else None
        values[code] = moment.date() if moment else None
    values["amount"] = (
        cells.read("amount", money_read, error=True) if cells.text("amount") else None
    )
    if cells.text("balance"):
        values["balance"] = cells.read("balance", money_read, error=True)
    else:
        cells.row.errors.append((cells.header("balance"), "no open balance"))


def _part(cells: _Cells, area_code: str) -> None:
    values = cells.row.values
    values["key"] = cells.require("part_number", "part number")
    for code in ["description", "vendor", "vendor_part_number", "bin"]:
        values[code] = cells.text(code)
    for code in ["cost", "price"]:
        values[code] = cells.read(code, money_read, error=False) if cells.text(code) else None
    values["quantity_on_hand"] = (
        cells.read("quantity_on_hand", quantity_read, error=False)
        if cells.text("quantity_on_hand")
        else None
    )


READERS = {
    FileKind.CUSTOMERS: _customer,
    FileKind.VEHICLES: _vehicle,
    FileKind.INVOICES: _invoice,
    FileKind.INVOICE_LINES: _line,
    FileKind.AR_ITEMS: _ar_item,
    FileKind.PARTS: _part,
}


def rows_read(
    reader: TableReader, kind: str, mapping: dict[str, str], *, area_code: str
) -> Iterator[ReadRow]:
    """Every row of the file read as `kind` through the mapping {header: field code}."""
    columns = {code: header for header, code in mapping.items() if code}
    labels = field_labels(kind)
    read = READERS[kind]
    for line, raw in reader.rows():
        row = ReadRow(line)
        read(_Cells(raw, columns, row), area_code)
        # A column named by its field when the mapping has none, for the problem's column.
        row.errors = [(header or labels.get(header, ""), message) for header, message in row.errors]
        yield row
