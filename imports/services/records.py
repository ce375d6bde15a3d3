"""The columns an imported customer or vehicle writes, and what a second run would change."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from customers.models import Customer

CUSTOMER_FIELDS = [
    "kind", "first_name", "last_name", "company_name", "address_line1", "address_line2",
    "city", "state", "postcode", "is_ar", "notes",
]  # fmt: skip
VEHICLE_FIELDS = [
    "year",
    "make",
    "model",
    "engine",
    "vin",
    "plate",
    "plate_state",
    "color",
    "notes",
]


def customer_fields(values: dict[str, Any]) -> dict[str, Any]:
    """The customer's columns from a read row: a company when it has only a company name."""
    fields = {name: values[name] for name in CUSTOMER_FIELDS if name != "kind"}
    person = values["first_name"] or values["last_name"]
    fields["kind"] = (
        Customer.Kind.COMPANY if values["company_name"] and not person else Customer.Kind.PERSON
    )
    return fields


def vehicle_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in VEHICLE_FIELDS}


def fields_changed(wanted: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value in the file differs from the row's."""
    return {name: value for name, value in wanted.items() if current.get(name) != value}


def value_dump(value: Any) -> Any:
    """A column's value as JSON keeps it (the undo journal's "before")."""
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
