"""Vendor price files: a vendor's catalog as CSV, read with the columns saved for that vendor,
checked by a dry run (every bad row with its line, column and why), then applied by a
background job (parts.tasks) that creates or updates the parts and the vendor's costs, with
its progress on the run's row.

The file is read as a stream, one row at a time, and written in batches of `BATCH_ROWS`
(four queries and a few bulk writes per batch, each batch its own transaction with the
progress), so a 200,000-row catalog holds one batch in memory, plus the keys already seen
(a vendor's number twice in one file is a bad row).

A file with bad rows imports nothing unless the user chose to skip them. The encoding
(UTF-8 when the whole file is, else Windows-1252) and the delimiter are found by
`shop.text_files`, the reader the imports app uses too.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any, BinaryIO

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from parts.models import Part, PriceFileMapping, PriceFileRun, Vendor, VendorPart, number_key
from parts.services.catalog import decimal_read
from shop.errors import ServiceError
from shop.models import User
from shop.text_files import UnreadableText, delimiter_sniff, encoding_detect, utf8_bad_line
from workorders.models import TAXABLE_BY_DEFAULT, LineKind

logger = logging.getLogger(__name__)

State = PriceFileRun.State
BATCH_ROWS = 2000
PROBLEMS_KEPT = 500
MAX_BYTES = 200 * 1024 * 1024
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}
BAD_CHARACTER = "\ufffd"
EMPTY = "The file is empty: its first line should name the columns."
NOT_TEXT = "The file is not text (it has NUL bytes): save it as CSV and upload that."
PLAIN_MONEY = re.compile(r"\d{1,7}(?:\.\d{1,2})?")

# (code, label, required): what a price file's columns may be.
FIELDS = [
    ("vendor_number", "Vendor's part #", True),
    ("description", "Description", True),
    ("cost", "Cost", True),
    ("part_number", "Our part # (when it differs)", False),
    ("list_price", "List price", False),
    ("core_charge", "Core charge", False),
    ("category", "Category", False),
    ("brand", "Brand", False),
]
FIELD_LABELS = {code: label for code, label, _required in FIELDS}
REQUIRED = [code for code, _label, required in FIELDS if required]
# Headers vendors use, for the first guess at a mapping (lower case, letters and digits only).
HEADER_GUESSES = {
    "vendor_number": {"partnumber", "partno", "part", "itemnumber", "item", "itemno", "sku",
                      "vendorpart", "vendorpartnumber", "number", "catalognumber"},
    "description": {"description", "desc", "itemdescription", "name", "partdescription"},
    "cost": {"cost", "yourcost", "netcost", "dealercost", "price", "net", "jobber", "jobberprice"},
    "part_number": {"ourpart", "ourpartnumber", "shoppartnumber", "interchange"},
    "list_price": {"list", "listprice", "retail", "msrp", "retailprice"},
    "core_charge": {"core", "corecharge", "coreprice", "coredeposit"},
    "category": {"category", "productline", "group", "class"},
    "brand": {"brand", "manufacturer", "mfr", "make", "line"},
}  # fmt: skip
TEXT_LIMITS = {"description": 200, "category": 60, "brand": 60}


# --- Reading ----------------------------------------------------------------------


def _encoding_check(handle: BinaryIO, encoding: str) -> str:
    """'' when the file reads in this encoding, else the line where it stops (a file said
    to be UTF-8 that is not)."""
    if encoding == "cp1252":
        return ""
    line = utf8_bad_line(handle)
    if line is None:
        return ""
    return (
        f"The file is not UTF-8 text (line {line} has characters that are not): "
        "choose Windows-1252, or let the encoding be detected."
    )


def _text(handle: BinaryIO, encoding: str) -> io.TextIOWrapper:
    # A byte Windows-1252 does not define (or bad UTF-8) reads as U+FFFD, reported on its
    # row and column as a bad encoding.
    handle.seek(0)
    return io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")


def _headers_read(handle: BinaryIO, encoding: str) -> tuple[list[str], str]:
    text = _text(handle, encoding)
    try:
        sample = text.read(64 * 1024)
    finally:
        text.detach()
    delimiter = delimiter_sniff(sample)
    headers = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), [])
    headers = [" ".join(h.split()) for h in headers]
    return headers, delimiter


def _rows(run: PriceFileRun) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every data row, read one at a time."""
    with run.file.open("rb") as handle:
        text = _text(handle, run.encoding)
        reader = csv.reader(text, delimiter=run.delimiter)
        next(reader, None)  # the headers
        start = reader.line_num
        for cells in reader:
            if not any(c.strip() for c in cells):
                start = reader.line_num
                continue
            yield start + 1, cells
            start = reader.line_num


