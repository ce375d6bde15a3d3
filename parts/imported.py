"""Parts brought in from a shop's old system go into the catalog.

Registered in `shop.imported_records` (kind "parts") from `PartsConfig.ready()`: the
importer hands over each batch of parts in its own transaction and keeps the ids of the
parts created here in its undo journal. A part number already in the catalog (compared as
the search compares it, `number_key`) is left as the shop keeps it; a new one is created
with the old system's description, cost (also its average cost), price (its list price)
and bin, and, when the old system had a quantity on hand, one COUNTED stock movement of
that quantity tagged with the import (`reason`), so on hand is the sum of the movements as
always.

Undo: stock movements are append-only and a trigger refuses any DELETE, except (migration
`0002_importspeed_movement_import_undo`) of a COUNTED movement whose `reason` names the
import being undone in `parts.undo_import` for the transaction. A part sold, received,
counted or put on a work order since the import is named in the refusal.

Vendors: a new part whose row names a vendor is linked to it (`VendorPart`) with the
vendor's part number (the part's own when the old system had none) and the cost. The vendor
is the shop's of that name (compared without case and extra spaces), or one created here and
marked with the import (`Vendor.imported_from`). A vendor's number already used by that
vendor for another part is not linked again (the part is still created). The undo deletes
the links with the parts, and the vendors the import created, unless one has since been
used (a purchase order, a price file, a part not from this import), which is named in the
refusal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models.functions import Lower
from django.utils import timezone

from parts.models import Part, PartLine, StockMovement, Vendor, VendorPart, number_key
from shop.errors import ServiceError
from shop.models import User

NAMED = 5
ZERO = Decimal("0.00")


def _reason(source: str) -> str:
    return f"On hand in the old system ({source})"


def _money(value: Decimal | None) -> Decimal:
    return max(value or ZERO, ZERO)


def imported_parts_write(*, rows: list[dict[str, Any]], source: str, by: User | None) -> list[int]:
    keys = {number_key(row["part_number"]) for row in rows}
    existing = set(Part.objects.filter(number_key__in=keys).values_list("number_key", flat=True))
    new: list[tuple[Part, dict]] = []
    for row in rows:
        key = number_key(row["part_number"])
        if not key or key in existing:
            continue
        existing.add(key)
        cost = _money(row.get("cost"))
        quantity = row.get("quantity_on_hand")
        new.append(
            (
                Part(
                    number=row["part_number"][:40],
                    number_key=key[:40],
                    description=(row.get("description") or row["part_number"])[:200],
                    cost=cost,
                    average_cost=cost,
                    list_price=_money(row["price"]) if row.get("price") is not None else None,
                    bin_location=(row.get("bin") or "")[:30],
                    stocked=quantity is not None,
                ),
                row,
            )
        )
    parts = Part.objects.bulk_create([part for part, _row in new])
    _vendors_link([(part, row) for part, (_part, row) in zip(parts, new, strict=True)], source)
    now = timezone.now()
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                part=part,
                kind=StockMovement.Kind.COUNTED,
                quantity=row["quantity_on_hand"],
                unit_cost=part.cost,
                reason=_reason(source),
                by=by,
                at=now,
            )
            for part, (_part, row) in zip(parts, new, strict=True)
            if row.get("quantity_on_hand")
        ]
    )
    return [part.pk for part in parts]


def _vendor_name(text: str | None) -> str:
    return " ".join((text or "").split())[:120]


def _vendors_link(parts: list[tuple[Part, dict[str, Any]]], source: str) -> None:
    """Each new part to the vendor its row names, with the vendor's number and cost."""
    named = {_vendor_name(row.get("vendor")) for _part, row in parts} - {""}
    if not named:
        return
    vendors: dict[str, Vendor] = {}
    # Of the shop's vendors whose names differ only in case: the one spelled as in the
    # file, else the oldest.
    lowered = Vendor.objects.annotate(lowered=Lower("name"))
    for vendor in lowered.filter(lowered__in={name.lower() for name in named}).order_by("pk"):
        lower = vendor.name.lower()
        if lower not in vendors or vendor.name in named:
            vendors[lower] = vendor
    missing = {name.lower(): name for name in sorted(named) if name.lower() not in vendors}
    created = Vendor.objects.bulk_create(
        [Vendor(name=name, imported_from=source) for name in missing.values()]
    )
    vendors.update((vendor.name.lower(), vendor) for vendor in created)
    links: list[VendorPart] = []
    wanted: set[tuple[int, str]] = set()
    for part, row in parts:
        name = _vendor_name(row.get("vendor"))
        if not name:
            continue
        vendor = vendors[name.lower()]
        number = (row.get("vendor_part_number") or "").strip()[:40] or part.number
        key = number_key(number)[:40]
        if not key or (vendor.pk, key) in wanted:
            continue
        wanted.add((vendor.pk, key))
        links.append(
            VendorPart(
                vendor=vendor,
                part=part,
                vendor_number=number,
                vendor_number_key=key,
                cost=part.cost,
            )
        )
    taken = set(
        VendorPart.objects.filter(
            vendor_id__in={link.vendor_id for link in links},
            vendor_number_key__in={link.vendor_number_key for link in links},
        ).values_list("vendor_id", "vendor_number_key")
    )
    VendorPart.objects.bulk_create(
        [link for link in links if (link.vendor_id, link.vendor_number_key) not in taken]
    )


