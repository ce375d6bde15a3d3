"""The Data Search query builder: criteria in, a queryset out, built with the ORM.

The per-customer search filters with EXISTS / NOT EXISTS over the invoices
instead of grouping every customer's work orders: "last visit between A and B"
is "an invoice between A and B and none after B", which PostgreSQL answers
with hash semi- and anti-joins over the bench shop's 250,000 work orders.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.models import Customer, CustomerEmail, CustomerPhone, Vehicle
from followups.criteria import last_inspection_range, last_visit_range, service_range
from followups.models import Collect
from shop.dates import day_end, day_start
from workorders.models import Inspection, Job, Stage, WorkOrder


def closed_invoices() -> QuerySet[WorkOrder]:
    """The closed work orders: the visits every search counts."""
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
        in_range = closed_invoices().filter(customer_id=OuterRef("pk"))
        if start:
            in_range = in_range.filter(closed_at__gte=day_start(start))
        if end:
            in_range = in_range.filter(closed_at__lt=day_end(end))
        customers = customers.filter(Exists(in_range))
        if end:
            later = closed_invoices().filter(
                customer_id=OuterRef("pk"), closed_at__gte=day_end(end)
            )
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
        customers = customers.annotate(total_spent=total_spent())
        if criteria.get("total_min") is not None:
            customers = customers.filter(total_spent__gte=Decimal(criteria["total_min"]))
        if criteria.get("total_max") is not None:
            customers = customers.filter(total_spent__lte=Decimal(criteria["total_max"]))
    return customers.order_by("last_name", "first_name", "company_name", "id")


def total_spent() -> Coalesce:
    """What the customer (the outer row) spent on all its invoices, 0 if nothing."""
    totals = (
        closed_invoices()
        .filter(customer_id=OuterRef("pk"))
        .values("customer_id")
        .annotate(total=Sum("grand_total"))
        .values("total")
    )
    return Coalesce(Subquery(totals), Value(Decimal("0")))


def invoice_search(criteria: dict, *, today: date | None = None) -> QuerySet[WorkOrder]:
    """The invoices matching the criteria (the last-visit range is the invoice date)."""
    today = today or timezone.localdate()
    invoices = closed_invoices()
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


def last_inspected_at() -> Subquery:
    """When the vehicle (the outer row) was last inspected, or None."""
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
        .annotate(last_inspection=last_inspected_at())
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
        visits = closed_invoices().filter(vehicle_id=OuterRef("pk"))
        if start:
            visits = visits.filter(closed_at__gte=day_start(start))
        if end:
            visits = visits.filter(closed_at__lt=day_end(end))
        vehicles = vehicles.filter(Exists(visits))
    return vehicles.order_by(F("last_inspection").asc(nulls_first=True), "id")


def search(criteria: dict, collect: str) -> QuerySet:
    if collect == Collect.VEHICLE:
        return vehicle_search(criteria)
    return invoice_search(criteria) if collect == Collect.INVOICE else customer_search(criteria)