def _header_key(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch.isalnum())


def price_file_columns_guess(vendor: Vendor, headers: list[str]) -> dict[str, str]:
    """The vendor's saved columns (those still in the file), else a guess from the headers."""
    saved = PriceFileMapping.objects.filter(vendor=vendor).first()
    if saved is not None:
        columns = {f: h for f, h in saved.columns.items() if h in headers and f in FIELD_LABELS}
        if columns:
            return columns
    columns: dict[str, str] = {}
    for code, _label, _required in FIELDS:
        for header in headers:
            if _header_key(header) in HEADER_GUESSES[code] and header not in columns.values():
                columns[code] = header
                break
    return columns


# --- Upload and mapping -------------------------------------------------------------


@transaction.atomic
def price_file_upload(
    *, by: User | None, vendor: Vendor, upload: UploadedFile, encoding: str = ""
) -> PriceFileRun:
    """Keep the file, find its encoding, delimiter and headers, and start from the
    vendor's saved columns. A file that is empty, too big or in the wrong encoding is
    refused, nothing kept."""
    if upload is None or not upload.size:
        raise ServiceError("Choose the vendor's price file (a CSV file).", field="file")
    if upload.size > MAX_BYTES:
        raise ServiceError("The file is larger than 200 MB: split it.", field="file")
    name = upload.name or "price-file.csv"
    if name.lower().endswith((".xlsx", ".xls")):
        raise ServiceError(
            "Save the price file as CSV (Excel: File → Save As → CSV) and upload that.",
            field="file",
        )
    if encoding and encoding not in ENCODINGS:
        raise ServiceError("Choose UTF-8, Windows-1252 or let it be detected.", field="encoding")
    handle = upload.file
    head = handle.read(4096)
    handle.seek(0)
    if b"\x00" in head:
        raise ServiceError(NOT_TEXT, field="file")
    # UTF-8 when the whole file is, else Windows-1252 (what Excel on Windows saves): a byte
    # that Windows-1252 does not have is marked on its row, not a reason to refuse the file.
    try:
        encoding = encoding or encoding_detect(handle, otherwise="cp1252")
    except UnreadableText as unreadable:
        if unreadable.reason == "empty":
            raise ServiceError(EMPTY) from None
        raise ServiceError(NOT_TEXT, field="file") from None
    problem = _encoding_check(handle, encoding)
    if problem:
        raise ServiceError(problem, field="encoding")
    headers, delimiter = _headers_read(handle, encoding)
    if not any(headers):
        raise ServiceError(EMPTY)
    if len(set(headers)) != len(headers):
        raise ServiceError(
            "Two columns of the file have the same header: name each column once.", field="file"
        )
    handle.seek(0)
    run = PriceFileRun(
        vendor=vendor,
        original_name=name[-255:],
        encoding=encoding,
        delimiter=delimiter,
        headers=headers,
        created_by=by,
    )
    run.columns = price_file_columns_guess(vendor, headers)
    run.file.save(name.rsplit("/", 1)[-1][-100:], upload, save=False)
    run.save()
    return run


def _columns_checked(run: PriceFileRun, columns: dict[str, Any]) -> dict[str, str]:
    unknown = set(columns) - set(FIELD_LABELS)
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    chosen = {f: str(h) for f, h in columns.items() if h}
    strange = [h for h in chosen.values() if h not in run.headers]
    if strange:
        raise ServiceError(f"The file has no column “{strange[0]}”.")
    used: dict[str, str] = {}
    for code, header in chosen.items():
        if header in used:
            raise ServiceError(
                f"The column “{header}” is chosen for both {FIELD_LABELS[used[header]]} and "
                f"{FIELD_LABELS[code]}: one column, one field.",
                field=code,
            )
        used[header] = code
    missing = [FIELD_LABELS[f] for f in REQUIRED if f not in chosen]
    if missing:
        raise ServiceError(
            f"Choose the file's column for {', '.join(missing)}: it is needed.",
            field=next(f for f in REQUIRED if f not in chosen),
        )
    return chosen


