"""Reads: the Data Search queryset built from criteria with the ORM, and the rows outputs use.

The per-customer search filters with EXISTS / NOT EXISTS over the invoices
instead of grouping every customer's work orders: "last visit between A and B"
is "an invoice between A and B and none after B", which PostgreSQL answers
with hash semi- and anti-joins over the bench shop's 250,000 work orders.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.models import Customer, CustomerEmail, CustomerPhone, Vehicle
from followups.criteria import (
    last_inspection_range,
    last_visit_range,
    service_range,
)
from followups.models import (
    Collect,
    FollowUp,
    FollowUpList,
    FollowUpSettings,
    LetterTemplate,
    OutputJob,
    SavedQuery,
)
from shop.dates import day_end, day_start
from shop.selectors import single_row_get
from workorders.models import Inspection, Job, Package, Stage, WorkOrder
from workorders.services.totals import money

CHUNK = 2000


def followup_settings_get() -> FollowUpSettings:
    """The follow-up switches; Follow Ups are off until the owner turns them on."""
    return single_row_get(FollowUpSettings)


def _invoices() -> QuerySet[WorkOrder]:
    return WorkOrder.objects.filter(stage=Stage.INVOICE).order_by()


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _customer_filters(criteria: dict, prefix: str, outer: str) -> tuple[Q, list]:
    """Conditions on the customer: `prefix` reaches it from the rows, `outer` its id."""
    q = Q()
    exists: list = []
    if criteria.get("city"):
        q &= Q(**{f"{prefix}city__iexact": criteria["city"]})
    if criteria.get("postcode"):
        q &= Q(**{f"{prefix}postcode__startswith": criteria["postcode"]})
    if criteria.get("source"):
        q &= Q(**{f"{prefix}source_id": criteria["source"]})
    for key, field in (("is_ar", "is_ar"), ("email_consent", "email_consent")):
        wanted = _yes_no(criteria.get(key))
        if wanted is not None:
            q &= Q(**{f"{prefix}{field}": wanted})
    wanted = _yes_no(criteria.get("text_consent"))
    if wanted is not None:
        q &= Q(**{f"{prefix}text_consent": wanted})
    if criteria.get("has_email"):
        exists.append(Exists(CustomerEmail.objects.filter(customer_id=OuterRef(outer))))
    if criteria.get("has_cell"):
        exists.append(
            Exists(
                CustomerPhone.objects.filter(
                    customer_id=OuterRef(outer), kind=CustomerPhone.Kind.CELL
                )
            )
        )
    return q, exists


def _vehicle_q(criteria: dict, prefix: str) -> Q:
    q = Q()
    if criteria.get("year_min") is not None:
        q &= Q(**{f"{prefix}year__gte": criteria["year_min"]})
    if criteria.get("year_max") is not None:
        q &= Q(**{f"{prefix}year__lte": criteria["year_max"]})
    if criteria.get("make"):
        q &= Q(**{f"{prefix}make__iexact": criteria["make"]})
    if criteria.get("mileage_min") is not None:
        q &= Q(**{f"{prefix}odometer__gte": criteria["mileage_min"]})
    if criteria.get("mileage_max") is not None:
        q &= Q(**{f"{prefix}odometer__lte": criteria["mileage_max"]})
    return q


def _service_jobs(criteria: dict, today: date) -> QuerySet[Job] | None:
    if not (criteria.get("service_category") or criteria.get("service_text")):
        return None
    jobs = Job.objects.filter(work_order__stage=Stage.INVOICE).order_by()
    if criteria.get("service_category"):
        jobs = jobs.filter(category=criteria["service_category"])
    if criteria.get("service_text"):
        jobs = jobs.filter(title__icontains=criteria["service_text"])
    start, end = service_range(criteria, today)
    if start:
        jobs = jobs.filter(work_order__closed_at__gte=day_start(start))
    if end:
        jobs = jobs.filter(work_order__closed_at__lt=day_end(end))
    return jobs


def customer_search(criteria: dict, *, today: date | None = None) -> QuerySet[Customer]:
    """The customers matching the criteria, in name order."""
    today = today or timezone.localdate()
    customers = Customer.objects.all()
    q, exists = _customer_filters(criteria, "", "pk")
    customers = customers.filter(q, *exists)
    start, end = last_visit_range(criteria, today)
    if start or end:
        in_range = _invoices().filter(customer_id=OuterRef("pk"))
        if start:
            in_range = in_range.filter(closed_at__gte=day_start(start))
        if end:
            in_range = in_range.filter(closed_at__lt=day_end(end))
        customers = customers.filter(Exists(in_range))
        if end:
            later = _invoices().filter(customer_id=OuterRef("pk"), closed_at__gte=day_end(end))
            customers = customers.filter(~Exists(later))
    vehicle_q = _vehicle_q(criteria, "")
    if vehicle_q:
        customers = customers.filter(
            Exists(Vehicle.objects.filter(vehicle_q, customer_id=OuterRef("pk"), is_active=True))
        )
    jobs = _service_jobs(criteria, today)
    if jobs is not None:
        done = Exists(jobs.filter(work_order__customer_id=OuterRef("pk")))
        customers = customers.filter(done if criteria.get("service_done") != "not_done" else ~done)
    if criteria.get("total_min") is not None or criteria.get("total_max") is not None:
        customers = customers.annotate(total_spent=_total_spent())
        if criteria.get("total_min") is not None:
            customers = customers.filter(total_spent__gte=Decimal(criteria["total_min"]))
        if criteria.get("total_max") is not None:
            customers = customers.filter(total_spent__lte=Decimal(criteria["total_max"]))
    return customers.order_by("last_name", "first_name", "company_name", "id")


def _total_spent() -> Coalesce:
    totals = (
        _invoices()
        .filter(customer_id=OuterRef("pk"))
        .values("customer_id")
        .annotate(total=Sum("grand_total"))
        .values("total")
    )
    return Coalesce(Subquery(totals), Value(Decimal("0")))


def invoice_search(criteria: dict, *, today: date | None = None) -> QuerySet[WorkOrder]:
    """The invoices matching the criteria (the last-visit range is the invoice date)."""
    today = today or timezone.localdate()
    invoices = _invoices()
    q, exists = _customer_filters(criteria, "customer__", "customer_id")
    invoices = invoices.filter(q, *exists)
    start, end = last_visit_range(criteria, today)
    if start:
        invoices = invoices.filter(closed_at__gte=day_start(start))
    if end:
        invoices = invoices.filter(closed_at__lt=day_end(end))
    vehicle_q = _vehicle_q(criteria, "vehicle__")
    if vehicle_q:
        invoices = invoices.filter(vehicle_q)
    jobs = _service_jobs(criteria, today)
    if jobs is not None:
        done = Exists(jobs.filter(work_order_id=OuterRef("pk")))
        invoices = invoices.filter(done if criteria.get("service_done") != "not_done" else ~done)
    if criteria.get("total_min") is not None:
        invoices = invoices.filter(grand_total__gte=Decimal(criteria["total_min"]))
    if criteria.get("total_max") is not None:
        invoices = invoices.filter(grand_total__lte=Decimal(criteria["total_max"]))
    return invoices.order_by("-closed_at", "-id")


def _last_inspected_at() -> Subquery:
    return Subquery(
        Inspection.objects.filter(vehicle_id=OuterRef("pk"), inspected_at__isnull=False)
        .order_by("-inspected_at")
        .values("inspected_at")[:1]
    )


def vehicle_search(criteria: dict, *, today: date | None = None) -> QuerySet[Vehicle]:
    """Vehicle Inspection Search: active vehicles with their last inspection date, in range.

    A vehicle never inspected counts as inspected longest ago: "no inspection since"
    (an end date, or "at least N months ago") finds it; a start date leaves it out.
    It comes first, before the oldest inspection.
    """
    today = today or timezone.localdate()
    q, exists = _customer_filters(criteria, "customer__", "customer_id")
    vehicles = (
        Vehicle.objects.filter(is_active=True)
        .filter(q, *exists)
        .filter(_vehicle_q(criteria, ""))
        .annotate(last_inspection=_last_inspected_at())
    )
    start, end = last_inspection_range(criteria, today)
    if start:
        vehicles = vehicles.filter(last_inspection__gte=day_start(start))
    if end:
        vehicles = vehicles.filter(
            Q(last_inspection__lt=day_end(end)) | Q(last_inspection__isnull=True)
        )
    start, end = last_visit_range(criteria, today)
    if start or end:
        visits = _invoices().filter(vehicle_id=OuterRef("pk"))
        if start:
            visits = visits.filter(closed_at__gte=day_start(start))
        if end:
            visits = visits.filter(closed_at__lt=day_end(end))
        vehicles = vehicles.filter(Exists(visits))
    return vehicles.order_by(F("last_inspection").asc(nulls_first=True), "id")


def vehicle_rows(queryset: QuerySet[Vehicle]) -> Iterator[dict]:
    if "last_inspection" not in queryset.query.annotations:
        queryset = queryset.annotate(last_inspection=_last_inspected_at())
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


def search(criteria: dict, collect: str) -> QuerySet:
    if collect == Collect.VEHICLE:
        return vehicle_search(criteria)
    return invoice_search(criteria) if collect == Collect.INVOICE else customer_search(criteria)


# --- Rows: one dict per customer or invoice, the merge fields of letters and labels ---------

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
    last_invoice = _invoices().filter(customer_id=OuterRef("pk")).order_by("-closed_at", "-id")
    chunk = list(
        Customer.objects.filter(id__in=ids)
        .annotate(
            email=_first_email("pk"),
            cell=_first_cell("pk"),
            source_name=F("source__name"),
            last_visit=Subquery(last_invoice.values("closed_at")[:1]),
            last_vehicle_id=Subquery(last_invoice.values("vehicle_id")[:1]),
            total_spent=_total_spent(),
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


# --- Lists for the pages ----------------------------------------------------------------------


def saved_query_list() -> QuerySet[SavedQuery]:
    return SavedQuery.objects.order_by("name")


def letter_template_list() -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.order_by("name")


def follow_up_list_list() -> QuerySet[FollowUpList]:
    return FollowUpList.objects.select_related("template").order_by("name")


def pending_follow_ups(follow_up_list: FollowUpList, *, today: date | None = None):
    """Due and not sent; a vehicle disabled since the follow-up was generated is left out."""
    today = today or timezone.localdate()
    return FollowUp.objects.filter(
        follow_up_list=follow_up_list,
        date_sent__isnull=True,
        due_on__lte=today,
        vehicle__is_active=True,
    )


def follow_up_list_overview() -> QuerySet[FollowUpList]:
    """The lists with how many follow-ups are due and not sent: one query."""
    today = timezone.localdate()
    return follow_up_list_list().annotate(
        pending=Count(
            "follow_ups",
            filter=Q(
                follow_ups__date_sent__isnull=True,
                follow_ups__due_on__lte=today,
                follow_ups__vehicle__is_active=True,
            ),
        )
    )


def follow_up_maintenance_list() -> QuerySet[FollowUp]:
    return FollowUp.objects.select_related("follow_up_list", "customer", "vehicle").order_by(
        "-generated_at", "-id"
    )


def recent_jobs() -> QuerySet[OutputJob]:
    return OutputJob.objects.select_related("created_by").order_by("-created_at", "-id")


def last_job(kinds: set[str]) -> OutputJob | None:
    """The last finished output of these kinds: View/Print Last."""
    return (
        OutputJob.objects.filter(kind__in=kinds, state=OutputJob.State.DONE)
        .exclude(file="")
        .order_by("-finished_at", "-id")
        .first()
    )


def service_categories() -> list[str]:
    """The job categories in use: the package categories and those on recent jobs."""
    names = set(Package.objects.values_list("category", flat=True))
    since = timezone.now() - timedelta(days=365)
    names.update(
        Job.objects.filter(work_order__created_at__gte=since)
        .order_by()
        .values_list("category", flat=True)
        .distinct()[:200]
    )
    return sorted(n for n in names if n)
