"""The plan of an import: every file read once, each row judged, keys checked across files.

The dry run shows the plan; the apply job builds the same plan again (the same files, the
same rules) and writes what it says, so the rows the dry run lists as bad are the rows apply
skips and its counts are what apply writes. Apply reads each file once: the plan keeps the
rows it read in a `RowSpool`, and the job writes from there.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.db import connection

from customers.phones import default_area_code
from customers.services import annual_mileage_estimate
from imports.fields import KIND_ORDER, FileKind, mapping_problems
from imports.models import ExternalId, ImportFile, ImportRun
from imports.reading import TableReader
from imports.rows import ReadRow, rows_read
from shop.errors import ServiceError

CENT = Decimal("0.01")
PROGRESS_EVERY = 5000
SPOOL_EVERY = 5000
ID_KIND = {
    FileKind.CUSTOMERS: ExternalId.Kind.CUSTOMER,
    FileKind.VEHICLES: ExternalId.Kind.VEHICLE,
    FileKind.INVOICES: ExternalId.Kind.INVOICE,
}


@dataclass
class Problem:
    kind: str
    line: int | None
    column: str
    message: str
    error: bool


@dataclass
class InvoiceLines:
    """What an invoice's lines add up to, for its totals and the check against the print."""

    line: int = 0  # the invoice's line in the headers file
    printed: tuple[Decimal, Decimal, Decimal] = (Decimal(0), Decimal(0), Decimal(0))
    count: int = 0
    net: Decimal = Decimal("0.00")  # credits included, as printed
    taxable: Decimal = Decimal("0.00")
    by_kind: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def line_spooled(values: dict) -> dict:
    """An invoice line as the apply job writes it: its invoice and its columns (LINE_COLUMNS
    after the work order, job and position), the numbers as text for COPY. Millions of
    these are spooled: plain strings pickle and load many times faster than Decimals."""
    unit_cost, kind = values["unit_cost"], values["kind"]
    return {
        "invoice_key": values["invoice_key"],
        "columns": (
            str(kind) if kind is not None else None,
            values["part_number"],
            values["description"],
            _text(values["quantity"]),
            _text(unit_cost if unit_cost is None or unit_cost > 0 else Decimal("0.00")),
            _text(values["unit_price"]),
            values["taxable"],
            _text(values["amount"]),
        ),
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class RowSpool:
    """The rows of each file as the plan read them, kept in a temporary file so that the apply
    job writes from them instead of reading and checking the files a second time.

    Rows are pickled a few thousand at a time (their values are Decimals, dates, phones, which
    pickle keeps exactly); the files are private to the process and go when it closes them or
    ends. A resumed job builds its plan, and so its spool, again."""

    def __init__(self) -> None:
        self._files: dict[str, IO[bytes]] = {}
        self._pending: dict[str, list[tuple[int, dict]]] = defaultdict(list)

    def add(self, kind: str, row: ReadRow) -> None:
        pending = self._pending[kind]
        if kind == FileKind.INVOICE_LINES:
            pending.append((row.line, line_spooled(row.values)))
        else:
            pending.append((row.line, row.values))
        if len(pending) >= SPOOL_EVERY:
            self._flush(kind)

    def _flush(self, kind: str) -> None:
        pending = self._pending.pop(kind, None)
        if not pending:
            return
        handle = self._files.get(kind)
        if handle is None:
            # Closed by close(), when the job ends.
            handle = tempfile.TemporaryFile(prefix=f"import-{kind}-")  # noqa: SIM115
            self._files[kind] = handle
        pickle.dump(pending, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def rows(self, kind: str) -> Iterator[ReadRow]:
        """The kind's rows in the file's order (bad ones included, as `Plan.rows` gives)."""
        self._flush(kind)
        handle = self._files.get(kind)
        if handle is None:
            return
        handle.seek(0)
        while True:
            try:
                chunk = pickle.load(handle)
            except EOFError:
                return
            for line, values in chunk:
                yield ReadRow(line, values)

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()
        self._pending.clear()


@dataclass
class Plan:
    files: dict[str, ImportFile]
    area_code: str
    problems: list[Problem] = field(default_factory=list)
    # Lines of each file that are skipped (an error on them or on what they hang on).
    bad: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # The usable keys of each file (customer numbers, vehicle ids, invoice numbers, parts).
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Keys already imported by an earlier run: {ExternalId kind: {key: object id}}.
    known: dict[str, dict[str, int]] = field(default_factory=dict)
    # Customer numbers an earlier run merged into another customer.
    merged: set[str] = field(default_factory=set)
    # Each usable vehicle's customer key, each usable invoice's customer and vehicle keys.
    vehicle_customer: dict[str, str] = field(default_factory=dict)
    invoice_lines: dict[str, InvoiceLines] = field(default_factory=dict)
    # The usable invoices by year: {year: [invoices, printed totals]}.
    years: dict[int, list] = field(default_factory=lambda: defaultdict(lambda: [0, Decimal("0")]))
    # Each vehicle's readings in the invoices (count, highest, first and last as (date,
    # reading)): a vehicle this run creates is written with its odometer and mileage.
    vehicle_readings: dict[str, list] = field(default_factory=dict)
    # True when those are all the readings this run makes (none of its invoices was imported
    # before): its new vehicles are then written with them, and the mileage phase skips them.
    readings_complete: bool = False
    rows_total: int = 0
    # Where apply keeps the rows read, to write from them (None for the dry run).
    spool: RowSpool | None = None
    # Told the rows read so far, every PROGRESS_EVERY rows (the dry run job's progress bar).
    progress: Callable[[int], None] | None = None
    # Told each usable customer row as it is read (the dry run's duplicate finder keeps what
    # it needs of it), so that the customers file is not read a second time.
    customer_read: Callable[[ReadRow], None] | None = None
    rows_read: int = 0

    @property
    def file_errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error and p.line is None]

    @property
    def row_errors(self) -> int:
        return sum(1 for p in self.problems if p.error and p.line is not None)

    def reader(self, kind: str) -> TableReader:
        import_file = self.files[kind]
        import_file.file.open("rb")
        return TableReader(import_file.file, import_file.original_name)

    def rows(self, kind: str) -> Iterator[ReadRow]:
        """The file's rows as read, bad ones included (callers skip `bad` lines)."""
        import_file = self.files[kind]
        try:
            for row in rows_read(
                self.reader(kind), kind, import_file.mapping, area_code=self.area_code
            ):
                self.rows_read += 1
                if self.progress is not None and not self.rows_read % PROGRESS_EVERY:
                    self.progress(self.rows_read)
                if self.spool is not None:
                    self.spool.add(kind, row)
                yield row
        finally:
            import_file.file.close()

    def _problem(self, kind: str, row: ReadRow | None, column: str, message: str, error: bool):
        self.problems.append(Problem(kind, row.line if row else None, column, message, error))
        if error and row is not None:
            self.bad[kind].add(row.line)


def _known(kind: str, keys: set[str], merged: set[str] | None = None) -> dict[str, int]:
    found: dict[str, int] = {}
    if not keys:
        return found
    # One array parameter, not an IN list: a first import's 100,000 keys spent half a minute
    # quoting one query parameter per key.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT external_id, object_id, merged FROM {ExternalId._meta.db_table} "
            "WHERE kind = %s AND external_id = ANY(%s)",
            [kind, list(keys)],
        )
        for key, object_id, was_merged in cursor.fetchall():
            found[key] = object_id
            if was_merged and merged is not None:
                merged.add(key)
    return found


