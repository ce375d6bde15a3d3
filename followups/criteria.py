"""The query builder's criteria: what a saved query may hold, checked, and its date ranges.

Criteria are plain JSON (dates as ISO strings) so a query saved today runs
again next year: "12 to 24 months ago" stays relative to the day it is run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from shop.errors import ServiceError

# Every key a saved query may hold, and its type.
CRITERIA: dict[str, type] = {
    "last_visit_after": date,
    "last_visit_before": date,
    "last_visit_months_min": int,
    "last_visit_months_max": int,
    "service_category": str,
    "service_text": str,
    "service_done": str,  # "done" or "not_done"
    "service_after": date,
    "service_before": date,
    "service_months": int,
    "mileage_min": int,
    "mileage_max": int,
    "year_min": int,
    "year_max": int,
    "make": str,
    "city": str,
    "postcode": str,
    "source": int,
    "is_ar": str,  # "", "yes", "no"
    "has_email": bool,
    "has_cell": bool,
    "email_consent": str,
    "text_consent": str,
    "total_min": Decimal,
    "total_max": Decimal,
    # Vehicle Inspection Search (collected per vehicle).
    "last_inspection_after": date,
    "last_inspection_before": date,
    "last_inspection_months_min": int,
    "last_inspection_months_max": int,
}
YES_NO = {"", "yes", "no"}


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the last day when that month is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def criteria_clean(raw: dict) -> dict:
    """The criteria as JSON-ready values, without blanks; a ServiceError names what is wrong."""
    cleaned: dict = {}
    for key, value in (raw or {}).items():
        kind = CRITERIA.get(key)
        if kind is None:
            raise ServiceError(f"“{key}” is not something a query can search on.", field=key)
        if value in (None, "", False):
            continue
        try:
            if kind is date:
                value = value if isinstance(value, date) else date.fromisoformat(str(value))
                value = value.isoformat()
            elif kind is int:
                value = int(value)
                if value < 0:
                    raise ValueError
            elif kind is Decimal:
                value = str(Decimal(str(value)))
            elif kind is bool:
                value = bool(value)
            else:
                value = str(value).strip()
        except (TypeError, ValueError, InvalidOperation):
            raise ServiceError(f"“{value}” is not a valid value here.", field=key) from None
        if value != "":
            cleaned[key] = value
    for key in ("is_ar", "email_consent", "text_consent"):
        if cleaned.get(key, "") not in YES_NO:
            raise ServiceError("Choose yes, no or either.", field=key)
    if cleaned.get("service_done", "done") not in {"done", "not_done"}:
        raise ServiceError("Choose done or not done.", field="service_done")
    _check_ranges(cleaned)
    return cleaned


def _check_dates(start: date | None, end: date | None, label: str, field: str) -> None:
    if start and end and start > end:
        raise ServiceError(
            f"The {label} range is empty or inverted: its start "
            f"({start:%b %-d, %Y}) is after its end ({end:%b %-d, %Y}).",
            field=field,
        )


def _check_ranges(criteria: dict) -> None:
    today = timezone.localdate()
    for prefix, label in (("last_visit", "last-visit"), ("last_inspection", "last-inspection")):
        _check_dates(*_range(criteria, today, prefix), label, f"{prefix}_after")
        low, high = criteria.get(f"{prefix}_months_min"), criteria.get(f"{prefix}_months_max")
        if low is not None and high is not None and low >= high:
            raise ServiceError(
                f"The {label} range “{low} to {high} months ago” is empty or inverted: "
                "the first number must be smaller than the second.",
                field=f"{prefix}_months_min",
            )
    _check_dates(*service_range(criteria, today), "service date", "service_after")
    if criteria.get("service_months") == 0:
        raise ServiceError("“In the last 0 months” is an empty range.", field="service_months")
    for low_key, high_key, label in (
        ("mileage_min", "mileage_max", "mileage"),
        ("year_min", "year_max", "vehicle year"),
        ("total_min", "total_max", "invoice total"),
    ):
        low, high = criteria.get(low_key), criteria.get(high_key)
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            raise ServiceError(
                f"The {label} range is inverted: {low} is more than {high}.", field=low_key
            )
    service_bounds = ("service_months", "service_after", "service_before")
    if (
        any(criteria.get(key) for key in service_bounds)
        or criteria.get("service_done") == "not_done"
    ) and not (criteria.get("service_category") or criteria.get("service_text")):
        raise ServiceError("Choose the service category or name to look for.", field="service")


def _date(criteria: dict, key: str) -> date | None:
    value = criteria.get(key)
    return date.fromisoformat(value) if value else None


def _range(criteria: dict, today: date, prefix: str) -> tuple[date | None, date | None]:
    starts = [_date(criteria, f"{prefix}_after")]
    ends = [_date(criteria, f"{prefix}_before")]
    if criteria.get(f"{prefix}_months_max") is not None:
        starts.append(months_before(today, criteria[f"{prefix}_months_max"]))
    if criteria.get(f"{prefix}_months_min") is not None:
        ends.append(months_before(today, criteria[f"{prefix}_months_min"]))
    start = max((d for d in starts if d), default=None)
    end = min((d for d in ends if d), default=None)
    return start, end


def last_visit_range(criteria: dict, today: date) -> tuple[date | None, date | None]:
    """First and last day (both included) of the last visit, from dates and months ago."""
    return _range(criteria, today, "last_visit")


def last_inspection_range(criteria: dict, today: date) -> tuple[date | None, date | None]:
    return _range(criteria, today, "last_inspection")


def service_range(criteria: dict, today: date) -> tuple[date | None, date | None]:
    start = _date(criteria, "service_after")
    if criteria.get("service_months"):
        since = months_before(today, criteria["service_months"])
        start = max(start, since) if start else since
    return start, _date(criteria, "service_before")


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    # The one way of collecting that has this field, or "" for all.
    only: str = ""


# The fields a report or file may show, in the order offered.
FIELDS: list[Field] = [
    Field("name", "Name"),
    Field("first_name", "First name"),
    Field("last_name", "Last name"),
    Field("company_name", "Company"),
    Field("address_line1", "Address"),
    Field("address_line2", "Address line 2"),
    Field("city", "City"),
    Field("state", "State"),
    Field("postcode", "Postcode"),
    Field("email", "E-mail"),
    Field("cell", "Cell phone"),
    Field("source", "Source"),
    Field("last_visit", "Last visit"),
    Field("total_spent", "Total spent"),
    Field("vehicle", "Vehicle"),
    Field("odometer", "Odometer"),
    Field("invoice_number", "Invoice #", only="invoice"),
    Field("invoice_date", "Invoice date", only="invoice"),
    Field("invoice_total", "Invoice total", only="invoice"),
    Field("last_inspection", "Last inspection", only="vehicle"),
]
FIELD_LABELS = {f.code: f.label for f in FIELDS}
DEFAULT_FIELDS = ["name", "address_line1", "city", "state", "postcode", "last_visit", "vehicle"]


def fields_clean(fields: list[str], collect: str) -> list[str]:
    unknown = [f for f in fields if f not in FIELD_LABELS]
    if unknown:
        raise ServiceError(f"Unknown field: {', '.join(unknown)}.", field="fields")
    for only, how in (("invoice", "per invoice"), ("vehicle", "per vehicle")):
        misplaced = [f.label for f in FIELDS if f.only == only and f.code in fields]
        if misplaced and collect != only:
            raise ServiceError(
                f"{', '.join(misplaced)}: only when collecting {how}.", field="fields"
            )
    if not fields:
        raise ServiceError("Choose at least one field.", field="fields")
    return [f.code for f in FIELDS if f.code in fields]
