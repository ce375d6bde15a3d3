"""Writes at the counter: customers with their phones and e-mails, and vehicles."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from customers import events
from customers.models import Customer, CustomerEmail, CustomerPhone, CustomerSource, Vehicle
from customers.phones import phone_normalize
from customers.selectors import vehicles_with_vin
from customers.vin import vin_decode
from shop.errors import ServiceError
from shop.models import User

# The code of the refusal a confirmation overrides: a VIN already on another vehicle.
VIN_ELSEWHERE = "vin_elsewhere"

CUSTOMER_FIELDS = [
    "kind",
    "first_name",
    "last_name",
    "company_name",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postcode",
    "is_ar",
    "source",
    "notes",
    "text_consent",
    "email_consent",
    "household_main",
]
VEHICLE_FIELDS = [
    "year",
    "make",
    "model",
    "engine",
    "vin",
    "plate",
    "plate_state",
    "odometer",
    "annual_mileage",
    "color",
    "notes",
]


def _clean_customer_fields(fields: dict[str, Any], customer: Customer | None) -> dict[str, Any]:
    unknown = set(fields) - set(CUSTOMER_FIELDS)
    if unknown:
        raise ServiceError(f"Unknown customer fields: {', '.join(sorted(unknown))}.")
    cleaned = {
        name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()
    }
    kind = cleaned.get("kind", customer.kind if customer else Customer.Kind.PERSON)
    if kind not in Customer.Kind.values:
        raise ServiceError("Choose person or company.", field="kind")

    def value(name: str) -> Any:
        return cleaned.get(name, getattr(customer, name) if customer else "")

    if kind == Customer.Kind.COMPANY and not value("company_name"):
        raise ServiceError("A company needs its name.", field="company_name")
    if kind == Customer.Kind.PERSON and not (value("first_name") or value("last_name")):
        raise ServiceError("Enter the customer's first or last name.", field="last_name")
    if "state" in cleaned:
        cleaned["state"] = cleaned["state"].upper()
    if "postcode" in cleaned:
        cleaned["postcode"] = cleaned["postcode"].upper()
    source = cleaned.get("source")
    if source is not None and not isinstance(source, CustomerSource):
        raise ServiceError("Choose a customer source from the list.", field="source")
    main = cleaned.get("household_main")
    if main is not None:
        if customer is not None and main.pk == customer.pk:
            raise ServiceError(
                "A customer cannot be their own family member.", field="household_main"
            )
        if main.household_main_id is not None:
            raise ServiceError(
                f"{main} is a family member of {main.household_main}; link to the main "
                "customer of that household instead.",
                field="household_main",
            )
        if customer is not None and customer.household_members.exists():
            raise ServiceError(
                f"{customer} is the main customer of a household; separate its family "
                "members first.",
                field="household_main",
            )
    return cleaned


def _apply_consent(customer: Customer, fields: dict[str, Any]) -> None:
    now = timezone.now()
    for flag in ("text_consent", "email_consent"):
        if flag in fields:
            if fields[flag] and not getattr(customer, flag):
                setattr(customer, f"{flag}_at", now)
            elif not fields[flag]:
                setattr(customer, f"{flag}_at", None)


def _normalized_phones(phones: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = []
    seen: set[tuple[str, str]] = set()
    for index, phone in enumerate(phones):
        kind = phone.get("kind") or CustomerPhone.Kind.CELL
        if kind not in CustomerPhone.Kind.values:
            raise ServiceError("Choose cell, home or work.", field=f"phones-{index}-kind")
        normalized = phone_normalize(phone.get("number", ""), field=f"phones-{index}-number")
        if (normalized.e164, kind) in seen:
            raise ServiceError(
                f"{phone['number']} is listed twice as {kind}.", field=f"phones-{index}-number"
            )
        seen.add((normalized.e164, kind))
        result.append(
            {
                "id": phone.get("id"),
                "kind": kind,
                # Seven digits are kept with the area code they took: the number
                # must read the same if the shop's default area code changes.
                "number": normalized.national
                if normalized.area_code_added
                else phone["number"].strip(),
                "e164": normalized.e164,
                "extension": (phone.get("extension") or normalized.extension or "").strip(),
            }
        )
    return result


def _normalized_emails(emails: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = []
    seen: set[str] = set()
    for index, email in enumerate(emails):
        address = (email.get("address") or "").strip()
        try:
            validate_email(address)
        except ValidationError:
            raise ServiceError(
                f"“{address}” is not an e-mail address.", field=f"emails-{index}-address"
            ) from None
        if address.lower() in seen:
            raise ServiceError(f"{address} is listed twice.", field=f"emails-{index}-address")
        seen.add(address.lower())
        result.append({"id": email.get("id"), "address": address})
    return result


@transaction.atomic
def customer_create(
    *,
    by: User,
    phones: list[dict[str, Any]] | None = None,
    emails: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Customer:
    """A new customer with their phones ({number, kind, extension}) and e-mails ({address})."""
    cleaned = _clean_customer_fields(fields, None)
    phone_rows = _normalized_phones(phones or [])
    email_rows = _normalized_emails(emails or [])
    customer = Customer()
    _apply_consent(customer, cleaned)
    for name, value in cleaned.items():
        setattr(customer, name, value)
    customer.save()
    CustomerPhone.objects.bulk_create(
        [
            CustomerPhone(customer=customer, **{k: v for k, v in p.items() if k != "id"})
            for p in phone_rows
        ]
    )
    CustomerEmail.objects.bulk_create(
        [CustomerEmail(customer=customer, address=e["address"]) for e in email_rows]
    )
    return customer


@transaction.atomic
def customer_update(
    *,
    by: User,
    customer: Customer,
    phones: list[dict[str, Any]] | None = None,
    emails: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Customer:
    """Change a customer. Phones and e-mails, when given, are the full new list (by id)."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    cleaned = _clean_customer_fields(fields, customer)
    phone_rows = _normalized_phones(phones) if phones is not None else None
    email_rows = _normalized_emails(emails) if emails is not None else None
    _apply_consent(customer, cleaned)
    for name, value in cleaned.items():
        setattr(customer, name, value)
    customer.save()
    if phone_rows is not None:
        _replace_children(
            customer, CustomerPhone, phone_rows, ["kind", "number", "e164", "extension"]
        )
    if email_rows is not None:
        _replace_children(customer, CustomerEmail, email_rows, ["address"])
    customer.refresh_from_db()
    return customer