# --- Checking rows ------------------------------------------------------------------


@dataclass
class PriceRow:
    line: int
    vendor_number: str
    vendor_key: str
    part_number: str
    part_key: str
    values: dict[str, Any] = field(default_factory=dict)


def _number(text: str, label: str) -> tuple[str, str]:
    number = " ".join(text.split())
    if not number:
        raise ServiceError(f"missing {label}")
    if len(number) > 40:
        raise ServiceError(f"{label} “{number[:40]}…” is longer than 40 characters")
    key = number_key(number)
    if not key:
        raise ServiceError(f"{label} “{number}” has no letter or digit")
    return number, key


class _Checker:
    """Reads rows into PriceRows or problems ([line, column header, why]); remembers the
    numbers seen so a vendor's number (or our part #) twice in the file is a bad row."""

    def __init__(self, run: PriceFileRun) -> None:
        self.columns = run.columns
        index = {header: i for i, header in enumerate(run.headers)}
        self.index = {code: index[header] for code, header in run.columns.items()}
        self.seen_vendor: dict[str, int] = {}
        self.seen_part: dict[str, int] = {}

    def check(self, line: int, cells: list[str]) -> tuple[PriceRow | None, list[list]]:
        got = {code: (cells[i] if i < len(cells) else "") for code, i in self.index.items()}
        problems: list[list] = []

        def bad(code: str, why: str) -> None:
            problems.append([line, self.columns[code], why])

        for code, value in got.items():
            if BAD_CHARACTER in value:
                bad(code, "bad encoding: characters that are not Windows-1252 or UTF-8 text")
        if problems:
            return None, problems
        vendor_number = vendor_key = part_number = part_key = ""
        try:
            vendor_number, vendor_key = _number(got["vendor_number"], "part number")
        except ServiceError as error:
            bad("vendor_number", error.message)
        if got.get("part_number", "").strip():
            try:
                part_number, part_key = _number(got["part_number"], "our part number")
            except ServiceError as error:
                bad("part_number", error.message)
        values: dict[str, Any] = {}
        description = " ".join(got["description"].split())
        if not description:
            bad("description", "missing description")
        values["description"] = description
        for code in ("cost", "list_price", "core_charge"):
            if code not in got:
                continue
            text = got[code].strip()
            if code == "cost" and not text:
                bad(code, "missing cost")
                continue
            if text.startswith("(") and text.endswith(")"):
                text = "-" + text[1:-1]  # (4.50): accountants' negative
            if PLAIN_MONEY.fullmatch(text):
                values[code] = Decimal(text)  # the usual "28.50": no need for the long read
                continue
            try:
                values[code] = decimal_read(text, FIELD_LABELS[code], code, optional=True)
            except ServiceError as error:
                reason = error.message.rstrip(".")
                if "negative" in reason:
                    reason = f"negative {FIELD_LABELS[code].lower()} ({text})"
                elif "number" in reason:
                    reason = f"{FIELD_LABELS[code].lower()} “{text[:30]}” is not a number"
                bad(code, reason)
        for code, limit in TEXT_LIMITS.items():
            if code not in got:
                continue
            text = " ".join(got[code].split())
            if len(text) > limit:
                bad(code, f"{FIELD_LABELS[code].lower()} is longer than {limit} characters")
            values[code] = text
        if vendor_key:
            first = self.seen_vendor.get(vendor_key)
            if first is not None:
                bad(
                    "vendor_number",
                    f"duplicate part number: {vendor_number} is also on line {first}",
                )
            else:
                self.seen_vendor[vendor_key] = line
            own = part_key or vendor_key
            first = self.seen_part.get(own) if first is None else None
            if first is not None:
                bad(
                    "part_number" if part_key else "vendor_number",
                    f"duplicate part number: {part_number or vendor_number} is also on line "
                    f"{first}",
                )
            elif own not in self.seen_part:
                self.seen_part[own] = line
        if problems:
            return None, problems
        row = PriceRow(line, vendor_number, vendor_key, part_number or vendor_number,
                       part_key or vendor_key, values)  # fmt: skip
        return row, []


