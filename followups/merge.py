"""Merge fields of form letters, postcards and e-mails: {{ first_name }} and friends.

Letters are plain text with merge fields, never Django templates: whoever edits
a letter cannot reach anything but these values.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format

from shop.errors import ServiceError

MERGE_FIELD = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

MERGE_FIELDS: dict[str, str] = {
    "name": "The customer's name (or company)",
    "first_name": "First name",
    "last_name": "Last name",
    "company_name": "Company",
    "address_line1": "Address",
    "address_line2": "Address line 2",
    "city": "City",
    "state": "State",
    "postcode": "Postcode",
    "email": "E-mail",
    "cell": "Cell phone",
    "vehicle": "Vehicle (year, make, model)",
    "odometer": "Odometer",
    "last_visit": "Last visit (or the invoice date)",
    "due_date": "Date the service is due (follow-ups)",
    "invoice_number": "Invoice number",
    "invoice_total": "Invoice total",
    "shop_name": "The shop's name",
    "shop_phone": "The shop's phone",
    "shop_address": "The shop's address",
    "today": "Today's date",
}


def merge_fields_check(*texts: str) -> None:
    """Refuse a text with a merge field that does not exist, naming it."""
    unknown: list[str] = []
    for text in texts:
        for name in MERGE_FIELD.findall(text or ""):
            if name not in MERGE_FIELDS and name not in unknown:
                unknown.append(name)
        stripped = MERGE_FIELD.sub("", text or "")
        if "{{" in stripped or "}}" in stripped:
            raise ServiceError(
                "A merge field is not closed: write it as {{ first_name }}.", field="body"
            )
    if unknown:
        names = ", ".join(f"“{{{{ {n} }}}}”" for n in unknown)
        raise ServiceError(
            f"Unknown merge field {names}. Use one of: " + ", ".join(MERGE_FIELDS) + ".",
            field="body",
            code="unknown_merge_field",
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return date_format(value, "N j, Y")
    if isinstance(value, Decimal):
        return f"${value:,.2f}"
    return str(value)


def merge(text: str, values: dict) -> str:
    return MERGE_FIELD.sub(lambda m: _text(values.get(m.group(1))), text or "")


def shop_values(shop, today: date) -> dict:
    return {
        "shop_name": shop.name,
        "shop_phone": shop.phone,
        "shop_address": ", ".join(shop.address_lines),
        "today": today,
    }