def _replace_children(customer: Customer, model, rows: list[dict[str, Any]], fields: list[str]):
    existing = {child.pk: child for child in model.objects.filter(customer=customer)}
    kept: set[int] = set()
    for row in rows:
        child = existing.get(int(row["id"])) if row.get("id") else None
        if child is None:
            model.objects.create(customer=customer, **{f: row[f] for f in fields})
            continue
        kept.add(child.pk)
        changed = [f for f in fields if getattr(child, f) != row[f]]
        for name in changed:
            setattr(child, name, row[name])
        if changed:
            child.save(update_fields=changed)
    model.objects.filter(pk__in=set(existing) - kept).delete()


# --- Vehicles -------------------------------------------------------------------


def plate_clean(raw: str) -> str:
    return re.sub(r"[\s\-·.]", "", raw or "").upper()


def _clean_vehicle_fields(
    fields: dict[str, Any],
    *,
    customer: Customer,
    vehicle: Vehicle | None,
    vin_elsewhere_confirmed: bool = False,
) -> dict[str, Any]:
    unknown = set(fields) - set(VEHICLE_FIELDS)
    if unknown:
        raise ServiceError(f"Unknown vehicle fields: {', '.join(sorted(unknown))}.")
    cleaned = {
        name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()
    }
    if cleaned.get("vin"):
        decoded = vin_decode(cleaned["vin"])
        cleaned["vin"] = decoded.vin
        # Fill what the VIN tells and the advisor left blank.
        if not cleaned.get("year") and not (vehicle and vehicle.year and "year" not in cleaned):
            cleaned["year"] = decoded.year
        if not cleaned.get("make") and not (vehicle and vehicle.make and "make" not in cleaned):
            cleaned["make"] = decoded.make
        duplicate = Vehicle.objects.filter(customer=customer, vin=decoded.vin, is_active=True)
        if vehicle is not None:
            duplicate = duplicate.exclude(pk=vehicle.pk)
        if duplicate.exists():
            raise ServiceError(
                f"{customer} already has a vehicle with VIN {decoded.vin}.", field="vin"
            )
        changed = vehicle is None or vehicle.vin != decoded.vin
        elsewhere = vehicles_with_vin(decoded.vin, exclude=vehicle) if changed else []
        if elsewhere and not vin_elsewhere_confirmed:
            # Two records of one car (a sold car, a typo, a duplicate customer): the
            # advisor looks first, and saving anyway is their deliberate choice.
            where = "; ".join(f"{other} of {other.customer}" for other in elsewhere)
            raise ServiceError(
                f"VIN {decoded.vin} is already on {where}. Check the VIN, or save anyway "
                "if both records are right.",
                field="vin",
                code=VIN_ELSEWHERE,
            )
    if "plate" in cleaned:
        cleaned["plate"] = plate_clean(cleaned["plate"])
        if len(cleaned["plate"]) > 12:
            raise ServiceError("A plate has at most 12 characters.", field="plate")
    if "plate_state" in cleaned:
        cleaned["plate_state"] = (cleaned["plate_state"] or "").upper()
    year = cleaned.get("year")
    if year is not None and year != "" and not 1900 <= int(year) <= timezone.now().year + 2:
        raise ServiceError("Enter a model year between 1900 and next year.", field="year")
    if cleaned.get("annual_mileage") is None and "annual_mileage" in cleaned:
        cleaned["annual_mileage"] = 13000
    return cleaned