def price_file_check(*, by: User | None, run_id: int, columns: dict[str, Any]) -> PriceFileRun:
    """The dry run: save the columns (for this vendor's next file too), read every row and
    keep the bad ones with their line, column and why. Writes nothing but the run."""
    with transaction.atomic():
        run = PriceFileRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            raise ServiceError("That price file does not exist.", code="not_found")
        if run.state not in {State.UPLOADED, State.CHECKED}:
            raise ServiceError(
                f"This price file is {run.get_state_display().lower()}: upload it again to "
                "check it again.",
                code="conflict",
            )
        run.columns = _columns_checked(run, columns)
        PriceFileMapping.objects.update_or_create(
            vendor_id=run.vendor_id, defaults={"columns": run.columns, "saved_by": by}
        )
        run.save(update_fields=["columns"])
    checker = _Checker(run)
    rows = bad_rows = 0
    problems: list[list] = []
    for line, cells in _rows(run):
        rows += 1
        _row, found = checker.check(line, cells)
        if found:
            bad_rows += 1
            room = PROBLEMS_KEPT - len(problems)
            if room > 0:
                problems.extend(found[:room])
    file_error = "" if rows else "The file has no rows under its headers."
    PriceFileRun.objects.filter(pk=run.pk).update(
        state=State.CHECKED,
        rows=rows,
        bad_rows=bad_rows,
        problems=problems,
        file_error=file_error,
        checked_at=timezone.now(),
        skip_bad_rows=False,
    )
    run.refresh_from_db()
    return run


# --- Applying -----------------------------------------------------------------------


@transaction.atomic
def price_file_apply_start(*, by: User | None, run_id: int, skip_bad_rows: bool = False
                           ) -> PriceFileRun:  # fmt: skip
    """Queue the apply job of a checked file. Bad rows stop it unless the user chose to
    skip them; nothing is written then."""
    run = PriceFileRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise ServiceError("That price file does not exist.", code="not_found")
    if run.state == State.UPLOADED:
        raise ServiceError("Run the dry run first: the import writes what it shows.")
    if run.state not in {State.CHECKED, State.FAILED} and not run_stalled(run):
        raise ServiceError(
            f"This price file is {run.get_state_display().lower()}: it cannot be started again.",
            code="conflict",
        )
    if run.file_error:
        raise ServiceError(f"{run.file_error} Nothing was written.")
    if run.bad_rows and not skip_bad_rows:
        raise ServiceError(
            f"The dry run found {run.bad_rows} bad row{'s' if run.bad_rows != 1 else ''}. Fix "
            "the file and upload it again, or tick “Skip the bad rows” to import the rest. "
            "Nothing was written."
        )
    fields: dict[str, Any] = {
        "state": State.QUEUED,
        "skip_bad_rows": bool(skip_bad_rows),
        "applied_by": by,
        "error": "",
        "heartbeat_at": timezone.now(),
        "total": run.rows - run.bad_rows,
    }
    if run.state == State.CHECKED:
        fields.update(done=0, position=0, counts={})
    PriceFileRun.objects.filter(pk=run.pk).update(**fields)
    transaction.on_commit(partial(_dispatch, run.pk), robust=True)
    run.refresh_from_db()
    return run


STALL_AFTER = timedelta(minutes=5)


def run_stalled(run: PriceFileRun) -> bool:
    """Queued or importing, but its job has not moved for five minutes (no worker took it,
    or its worker died): it may be started again, and resumes after the last batch."""
    return (
        run.state in {State.QUEUED, State.RUNNING}
        and run.heartbeat_at is not None
        and run.heartbeat_at < timezone.now() - STALL_AFTER
    )


def _dispatch(run_id: int) -> None:
    from parts.tasks import apply_price_file

    try:
        apply_price_file.delay(run_id)
    except Exception:
        logger.exception("Could not queue price file %s", run_id)
        PriceFileRun.objects.filter(pk=run_id, state=State.QUEUED).update(
            state=State.FAILED,
            error="The background worker could not be reached. Start the import again.",
        )


