"""The documents of each output: labels, postcards, letters, the report and the CSV file."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.template.loader import render_to_string

from followups.criteria import FIELD_LABELS
from followups.merge import _text, merge
from shop.csv import csv_writer

LABELS_PER_SHEET = 30  # Avery 5160: 3 across, 10 down on US Letter
POSTCARDS_PER_SHEET = 4
# Sheets per batch rendered by one process: small enough to keep memory low,
# big enough that WeasyPrint's per-document start-up does not dominate.
LABEL_SHEETS_PER_BATCH = 12
LETTERS_PER_BATCH = 60
POSTCARD_SHEETS_PER_BATCH = 40
# Characters that fit on one line of a 2.625 in label at 10, 8.5 and 7 pt (fit 0, 1, 2);
# longer lines are cut at the label's edge.
LABEL_FITS = [30, 36, 44]


def address_lines(row: dict) -> list[str]:
    city = " ".join(
        p
        for p in [
            f"{row.get('city')}," if row.get("city") else "",
            row.get("state"),
            row.get("postcode"),
        ]
        if p
    ).strip(", ")
    lines = [row.get("name") or "", row.get("address_line1") or "", row.get("address_line2") or "",
             city]  # fmt: skip
    if row.get("kind") == "company" and row.get("first_name") and row.get("company_name"):
        lines.insert(1, f"Attn: {row.get('first_name')} {row.get('last_name') or ''}".strip())
    return [line for line in lines if line][:4]


def fitted_label(row: dict) -> dict:
    """The address on a label, its font size chosen so the longest line fits."""
    lines = address_lines(row)
    longest = max((len(line) for line in lines), default=0)
    fit = next((i for i, width in enumerate(LABEL_FITS) if longest <= width), len(LABEL_FITS) - 1)
    return {"text": "\n".join(" ".join(line.split()) for line in lines), "fit": fit}


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def labels_batches(rows: Sequence[dict]) -> list[str]:
    labels = [fitted_label(row) for row in rows]
    sheets = _chunks(labels, LABELS_PER_SHEET)
    return [
        render_to_string("followups/pdf/labels.html", {"sheets": batch})
        for batch in _chunks(sheets, LABEL_SHEETS_PER_BATCH)
    ]


def labels_single_document(rows: Sequence[dict]) -> str:
    labels = [fitted_label(row) for row in rows]
    return render_to_string(
        "followups/pdf/labels.html", {"sheets": _chunks(labels, LABELS_PER_SHEET)}
    )


def _merged(rows: Iterable[dict], template, extra: dict) -> list[dict]:
    merged = []
    for row in rows:
        values = {**extra, **row}
        paragraphs = [p.strip() for p in merge(template.body, values).split("\n\n") if p.strip()]
        merged.append({"address": address_lines(row), "paragraphs": paragraphs, "row": row})
    return merged


def letters_batches(rows: Sequence[dict], template, *, shop, today, extra: dict) -> list[str]:
    letters = _merged(rows, template, extra)
    return [
        render_to_string(
            "followups/pdf/letters.html", {"letters": batch, "shop": shop, "today": today}
        )
        for batch in _chunks(letters, LETTERS_PER_BATCH)
    ]


def postcards_batches(
    rows: Sequence[dict], template, *, shop, extra: dict, single: bool
) -> list[str]:
    cards = _merged(rows, template, extra)
    if single:
        return [
            render_to_string("followups/pdf/postcard_single.html", {"cards": batch, "shop": shop})
            for batch in _chunks(cards, POSTCARD_SHEETS_PER_BATCH * POSTCARDS_PER_SHEET)
        ]
    sheets = _chunks(cards, POSTCARDS_PER_SHEET)
    return [
        render_to_string("followups/pdf/postcards.html", {"sheets": batch, "shop": shop})
        for batch in _chunks(sheets, POSTCARD_SHEETS_PER_BATCH)
    ]


def report_html(rows: Sequence[dict], fields: list[str], *, title: str, shop, today) -> str:
    table = [[_text(row.get(f)) for f in fields] for row in rows]
    return render_to_string(
        "followups/pdf/report.html",
        {
            "title": title,
            "headers": [FIELD_LABELS[f] for f in fields],
            "table": table,
            "count": len(table),
            "shop": shop,
            "today": today,
        },
    )


def csv_bytes(rows: Iterable[dict], fields: list[str]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read accents and dashes right."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([FIELD_LABELS[f] for f in fields])
    for row in rows:
        writer.writerow([row.get(f) for f in fields])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