def plan_build(
    run: ImportRun,
    *,
    progress: Callable[[int], None] | None = None,
    customer_read: Callable[[ReadRow], None] | None = None,
    spool: RowSpool | None = None,
) -> Plan:
    """Read every file of the run and judge every row; nothing is written. With a spool,
    the rows read are kept in it for the apply job."""
    files = {f.kind: f for f in run.files.all()}
    if not files:
        raise ServiceError("Upload at least one file first.")
    plan = Plan(
        files=files,
        area_code=default_area_code(),
        progress=progress,
        customer_read=customer_read,
        spool=spool,
    )
    for kind in KIND_ORDER:
        if kind in files:
            for message in mapping_problems(kind, files[kind].mapping):
                plan._problem(kind, None, "", message, True)
    if plan.file_errors:
        return plan
    if FileKind.INVOICE_LINES in files and FileKind.INVOICES not in files:
        plan._problem(
            FileKind.INVOICE_LINES, None, "", "Invoice lines need the invoice headers file.", True
        )
        return plan
    _read_customers(plan)
    _read_vehicles(plan)
    _read_invoices(plan)
    _read_lines(plan)
    _read_ar_items(plan)
    _read_parts(plan)
    _check_invoice_totals(plan)
    return plan


def _row_problems(plan: Plan, kind: str, row: ReadRow) -> None:
    for column, message in row.errors:
        plan._problem(kind, row, column, message, True)
    for column, message in row.warnings:
        plan._problem(kind, row, column, message, False)


