"""Row shaping: a search's (or follow-ups') queryset in, one dict per customer, invoice,
vehicle or follow-up out, with the merge fields letters, labels and exports use."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import CharField, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from customers.models import Customer, CustomerEmail, CustomerPhone, Vehicle
from followups.models import Collect, FollowUp
from followups.selectors.search import (
    closed_invoices,
    customer_search,
    invoice_search,
    last_inspected_at,
    search,
    total_spent,
    vehicle_search,
)
from workorders.models import WorkOrder
from workorders.services import money

CHUNK = 2000

CUSTOMER_COLUMNS = [
    "first_name",
    "last_name",
    "company_name",
    "kind",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postcode",
]


def _first_email(outer: str) -> Subquery:
    return Subquery(
        CustomerEmail.objects.filter(customer_id=OuterRef(outer))
        .order_by("id")
        .values("address")[:1],
        output_field=CharField(),
    )


def _first_cell(outer: str) -> Subquery:
    return Subquery(
        CustomerPhone.objects.filter(customer_id=OuterRef(outer), kind=CustomerPhone.Kind.CELL)
        .order_by("id")
        .values("number")[:1],
        output_field=CharField(),
    )


def _customer_fields() -> dict:
    """For rows of a model with a customer: its columns (as c_<column>), first e-mail and cell."""
    return {
        **{f"c_{c}": F(f"customer__{c}") for c in CUSTOMER_COLUMNS},
        "email": _first_email("customer_id"),
        "cell": _first_cell("customer_id"),
    }


def _customer_part(row: dict) -> dict:
    out = {c: row[f"c_{c}"] for c in CUSTOMER_COLUMNS}
    out.update(customer_id=row["customer_id"], email=row["email"], cell=row["cell"])
    return out


def display_name(row: dict) -> str:
    return Customer.name_for(
        kind=row.get("kind"),
        first_name=row.get("first_name"),
        last_name=row.get("last_name"),
        company_name=row.get("company_name"),
    )


def _vehicle_text(year, make, model) -> str:
    return " ".join(str(p) for p in (year, make, model) if p)


# Money columns: to the cent, whatever the database's sum gives (SQLite: a float).
MONEY_FIELDS = ("total_spent", "invoice_total")


def _finish(row: dict) -> dict:
    row["name"] = display_name(row)
    for key in MONEY_FIELDS:
        if row.get(key) is not None:
            row[key] = money(str(row[key]))
    for key in ("last_visit", "invoice_date"):
        value = row.get(key)
        if value is not None and hasattr(value, "tzinfo"):
            row[key] = timezone.localtime(value).date()
    return row


def customer_rows(queryset: QuerySet[Customer]) -> Iterator[dict]:
    """Rows for customers in the queryset's order (the list's order, which the preview
    shows), in chunks: the ids first, then three queries per chunk of 2,000."""
    ids = list(queryset.values_list("id", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield from _customer_rows_for(ids[start : start + CHUNK])


ROW_COLUMNS = ("id", *CUSTOMER_COLUMNS, "email", "cell", "source_name", "last_visit",
               "last_vehicle_id", "total_spent")  # fmt: skip


def _customer_rows_for(ids: list[int]) -> list[dict]:
    """The rows of these customers, in the order of `ids`."""
    last_invoice = (
        closed_invoices().filter(customer_id=OuterRef("pk")).order_by("-closed_at", "-id")
    )
    chunk = list(
        Customer.objects.filter(id__in=ids)
        .annotate(
            email=_first_email("pk"),
            cell=_first_cell("pk"),
            source_name=F("source__name"),
            last_visit=Subquery(last_invoice.values("closed_at")[:1]),
            last_vehicle_id=Subquery(last_invoice.values("vehicle_id")[:1]),
            total_spent=total_spent(),
        )
        .values(*ROW_COLUMNS)
        .order_by()
    )
    vehicles = {
        v["id"]: v
        for v in Vehicle.objects.filter(
            id__in={r["last_vehicle_id"] for r in chunk if r["last_vehicle_id"]}
        ).values("id", "year", "make", "model", "odometer")
    }
    by_id = {}
    for row in chunk:
        vehicle = vehicles.get(row.pop("last_vehicle_id"), {})
        row["customer_id"] = row.pop("id")
        row["source"] = row.pop("source_name") or ""
        row["vehicle"] = _vehicle_text(vehicle.get("year"), vehicle.get("make"),
                                       vehicle.get("model"))  # fmt: skip
        row["odometer"] = vehicle.get("odometer")
        by_id[row["customer_id"]] = _finish(row)
    return [by_id[i] for i in ids if i in by_id]


def invoice_rows(queryset: QuerySet[WorkOrder]) -> Iterator[dict]:
    customer = _customer_fields()
    annotated = queryset.annotate(
        **customer,
        source_name=F("customer__source__name"),
        v_year=F("vehicle__year"),
        v_make=F("vehicle__make"),
        v_model=F("vehicle__model"),
    ).values("id", "customer_id", "closed_at", "grand_total", "odometer_in", *customer,
             "source_name", "v_year", "v_make", "v_model")  # fmt: skip
    for row in annotated.iterator(chunk_size=CHUNK):
        out = _customer_part(row)
        out.update(
            work_order_id=row["id"],
            source=row["source_name"] or "",
            last_visit=row["closed_at"],
            invoice_number=row["id"],
            invoice_date=row["closed_at"],
            invoice_total=row["grand_total"],
            vehicle=_vehicle_text(row["v_year"], row["v_make"], row["v_model"]),
            odometer=row["odometer_in"],
        )
        yield _finish(out)


def vehicle_rows(queryset: QuerySet[Vehicle]) -> Iterator[dict]:
    if "last_inspection" not in queryset.query.annotations:
        queryset = queryset.annotate(last_inspection=last_inspected_at())
    customer = _customer_fields()
    annotated = queryset.annotate(
        **customer,
        source_name=F("customer__source__name"),
    ).values("id", "customer_id", "year", "make", "model", "odometer", "last_inspection",
             *customer, "source_name")  # fmt: skip
    for row in annotated.iterator(chunk_size=CHUNK):
        out = _customer_part(row)
        inspected = row["last_inspection"]
        out.update(
            vehicle_id=row["id"],
            source=row["source_name"] or "",
            vehicle=_vehicle_text(row["year"], row["make"], row["model"]),
            odometer=row["odometer"],
            last_inspection=timezone.localtime(inspected).date() if inspected else None,
        )
        yield _finish(out)


def search_rows(criteria: dict, collect: str) -> Iterator[dict]:
    if collect == Collect.VEHICLE:
        return vehicle_rows(vehicle_search(criteria))
    if collect == Collect.INVOICE:
        return invoice_rows(invoice_search(criteria))
    return customer_rows(customer_search(criteria))


def search_preview(criteria: dict, collect: str, *, limit: int = 20) -> tuple[int, list[dict]]:
    """The count and the first rows, in the list's order: what the page shows before output."""
    queryset = search(criteria, collect)
    count = queryset.count()
    if collect == Collect.VEHICLE:
        rows = list(vehicle_rows(queryset[:limit]))
    elif collect == Collect.INVOICE:
        rows = list(invoice_rows(queryset[:limit]))
    else:
        rows = _customer_rows_for(list(queryset.values_list("id", flat=True)[:limit]))
    return count, rows


def follow_up_rows(queryset: QuerySet[FollowUp]) -> Iterator[dict]:
    """Rows for follow-ups: the customer, the vehicle, the visit and the due date."""
    customer = _customer_fields()
    annotated = queryset.annotate(
        **customer,
        v_year=F("vehicle__year"),
        v_make=F("vehicle__make"),
        v_model=F("vehicle__model"),
        v_odometer=F("vehicle__odometer"),
    ).values("id", "customer_id", "work_order_id", "visit_on", "due_on", *customer,
             "v_year", "v_make", "v_model", "v_odometer")  # fmt: skip
    for row in annotated.order_by("id").iterator(chunk_size=CHUNK):
        out = _customer_part(row)
        out.update(
            follow_up_id=row["id"],
            work_order_id=row["work_order_id"],
            source="",
            last_visit=row["visit_on"],
            due_date=row["due_on"],
            vehicle=_vehicle_text(row["v_year"], row["v_make"], row["v_model"]),
            odometer=row["v_odometer"],
        )
        yield _finish(out)
