"""The catalog as CSV rows, read a chunk at a time so that 200,000 parts never sit in memory
(the view streams them as they come)."""

from __future__ import annotations

from collections.abc import Iterator

from parts.models import Part
from parts.selectors import _with_on_hand

EXPORT_HEADER = [
    "Part #", "Description", "Type", "Category", "Brand", "Cost", "Average cost",
    "List price", "Fixed price", "Core charge", "Taxable", "Stocked", "Bin",
    "Reorder point", "Reorder quantity", "On hand", "Active",
]  # fmt: skip
EXPORT_COLUMNS = [
    "number", "description", "kind", "category", "brand", "cost", "average_cost",
    "list_price", "fixed_price", "core_charge", "taxable", "stocked", "bin_location",
    "reorder_point", "reorder_quantity", "on_hand_total", "is_active",
]  # fmt: skip
CHUNK = 2000


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def catalog_export_rows() -> Iterator[list]:
    """The header, then every catalog item (inactive ones too, marked) by part #, with its
    on hand. One query, read through a server-side cursor on PostgreSQL in chunks."""
    yield EXPORT_HEADER
    rows = (
        _with_on_hand(Part.objects.all())
        .order_by("number_key")
        .values_list(*EXPORT_COLUMNS)
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        row = list(row)
        for index in (10, 11, 16):
            row[index] = _yes_no(row[index])
        row[15] = (row[15].normalize() + 0) if row[15] is not None else 0
        yield row