def _keyed(plan: Plan, kind: str, row: ReadRow, first_line: dict[str, int], column: str) -> bool:
    """Note the row's key; a key used twice in the file is an error on the second row."""
    _row_problems(plan, kind, row)
    plan.rows_total += 1
    key = row.values.get("key", "")
    if not key:
        return False
    if key in first_line:
        plan._problem(
            kind, row, column, f"“{key}” is used twice: first on line {first_line[key]}", True
        )
        return False
    first_line[key] = row.line
    return row.line not in plan.bad[kind]


def _column(plan: Plan, kind: str, code: str) -> str:
    return next((h for h, c in plan.files[kind].mapping.items() if c == code), code)


def _read_customers(plan: Plan) -> None:
    kind = FileKind.CUSTOMERS
    if kind not in plan.files:
        plan.known[ExternalId.Kind.CUSTOMER] = {}
        return
    first_line: dict[str, int] = {}
    column = _column(plan, kind, "customer_key")
    for row in plan.rows(kind):
        if _keyed(plan, kind, row, first_line, column):
            plan.keys[kind].add(row.values["key"])
            if plan.customer_read is not None:
                plan.customer_read(row)
    plan.known[ExternalId.Kind.CUSTOMER] = _known(
        ExternalId.Kind.CUSTOMER, plan.keys[kind], plan.merged
    )


def _customer_known(plan: Plan, key: str) -> bool:
    if key in plan.keys[FileKind.CUSTOMERS]:
        return True
    known = plan.known[ExternalId.Kind.CUSTOMER]
    if key not in known:
        known.update(_known(ExternalId.Kind.CUSTOMER, {key}))
    return key in known


def _read_vehicles(plan: Plan) -> None:
    kind = FileKind.VEHICLES
    if kind not in plan.files:
        plan.known[ExternalId.Kind.VEHICLE] = {}
        return
    first_line: dict[str, int] = {}
    column = _column(plan, kind, "vehicle_key")
    customer_column = _column(plan, kind, "customer_key")
    for row in plan.rows(kind):
        if not _keyed(plan, kind, row, first_line, column):
            continue
        customer_key = row.values["customer_key"]
        if not _customer_known(plan, customer_key):
            plan._problem(
                kind,
                row,
                customer_column,
                f"orphan vehicle: customer “{customer_key}” is not in the customers file "
                "(or is skipped) and was not imported before",
                True,
            )
            continue
        plan.keys[kind].add(row.values["key"])
        plan.vehicle_customer[row.values["key"]] = customer_key
    plan.known[ExternalId.Kind.VEHICLE] = _known(ExternalId.Kind.VEHICLE, plan.keys[kind])


def _vehicle_known(plan: Plan, key: str) -> bool:
    if key in plan.keys[FileKind.VEHICLES]:
        return True
    known = plan.known[ExternalId.Kind.VEHICLE]
    if key not in known:
        known.update(_known(ExternalId.Kind.VEHICLE, {key}))
    return key in known


def _read_invoices(plan: Plan) -> None:
    kind = FileKind.INVOICES
    if kind not in plan.files:
        plan.known[ExternalId.Kind.INVOICE] = {}
        return
    first_line: dict[str, int] = {}
    column = _column(plan, kind, "invoice_key")
    for row in plan.rows(kind):
        if not _keyed(plan, kind, row, first_line, column):
            continue
        customer_key, vehicle_key = row.values["customer_key"], row.values["vehicle_key"]
        if not _customer_known(plan, customer_key):
            plan._problem(
                kind,
                row,
                _column(plan, kind, "customer_key"),
                f"customer “{customer_key}” is not in the customers file (or is skipped)",
                True,
            )
            continue
        if not _vehicle_known(plan, vehicle_key):
            plan._problem(
                kind,
                row,
                _column(plan, kind, "vehicle_key"),
                f"vehicle “{vehicle_key}” is not in the vehicles file (or is skipped)",
                True,
            )
            continue
        plan.keys[kind].add(row.values["key"])
        values = row.values
        plan.invoice_lines[values["key"]] = InvoiceLines(
            line=row.line,
            printed=(values["discount_total"], values["tax_total"], values["grand_total"]),
        )
        year = plan.years[values["date"].year]
        year[0] += 1
        year[1] += values["grand_total"]
        if values["odometer"]:
            _reading_add(plan.vehicle_readings, vehicle_key, values["date"], values["odometer"])
    plan.known[ExternalId.Kind.INVOICE] = _known(ExternalId.Kind.INVOICE, plan.keys[kind])
    # Invoices an earlier run imported make no reading now, and the readings above may count
    # some: then the mileage phase works every vehicle out from its readings instead.
    plan.readings_complete = not plan.known[ExternalId.Kind.INVOICE]
    if not plan.readings_complete:
        plan.vehicle_readings.clear()


