"""The catalog: parts (and labor, fee and sublet items), vendors, vendors' numbers and costs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from parts.models import Part, Vendor, VendorPart, number_key
from shop.errors import ServiceError
from shop.models import User
from workorders.models import TAXABLE_BY_DEFAULT, LineKind

PART_FIELDS = {
    "number",
    "description",
    "kind",
    "category",
    "brand",
    "cost",
    "list_price",
    "fixed_price",
    "core_charge",
    "taxable",
    "stocked",
    "bin_location",
    "reorder_point",
    "reorder_quantity",
    "is_active",
}
MONEY_FIELDS = {
    "cost": "The cost",
    "list_price": "The list price",
    "fixed_price": "The fixed price",
    "core_charge": "The core charge",
}
QUANTITY_FIELDS = {"reorder_point": "The reorder point", "reorder_quantity": "The reorder quantity"}
OPTIONAL_MONEY = {"list_price", "fixed_price"}
TEXT_LIMITS = {"category": 60, "brand": 60, "bin_location": 30}


def decimal_read(value: Any, label: str, field: str, *, optional: bool = False) -> Decimal | None:
    """A typed amount: "$1,234.50" reads as 1234.50; negative, huge or not a number is refused."""
    text = "" if value is None else str(value).strip().replace("$", "").replace(",", "")
    if text == "":
        if optional:
            return None
        return Decimal("0.00")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label} must be a number.", field=field) from None
    if not number.is_finite():
        raise ServiceError(f"{label} must be a number.", field=field)
    if number < 0:
        raise ServiceError(f"{label} cannot be negative.", field=field)
    if number >= Decimal("10000000"):
        raise ServiceError(f"{label} is too large.", field=field)
    return number.quantize(Decimal("0.01"))


def _number_checked(number: Any, *, label: str = "A part #", field: str = "number") -> str:
    number = " ".join(str(number or "").split())
    if not number:
        raise ServiceError(f"{label} is needed.", field=field)
    if len(number) > 40:
        raise ServiceError(f"{label} is at most 40 characters.", field=field)
    if not number_key(number):
        raise ServiceError(f"{label} needs at least one letter or digit.", field=field)
    return number


def _part_values(fields: dict[str, Any], current: Part | None) -> dict[str, Any]:
    unknown = set(fields) - PART_FIELDS
    if unknown:
        raise ServiceError(f"Unknown part fields: {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    if "number" in fields or current is None:
        values["number"] = _number_checked(fields.get("number"))
    if "description" in fields or current is None:
        description = " ".join(str(fields.get("description") or "").split())
        if not description:
            raise ServiceError("A part needs a description.", field="description")
        values["description"] = description[:200]
    kind = fields.get("kind", current.kind if current else LineKind.PART)
    if kind not in LineKind.values:
        raise ServiceError("Choose part, labor, fee or sublet.", field="kind")
    values["kind"] = kind
    for name, label in MONEY_FIELDS.items():
        if name in fields:
            values[name] = decimal_read(fields[name], label, name, optional=name in OPTIONAL_MONEY)
    for name, label in QUANTITY_FIELDS.items():
        if name in fields:
            values[name] = decimal_read(fields[name], label, name)
    for name, limit in TEXT_LIMITS.items():
        if name in fields:
            text = " ".join(str(fields[name] or "").split())
            if len(text) > limit:
                raise ServiceError(f"At most {limit} characters.", field=name)
            values[name] = text
    for name in ("taxable", "stocked", "is_active"):
        if name in fields and fields[name] is not None:
            values[name] = bool(fields[name])
    if current is None and fields.get("taxable") is None:
        values["taxable"] = TAXABLE_BY_DEFAULT[LineKind(kind)]
    if current is None and "stocked" not in fields:
        values["stocked"] = kind == LineKind.PART
    return values


def _duplicate_check(number: str, exclude_pk: int | None) -> None:
    others = Part.objects.filter(number_key=number_key(number))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.first()
    if other is not None:
        raise ServiceError(
            f"The catalog already has {other.number} ({other.description}): a part # is "
            "compared without dashes and spaces.",
            field="number",
        )


@transaction.atomic
def part_create(*, by: User | None, **fields: Any) -> Part:
    """A new catalog item. Its average cost starts at its cost."""
    values = _part_values(fields, None)
    _duplicate_check(values["number"], None)
    part = Part(**values)
    part.number_key = number_key(part.number)
    part.average_cost = part.cost
    part.save(force_insert=True)
    return part


@transaction.atomic
def part_update(*, by: User | None, part: Part, **fields: Any) -> Part:
    """Change a catalog item; fields not given keep their values."""
    part = Part.objects.select_for_update().get(pk=part.pk)
    values = _part_values(fields, part)
    if "number" in values:
        _duplicate_check(values["number"], part.pk)
    for name, value in values.items():
        setattr(part, name, value)
    part.number_key = number_key(part.number)
    part.save()
    return part


VENDOR_FIELDS = {"name", "account_number", "contact_name", "phone", "email", "notes", "is_active"}


def _vendor_values(fields: dict[str, Any], creating: bool) -> dict[str, Any]:
    unknown = set(fields) - VENDOR_FIELDS
    if unknown:
        raise ServiceError(f"Unknown vendor fields: {', '.join(sorted(unknown))}.")
    values = {
        name: (" ".join(str(v or "").split()) if name != "notes" else str(v or "").strip())
        for name, v in fields.items()
        if name != "is_active"
    }
    if "is_active" in fields:
        values["is_active"] = bool(fields["is_active"])
    if (creating or "name" in values) and not values.get("name"):
        raise ServiceError("A vendor needs a name.", field="name")
    return values


@transaction.atomic
def vendor_create(*, by: User | None, **fields: Any) -> Vendor:
    values = _vendor_values(fields, True)
    if Vendor.objects.filter(name__iexact=values["name"]).exists():
        raise ServiceError(f"There is already a vendor called “{values['name']}”.", field="name")
    return Vendor.objects.create(**values)


@transaction.atomic
def vendor_update(*, by: User | None, vendor: Vendor, **fields: Any) -> Vendor:
    values = _vendor_values(fields, False)
    if (
        "name" in values
        and Vendor.objects.filter(name__iexact=values["name"]).exclude(pk=vendor.pk).exists()
    ):
        raise ServiceError(f"There is already a vendor called “{values['name']}”.", field="name")
    vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
    for name, value in values.items():
        setattr(vendor, name, value)
    vendor.save()
    return vendor


@transaction.atomic
def vendor_part_set(
    *, by: User | None, part: Part, vendor: Vendor, vendor_number: Any, cost: Any
) -> VendorPart:
    """The vendor's own number and cost for a part (added, or changed when the vendor
    already sells it). A vendor's number names one part of the catalog only."""
    number = _number_checked(vendor_number, label="The vendor's part #", field="vendor_number")
    key = number_key(number)
    price = decimal_read(cost, "The vendor's cost", "cost")
    clash = (
        VendorPart.objects.filter(vendor=vendor, vendor_number_key=key)
        .exclude(part=part)
        .select_related("part")
        .first()
    )
    if clash is not None:
        raise ServiceError(
            f"{vendor}'s number {clash.vendor_number} is already {clash.part.number} "
            f"({clash.part.description}); one vendor number names one part.",
            field="vendor_number",
        )
    row, _created = VendorPart.objects.update_or_create(
        vendor=vendor,
        part=part,
        defaults={"vendor_number": number, "vendor_number_key": key, "cost": price},
    )
    return row


@transaction.atomic
def vendor_part_remove(*, by: User | None, vendor_part: VendorPart) -> None:
    VendorPart.objects.filter(pk=vendor_part.pk).delete()