def price_file_apply_run(run_id: int) -> None:
    """The job: read the file again and write its good rows in batches, each batch in its
    own transaction with the progress, so the bar moves and a restarted job resumes after
    the last batch written."""
    claimed = PriceFileRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    if not claimed:
        return
    run = PriceFileRun.objects.select_related("vendor").get(pk=run_id)
    checker = _Checker(run)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, **run.counts}
    batch: list[PriceRow] = []
    try:
        for line, cells in _rows(run):
            row, problems = checker.check(line, cells)
            if line <= run.position:
                continue  # written by the job before it stopped
            if problems:
                if not run.skip_bad_rows:
                    raise ServiceError(
                        f"Line {line} is bad ({problems[0][2]}): the file changed since the "
                        "dry run. Upload it again."
                    )
                counts["skipped"] += 1
                continue
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                _batch_write(run, batch, counts)
                batch = []
        if batch:
            _batch_write(run, batch, counts)
    except Exception as error:
        logger.exception("Price file %s stopped", run_id)
        message = error.message if isinstance(error, ServiceError) else (
            "The import stopped on an unexpected error; the rows before it were written. "
            "Start it again to resume."
        )  # fmt: skip
        PriceFileRun.objects.filter(pk=run_id).update(state=State.FAILED, error=message)
        return
    PriceFileRun.objects.filter(pk=run_id).update(
        state=State.DONE, counts=counts, finished_at=timezone.now(), error=""
    )


PART_FIELDS_FROM_FILE = ["description", "cost", "list_price", "core_charge", "category", "brand"]
NEW_PART_FIELDS = ["number", "number_key", *PART_FIELDS_FROM_FILE]


@dataclass
class _Link:
    """A vendor's number for a part, as a batch reads and writes it."""

    pk: int | None
    part_id: int | None
    vendor_number: str
    vendor_number_key: str
    cost: Decimal


@transaction.atomic
def _batch_write(run: PriceFileRun, rows: list[PriceRow], counts: dict[str, int]) -> None:
    """Create or update one batch's parts and the vendor's numbers and costs; then the
    progress, in the same transaction. Three reads and at most four writes, whatever the
    batch's size."""
    store = _PostgresStore() if _fast_writes() else _OrmStore()
    vendor = run.vendor
    now = timezone.now()
    by_vendor_key = store.links_by_key(vendor.pk, [r.vendor_key for r in rows])
    loose = [r for r in rows if r.vendor_key not in by_vendor_key]
    parts_by_key = store.parts_by_key([r.part_key for r in loose])
    part_ids = {p["id"] for p in parts_by_key.values()}
    part_ids |= {link.part_id for link in by_vendor_key.values()}
    parts = store.parts_by_id(list(part_ids)) if part_ids else {}
    link_of_part = store.links_by_part(vendor.pk, [p["id"] for p in parts_by_key.values()])
    parts_changed: dict[int, dict] = {}
    links_changed: dict[int, _Link] = {}
    new_parts: list[dict] = []
    new_links: list[tuple[dict, PriceRow]] = []
    for row in rows:
        link = by_vendor_key.get(row.vendor_key)
        if link is not None:
            part = parts[link.part_id]
        else:
            found = parts_by_key.get(row.part_key)
            part = parts[found["id"]] if found is not None else None
        if part is None:
            part = {"number": row.part_number, "number_key": row.part_key, "list_price": None,
                    "core_charge": ZERO, "category": "", "brand": ""}  # fmt: skip
            part.update((k, v) for k, v in row.values.items() if v is not None)
            new_parts.append(part)
            new_links.append((part, row))
            counts["created"] += 1
            continue
        if link is None:
            link = link_of_part.get(part["id"])
        changed = _part_take(part, row.values)
        if changed:
            parts_changed[part["id"]] = part
        if link is None:
            new_links.append((part, row))
            changed = True
        elif (link.vendor_number, link.cost) != (row.vendor_number, row.values["cost"]):
            link.vendor_number = row.vendor_number
            link.vendor_number_key = row.vendor_key
            link.cost = row.values["cost"]
            links_changed[link.pk] = link
            changed = True
        counts["updated" if changed else "unchanged"] += 1
    if new_parts:
        store.parts_create(new_parts, now)
    if parts_changed:
        store.parts_update(list(parts_changed.values()), now)
    if links_changed:
        store.links_update(list(links_changed.values()), now)
    if new_links:
        store.links_create(
            vendor.pk,
            [_Link(None, part["id"], row.vendor_number, row.vendor_key, row.values["cost"])
             for part, row in new_links],
            now,
        )  # fmt: skip
    run.done += len(rows)
    run.position = rows[-1].line
    PriceFileRun.objects.filter(pk=run.pk).update(
        done=run.done, position=run.position, counts=counts, heartbeat_at=now
    )


ZERO = Decimal("0.00")