def _vendors_in_use(ids: list[int], source: str) -> dict[int, str]:
    """The vendors this import created that something else points at since: {id: name}."""
    created = dict(Vendor.objects.filter(imported_from=source).values_list("pk", "name"))
    used: set[int] = set()
    for relation in Vendor._meta.related_objects:
        rows = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": list(created)}
        )
        if relation.related_model is VendorPart:
            rows = rows.exclude(part_id__in=ids)
        used |= set(rows.values_list(relation.field.attname, flat=True))
    return {pk: created[pk] for pk in sorted(used)}


def imported_parts_undo(
    *, ids: list[int], source: str, by: User | None, keep_customer_ids=frozenset()
) -> None:
    used = set(
        StockMovement.objects.filter(part_id__in=ids)
        .exclude(kind=StockMovement.Kind.COUNTED, reason=_reason(source))
        .values_list("part_id", flat=True)
    ) | set(PartLine.objects.filter(part_id__in=ids).values_list("part_id", flat=True))
    if used:
        numbers = list(
            Part.objects.filter(pk__in=sorted(used)[:NAMED]).values_list("number", flat=True)
        )
        more = f"; and {len(used) - NAMED} more" if len(used) > NAMED else ""
        raise ServiceError(
            f"{len(used)} imported part(s) have been sold, received or counted since the import: "
            f"{'; '.join(numbers)}{more}. Nothing was undone."
        )
    vendors = _vendors_in_use(ids, source)
    if vendors:
        names = list(vendors.values())
        more = f"; and {len(names) - NAMED} more" if len(names) > NAMED else ""
        raise ServiceError(
            f"{len(names)} vendor(s) the import created have been used since (a purchase order, "
            f"a price file or another part): {'; '.join(names[:NAMED])}{more}. Nothing was undone."
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('parts.undo_import', %s, true)", [_reason(source)])
        cursor.execute(
            "DELETE FROM parts_stockmovement WHERE part_id = ANY(%s) AND kind = %s AND reason = %s",
            [list(ids), StockMovement.Kind.COUNTED, _reason(source)],
        )
        cursor.execute("SELECT set_config('parts.undo_import', '', true)")
    Part.objects.filter(pk__in=ids).delete()  # and their vendors' numbers
    Vendor.objects.filter(imported_from=source).delete()


def register() -> None:
    from shop.imported_records import import_target_register

    import_target_register(
        "parts",
        model=Part._meta.label_lower,
        label="Catalog parts",
        write=imported_parts_write,
        undo=imported_parts_undo,
    )