@transaction.atomic
def vehicle_create(
    *, by: User, customer: Customer, vin_elsewhere_confirmed: bool = False, **fields: Any
) -> Vehicle:
    """Add a vehicle. A VIN already on another vehicle is refused (code VIN_ELSEWHERE)
    unless the advisor confirmed it: `vin_elsewhere_confirmed`."""
    cleaned = _clean_vehicle_fields(
        fields, customer=customer, vehicle=None, vin_elsewhere_confirmed=vin_elsewhere_confirmed
    )
    vehicle = Vehicle.objects.create(customer=customer, **cleaned)
    events.vehicle_changed.send(sender=Vehicle, vehicle=vehicle, created=True, by=by)
    return vehicle


@transaction.atomic
def vehicle_update(
    *, by: User, vehicle: Vehicle, vin_elsewhere_confirmed: bool = False, **fields: Any
) -> Vehicle:
    """Edit a vehicle. A new VIN already on another vehicle needs `vin_elsewhere_confirmed`,
    as when adding one; an unchanged VIN is not asked about again."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    cleaned = _clean_vehicle_fields(
        fields,
        customer=vehicle.customer,
        vehicle=vehicle,
        vin_elsewhere_confirmed=vin_elsewhere_confirmed,
    )
    for name, value in cleaned.items():
        setattr(vehicle, name, value)
    vehicle.save()
    events.vehicle_changed.send(sender=Vehicle, vehicle=vehicle, created=False, by=by)
    return vehicle


@transaction.atomic
def vehicle_set_active(*, by: User, vehicle: Vehicle, active: bool) -> Vehicle:
    """Disable a vehicle (sold, scrapped: it leaves the counter) or bring it back."""
    was_active = (
        Vehicle.objects.select_for_update().filter(pk=vehicle.pk).values_list("is_active").get()
    )[0]
    Vehicle.objects.filter(pk=vehicle.pk).update(is_active=active, updated_at=timezone.now())
    vehicle.refresh_from_db()
    if was_active != active:
        event = events.vehicle_enabled if active else events.vehicle_disabled
        event.send(sender=Vehicle, vehicle=vehicle, by=by)
    return vehicle
