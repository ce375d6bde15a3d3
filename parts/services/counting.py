"""The physical count: a count sheet lists the stocked parts of a bin (or the bins that
start with it) or of a category, frozen when it is made and printed; the counts typed
for the sheet's parts are posted together, each variance a `counted` movement, in one
transaction. A count for a part that is not on the sheet is refused: nothing is posted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from parts.models import CountSheet, CountSheetLine, Part, number_key
from parts.services.stock import _quantity, stock_count
from shop.errors import ServiceError
from shop.models import User

SHEET_LIMIT = 2000


@transaction.atomic
def count_sheet_create(*, by: User | None, by_what: str, value: str) -> CountSheet:
    """A sheet of the parts of one bin or category as they are now."""
    from parts.purchasing_selectors import count_sheet_parts

    if by_what not in CountSheet.By.values:
        raise ServiceError("Choose a bin or a category.", field="by_what")
    value = " ".join((value or "").split())
    if not value:
        label = "bin" if by_what == CountSheet.By.BIN else "category"
        raise ServiceError(f"Give the {label} to count.", field="value")
    part_ids = list(count_sheet_parts(by_what=by_what, value=value).values_list("pk", flat=True)[
        : SHEET_LIMIT + 1
    ])  # fmt: skip
    if not part_ids:
        raise ServiceError(f"No stocked part is in {value}.", field="value")
    if len(part_ids) > SHEET_LIMIT:
        raise ServiceError(
            f"{value} has more than {SHEET_LIMIT} parts: count it a bin at a time.", field="value"
        )
    sheet = CountSheet.objects.create(by_what=by_what, value=value[:60], created_by=by)
    CountSheetLine.objects.bulk_create(CountSheetLine(sheet=sheet, part_id=pk) for pk in part_ids)
    return sheet


@transaction.atomic
def count_sheet_post(
    *, by: User | None, sheet: CountSheet, counts: dict[int, Any],
    extra: dict[str, Any] | None = None,
) -> list:  # fmt: skip
    """Post the counts ({part id: counted}; blank: not counted). `extra` ({part #:
    counted}) is what was typed for parts found on the shelf but not listed: a part that
    is not on the sheet is refused by number, and nothing is posted."""
    sheet = CountSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.posted_at is not None:
        raise ServiceError(f"Count sheet #{sheet.pk} was posted already.")
    lines = {line.part_id: line for line in sheet.lines.select_related("part")}
    by_key = {line.part.number_key: line.part_id for line in lines.values()}
    typed: dict[int, Decimal] = {}
    refused: list[str] = []
    for number, raw in (extra or {}).items():
        if str(raw or "").strip() == "" and not str(number or "").strip():
            continue
        key = number_key(str(number))
        if not key:
            raise ServiceError("Give the part # of the extra count.", field="extra")
        if key not in by_key:
            refused.append(str(number).strip())
            continue
        counts = {**counts, by_key[key]: raw}
    if refused:
        known = set(Part.objects.filter(number_key__in=[number_key(n) for n in refused])
                    .values_list("number_key", flat=True))  # fmt: skip
        reasons = [
            f"{n} is not on this sheet" if number_key(n) in known else f"{n} is not in the catalog"
            for n in refused
        ]
        what = f"{sheet.get_by_what_display().lower()} {sheet.value}"
        raise ServiceError(
            "; ".join(reasons) + f". Count sheet #{sheet.pk} lists {what} only: count "
            "other parts on their own sheet. Nothing was posted.",
            field="extra",
        )
    for key, raw in counts.items():
        try:
            part_id = int(key)
        except (TypeError, ValueError):
            raise ServiceError("That count is for no part.") from None
        if part_id not in lines:
            part = Part.objects.filter(pk=part_id).first()
            name = part.number if part else f"Part {part_id}"
            raise ServiceError(f"{name} is not on count sheet #{sheet.pk}: nothing was posted.")
        text = "" if raw is None else str(raw).strip()
        if text == "":
            continue
        if text.startswith("-"):
            raise ServiceError(
                f"The count of {lines[part_id].part.number} cannot be negative.", field="counts"
            )
        typed[part_id] = _quantity(text, f"The count of {lines[part_id].part.number}")
    if not typed:
        raise ServiceError("Type at least one count.", field="counts")
    movements = []
    for part_id, counted in typed.items():
        line = lines[part_id]
        movement = stock_count(
            by=by, part=line.part, counted=counted,
            reason=f"Count sheet #{sheet.pk}: counted {counted.normalize():f}",
        )  # fmt: skip
        line.counted = counted
        line.movement = movement
        movements.append(movement)
    CountSheetLine.objects.bulk_update([lines[pk] for pk in typed], ["counted", "movement"])
    sheet.posted_at = timezone.now()
    sheet.posted_by = by
    sheet.save(update_fields=["posted_at", "posted_by"])
    return movements
