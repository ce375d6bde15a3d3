"""Reading the files shops have: CSV in whatever encoding the old system wrote, or .xlsx.

A file is read as a stream of rows (lists of strings), never loaded whole: the header row
first, then one list per line with its line number in the file, so that a problem is named
by the line the owner sees in a spreadsheet. CSV encodings: UTF-8 (with or without a byte
order mark), UTF-16 with its byte order mark, and Windows-1252 (what US point-of-sale systems
on Windows export); anything else is refused with its name. The delimiter (comma,
semicolon, tab or pipe) is sniffed from the first lines. The encoding and the delimiter are
found by `shop.text_files`, as for the parts' price files; the refusals are worded here.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from shop.errors import ServiceError
from shop.text_files import ENCODING_NAMES, UnreadableText, delimiter_sniff
from shop.text_files import encoding_detect as text_encoding_detect

# What is read from the upload at a time.
READ_BYTES = 1 << 20

__all__ = ["ENCODING_NAMES", "FileShape", "TableReader", "encoding_detect"]


@dataclass(frozen=True)
class FileShape:
    """What was learned about a file: its format, encoding and delimiter, and its headers."""

    format: str  # "csv" or "xlsx"
    encoding: str  # "" for xlsx
    delimiter: str  # "" for xlsx
    headers: list[str]

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)


def _is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def encoding_detect(handle: BinaryIO) -> str:
    """The file's encoding (a Python codec name), or a ServiceError that says what is wrong."""
    try:
        return text_encoding_detect(handle)
    except UnreadableText as unreadable:
        if unreadable.reason == "empty":
            raise ServiceError("The file is empty.", code="empty") from None
        if unreadable.reason == "binary":
            raise ServiceError(
                "This is not a CSV or Excel (.xlsx) file: it holds binary data. Export the data "
                "from the old system as CSV or XLSX.",
                code="not_table",
            ) from None
        named = f" (it looks like {unreadable.looks_like})" if unreadable.looks_like else ""
        raise ServiceError(
            f"The file's characters are in an encoding that cannot be read{named}. Save it as "
            "“CSV UTF-8” (or Windows-1252) and upload it again.",
            code="encoding",
        ) from None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        midnight = value.hour == value.minute == value.second == 0
        return value.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        # Excel keeps every number as a float: 1234.5 stays 1234.5, 42.0 is 42.
        return str(Decimal(repr(value)).normalize()) if value != int(value) else str(int(value))
    return str(value).strip()


class TableReader:
    """A file's rows, streamed: `shape` first, then `rows()` any number of times."""

    def __init__(self, handle: BinaryIO, name: str = ""):
        self.handle = handle
        self.name = name
        self.shape = self._shape()

    def _shape(self) -> FileShape:
        self.handle.seek(0)
        head = self.handle.read(8)
        self.handle.seek(0)
        if not head:
            raise ServiceError("The file is empty.", code="empty")
        if _is_xlsx(head):
            headers = next(self._xlsx_rows(), (0, []))[1]
            shape = FileShape("xlsx", "", "", headers)
        else:
            if self.name.lower().endswith((".xls", ".pdf", ".zip", ".doc", ".docx")):
                raise ServiceError(
                    "This is not a CSV or Excel (.xlsx) file: only those can be imported. Save "
                    "the sheet as .xlsx or CSV.",
                    code="not_table",
                )
            encoding = encoding_detect(self.handle)
            text = self._text(encoding)
            sample = text.read(64 * 1024)
            delimiter = delimiter_sniff(sample)
            headers = next(self._csv_rows(encoding, delimiter), (0, []))[1]
            shape = FileShape("csv", encoding, delimiter, headers)
        headers = [h.strip() for h in shape.headers]
        while headers and not headers[-1]:
            headers.pop()
        if not any(headers):
            raise ServiceError("The file is empty: it has no header row.", code="empty")
        seen = set()
        for header in headers:
            if header and header.lower() in seen:
                raise ServiceError(
                    f"The column “{header}” appears twice in the header row: rename one.",
                    code="header",
                )
            seen.add(header.lower())
        return FileShape(shape.format, shape.encoding, shape.delimiter, headers)

    def _text(self, encoding: str) -> io.TextIOWrapper:
        self.handle.seek(0)
        return io.TextIOWrapper(
            io.BufferedReader(_Unclosed(self.handle), buffer_size=READ_BYTES),
            encoding=encoding,
            newline="",
        )

    def _csv_rows(self, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._text(encoding), delimiter=delimiter)
        strip = str.strip
        try:
            for row in reader:
                yield reader.line_num, list(map(strip, row))
        except csv.Error as error:
            raise ServiceError(
                f"Line {reader.line_num} of the file cannot be read as CSV ({error}).",
                code="malformed",
            ) from None

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        import openpyxl

        self.handle.seek(0)
        try:
            book = openpyxl.load_workbook(self.handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise ServiceError(
                f"This file cannot be opened as an Excel .xlsx workbook ({error}).",
                code="not_table",
            ) from None
        try:
            sheet = book.worksheets[0]
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell(value) for value in row]
        finally:
            book.close()

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {header: value}) for every non-blank row after the header row."""
        shape = self.shape
        source = (
            self._xlsx_rows()
            if shape.format == "xlsx"
            else self._csv_rows(shape.encoding, shape.delimiter)
        )
        headers = shape.headers
        width = len(headers)
        # Rows are as wide as the header row nearly always: one zip, the unnamed columns
        # dropped after.
        unnamed = [header for header in headers if not header]
        padding = [""] * width
        next(source, None)  # the header row
        for number, cells in source:
            if not any(cells):
                continue
            if len(cells) < width:
                cells = cells + padding[len(cells) :]
            row = dict(zip(headers, cells, strict=False))
            for header in unnamed:
                row.pop(header, None)
            yield number, row

    def samples(self, count: int = 3) -> dict[str, str]:
        """The first non-empty value of each column among the first rows."""
        found: dict[str, str] = {}
        for index, (_number, row) in enumerate(self.rows()):
            for header, value in row.items():
                if value and header not in found:
                    found[header] = value
            if index >= 50 or len(found) == len(self.shape.headers):
                break
        return found


class _Unclosed(io.RawIOBase):
    """The upload's handle, read through a TextIOWrapper that must not close it."""

    def __init__(self, handle: BinaryIO):
        self._handle = handle

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._handle.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:  # the upload stays open for the next read
        pass