def _fast_writes() -> bool:
    return connection.vendor == "postgresql"


class _OrmStore:
    """A batch's reads and writes through the ORM (SQLite, and the reference for the
    PostgreSQL store below)."""

    def links_by_key(self, vendor_id: int, keys: list[str]) -> dict[str, _Link]:
        rows = VendorPart.objects.filter(vendor_id=vendor_id, vendor_number_key__in=keys)
        return {
            r[3]: _Link(*r)
            for r in rows.values_list("pk", "part_id", "vendor_number", "vendor_number_key", "cost")
        }

    def links_by_part(self, vendor_id: int, part_ids: list[int]) -> dict[int, _Link]:
        rows = VendorPart.objects.filter(vendor_id=vendor_id, part_id__in=part_ids)
        return {
            r[1]: _Link(*r)
            for r in rows.values_list("pk", "part_id", "vendor_number", "vendor_number_key", "cost")
        }

    def parts_by_key(self, keys: list[str]) -> dict[str, dict]:
        rows = Part.objects.filter(number_key__in=keys).values("id", "number_key")
        return {r["number_key"]: r for r in rows}

    def parts_by_id(self, ids: list[int]) -> dict[int, dict]:
        rows = Part.objects.filter(pk__in=ids).values("id", *PART_FIELDS_FROM_FILE)
        return {r["id"]: r for r in rows}

    def parts_create(self, parts: list[dict], now) -> None:
        made = Part.objects.bulk_create(
            [
                Part(
                    **{name: part[name] for name in NEW_PART_FIELDS},
                    average_cost=part["cost"],
                    kind=LineKind.PART,
                    taxable=TAXABLE_BY_DEFAULT[LineKind.PART],
                    stocked=True,
                )
                for part in parts
            ],
            batch_size=BATCH_ROWS,
        )
        for part, row in zip(parts, made, strict=True):
            part["id"] = row.pk

    def parts_update(self, parts: list[dict], now) -> None:
        Part.objects.bulk_update(
            [Part(updated_at=now, **part) for part in parts],
            [*PART_FIELDS_FROM_FILE, "updated_at"],
            batch_size=500,
        )

    def links_update(self, links: list[_Link], now) -> None:
        VendorPart.objects.bulk_update(
            [
                VendorPart(
                    pk=link.pk,
                    vendor_number=link.vendor_number,
                    vendor_number_key=link.vendor_number_key,
                    cost=link.cost,
                    updated_at=now,
                )
                for link in links
            ],
            ["vendor_number", "vendor_number_key", "cost", "updated_at"],
            batch_size=500,
        )

    def links_create(self, vendor_id: int, links: list[_Link], now) -> None:
        VendorPart.objects.bulk_create(
            [
                VendorPart(
                    vendor_id=vendor_id,
                    part_id=link.part_id,
                    vendor_number=link.vendor_number,
                    vendor_number_key=link.vendor_number_key,
                    cost=link.cost,
                )
                for link in links
            ],
            batch_size=BATCH_ROWS,
        )


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