def _reading_add(readings: dict[str, list], vehicle_key: str, at, reading: int) -> None:
    """Keep what the mileage estimate needs of a vehicle's readings: how many, the highest,
    the first and the last by date then mileage (as the mileage phase sorts them)."""
    seen = readings.get(vehicle_key)
    point = (at, reading)
    if seen is None:
        readings[vehicle_key] = [1, reading, point, point]
        return
    seen[0] += 1
    seen[1] = max(seen[1], reading)
    seen[2] = min(seen[2], point)
    seen[3] = max(seen[3], point)


def vehicle_mileage(
    plan: Plan, vehicle_key: str, odometer: int | None
) -> tuple[int | None, int | None]:
    """A new vehicle's odometer and annual mileage (None: the model's default) from its
    readings in the invoices, as the mileage phase would set them after."""
    seen = plan.vehicle_readings.get(vehicle_key) if plan.readings_complete else None
    if seen is None:
        return odometer, None
    count, highest, first, last = seen
    if highest > (odometer or 0):
        odometer = highest
    estimate = annual_mileage_estimate([first, last] if count > 1 else [first])
    return odometer, None if estimate is None else int(estimate)


def _read_lines(plan: Plan) -> None:
    kind = FileKind.INVOICE_LINES
    if kind not in plan.files:
        return
    column = _column(plan, kind, "invoice_key")
    for row in plan.rows(kind):
        _row_problems(plan, kind, row)
        plan.rows_total += 1
        if row.line in plan.bad[kind]:
            continue
        key = row.values["invoice_key"]
        lines = plan.invoice_lines.get(key)
        if lines is None:
            plan._problem(
                kind,
                row,
                column,
                f"invoice “{key}” is not in the invoice headers file (or is skipped)",
                True,
            )
            continue
        values = row.values
        net = values["signed_amount"]
        lines.count += 1
        lines.net += net
        lines.by_kind[values["kind"]] += values["amount"]
        if values["taxable"]:
            lines.taxable += values["amount"]


def _read_ar_items(plan: Plan) -> None:
    kind = FileKind.AR_ITEMS
    if kind not in plan.files:
        return
    column = _column(plan, kind, "customer_key")
    for row in plan.rows(kind):
        _row_problems(plan, kind, row)
        plan.rows_total += 1
        key = row.values.get("customer_key", "")
        if row.line not in plan.bad[kind] and not _customer_known(plan, key):
            plan._problem(kind, row, column, f"customer “{key}” is not in the customers file", True)


def _read_parts(plan: Plan) -> None:
    kind = FileKind.PARTS
    if kind not in plan.files:
        return
    first_line: dict[str, int] = {}
    column = _column(plan, kind, "part_number")
    for row in plan.rows(kind):
        if _keyed(plan, kind, row, first_line, column):
            plan.keys[kind].add(row.values["key"])


def _check_invoice_totals(plan: Plan) -> None:
    """An invoice whose lines do not add up to its printed total is kept as printed, flagged."""
    kind = FileKind.INVOICES
    if kind not in plan.files or FileKind.INVOICE_LINES not in plan.files:
        return
    column = _column(plan, kind, "grand_total")
    for key, lines in plan.invoice_lines.items():
        if not lines.count:
            continue
        discount, tax, total = lines.printed
        added = lines.net - discount + tax
        if abs(added - total) >= CENT:
            plan.problems.append(
                Problem(
                    kind,
                    lines.line,
                    column,
                    f"invoice {key}: lines ${lines.net:,.2f} less discount ${discount:,.2f} plus "
                    f"tax ${tax:,.2f} make ${added:,.2f}, the printed total is ${total:,.2f}: "
                    "kept as printed",
                    False,
                )
            )