class _PostgresStore:
    """The same reads and writes, each one statement over arrays (`= ANY`, `unnest`) on a
    server-side-binding cursor: the ORM's bulk writes and Django's client-side quoting spent
    most of a 200,000-row file preparing each value in Python."""

    part = Part._meta.db_table
    link = VendorPart._meta.db_table

    def __init__(self) -> None:
        import psycopg

        connection.ensure_connection()
        self.cursor = psycopg.Cursor(connection.connection)

    def _rows(self, sql: str, params: list) -> list[tuple]:
        self.cursor.execute(sql, params)
        return self.cursor.fetchall()

    def _links(self, where: str, vendor_id: int, values: list, cast: str) -> list[_Link]:
        return [
            _Link(*r)
            for r in self._rows(
                f"SELECT id, part_id, vendor_number, vendor_number_key, cost FROM {self.link} "
                f"WHERE vendor_id = %s AND {where} = ANY(%s::{cast}[])",
                [vendor_id, values],
            )
        ]

    def links_by_key(self, vendor_id: int, keys: list[str]) -> dict[str, _Link]:
        links = self._links("vendor_number_key", vendor_id, keys, "text")
        return {link.vendor_number_key: link for link in links}

    def links_by_part(self, vendor_id: int, part_ids: list[int]) -> dict[int, _Link]:
        if not part_ids:
            return {}
        return {
            link.part_id: link for link in self._links("part_id", vendor_id, part_ids, "bigint")
        }

    def parts_by_key(self, keys: list[str]) -> dict[str, dict]:
        if not keys:
            return {}
        key = _column(Part, "number_key")
        rows = self._rows(
            f"SELECT id, {key} FROM {self.part} WHERE {key} = ANY(%s::text[])", [keys]
        )
        return {k: {"id": pk, "number_key": k} for pk, k in rows}

    def parts_by_id(self, ids: list[int]) -> dict[int, dict]:
        columns = ", ".join(_column(Part, name) for name in PART_FIELDS_FROM_FILE)
        rows = self._rows(
            f"SELECT id, {columns} FROM {self.part} WHERE id = ANY(%s::bigint[])", [ids]
        )
        return {r[0]: dict(zip(["id", *PART_FIELDS_FROM_FILE], r, strict=True)) for r in rows}

    def parts_create(self, parts: list[dict], now) -> None:
        names = [*NEW_PART_FIELDS, "average_cost", "kind", "taxable", "stocked",
                 "bin_location", "reorder_point", "reorder_quantity", "is_active",
                 "created_at", "updated_at"]  # fmt: skip
        key = _column(Part, "number_key")
        rows = self._rows(
            f"INSERT INTO {self.part} ({', '.join(_column(Part, n) for n in names)}) "
            "SELECT v.*, v.cost, %s, %s, true, '', 0, 0, true, %s, %s FROM unnest("
            "%s::text[], %s::text[], %s::text[], %s::numeric[], %s::numeric[], %s::numeric[], "
            f"%s::text[], %s::text[]) AS v(number, {key}, description, cost, list_price, "
            f"core_charge, category, brand) RETURNING id, {key}",
            [LineKind.PART.value, TAXABLE_BY_DEFAULT[LineKind.PART], now, now,
             *([part[name] for part in parts] for name in NEW_PART_FIELDS)],
        )  # fmt: skip
        ids = dict((k, pk) for pk, k in rows)
        for part in parts:
            part["id"] = ids[part["number_key"]]

    def parts_update(self, parts: list[dict], now) -> None:
        sets = ", ".join(f"{_column(Part, name)} = v.{name}" for name in PART_FIELDS_FROM_FILE)
        self.cursor.execute(
            f"UPDATE {self.part} SET {sets}, updated_at = %s FROM unnest(%s::bigint[], "
            "%s::text[], %s::numeric[], %s::numeric[], %s::numeric[], %s::text[], %s::text[]) "
            "AS v(id, description, cost, list_price, core_charge, category, brand) "
            f"WHERE {self.part}.id = v.id",
            [now, [p["id"] for p in parts],
             *([p[name] for p in parts] for name in PART_FIELDS_FROM_FILE)],
        )  # fmt: skip

    def links_update(self, links: list[_Link], now) -> None:
        self.cursor.execute(
            f"UPDATE {self.link} SET vendor_number = v.number, vendor_number_key = v.key, "
            "cost = v.cost, updated_at = %s FROM unnest(%s::bigint[], %s::text[], "
            "%s::text[], %s::numeric[]) AS v(id, number, key, cost) "
            f"WHERE {self.link}.id = v.id",
            [now, [k.pk for k in links], [k.vendor_number for k in links],
             [k.vendor_number_key for k in links], [k.cost for k in links]],
        )  # fmt: skip

    def links_create(self, vendor_id: int, links: list[_Link], now) -> None:
        self.cursor.execute(
            f"INSERT INTO {self.link} (vendor_id, part_id, vendor_number, vendor_number_key, "
            "cost, updated_at) SELECT %s, v.*, %s FROM unnest(%s::bigint[], %s::text[], "
            "%s::text[], %s::numeric[]) AS v",
            [vendor_id, now, [k.part_id for k in links], [k.vendor_number for k in links],
             [k.vendor_number_key for k in links], [k.cost for k in links]],
        )  # fmt: skip


def _part_take(part: dict, values: dict[str, Any]) -> bool:
    """Give the part the file's values (an empty optional cell keeps the part's own);
    True when something changed."""
    changed = False
    for name, value in values.items():
        if value is None or (value == "" and name != "description"):
            continue
        if part.get(name) != value:
            part[name] = value
            changed = True
    return changed
