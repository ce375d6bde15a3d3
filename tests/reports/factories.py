"""A small fixed shop whose every report figure is worked out by hand in the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from customers.models import Customer, CustomerSource, Vehicle
from reports import services as report_services
from reports.models import SourceCategory
from shop.models import User
from workorders import services
from workorders.models import Job, Status, WorkOrder


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def invoice(
    *,
    vehicle: Vehicle,
    advisor: User,
    billed: Status,
    closed_at: datetime,
    odometer: int | None,
    labor: tuple[str, str, str],
    part: tuple[str, str, str, str] | None = None,
    technician: User | None = None,
    declined_part: tuple[str, str, str] | None = None,
) -> WorkOrder:
    """Write a work order through the services and bill it out, then move it to `closed_at`.

    labor = (hours, rate, cost per hour); part = (quantity, price, unit cost, discount).
    """
    work_order = services.workorder_create(by=advisor, vehicle=vehicle, odometer_in=odometer)
    job = services.job_add(
        by=advisor,
        work_order=work_order,
        version=None,
        title="Work",
        category="General",
        technician=technician,
    )
    hours, rate, cost = labor
    services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="labor",
        description="Labor",
        quantity=hours,
        unit_price=rate,
        unit_cost=cost,
    )
    if part:
        quantity, price, unit_cost, discount = part
        services.line_add(
            by=advisor,
            job=job,
            version=None,
            kind="part",
            description="Part",
            quantity=quantity,
            unit_price=price,
            unit_cost=unit_cost,
            discount=discount,
        )
    if declined_part:
        declined = services.job_add(
            by=advisor, work_order=work_order, version=None, title="Declined", category="General"
        )
        quantity, price, unit_cost = declined_part
        services.line_add(
            by=advisor,
            job=declined,
            version=None,
            kind="part",
            description="Declined part",
            quantity=quantity,
            unit_price=price,
            unit_cost=unit_cost,
        )
        services.job_approval_set(
            job=declined,
            version=None,
            approval=Job.Approval.DECLINED,
            method="in_person",
            by_name="Customer",
        )
    services.workorder_status_set(by=advisor, work_order=work_order, version=None, status=billed)
    WorkOrder.objects.filter(pk=work_order.pk).update(
        closed_at=closed_at, created_at=closed_at - timedelta(hours=2)
    )
    report_services.invoice_summary_refresh(work_order_id=work_order.pk)
    return WorkOrder.objects.get(pk=work_order.pk)


@dataclass
class NovemberShop:
    sam: User
    owner: User
    tech_one: User
    tech_two: User
    sources: dict[str, CustomerSource]
    customers: dict[str, Customer]
    invoices: dict[str, WorkOrder]


def _customer(name: str, source: CustomerSource | None, year: int) -> tuple[Customer, Vehicle]:
    customer = Customer.objects.create(first_name=name, last_name="Test", source=source)
    vehicle = Vehicle.objects.create(customer=customer, year=year, make="Honda", model="Civic")
    return customer, vehicle


def november_shop(*, statuses, sam: User, owner: User) -> NovemberShop:
    """Customers A-G and their invoices; see tests/reports/test_figures.py for the figures."""
    from tests.shop.factories import EmployeeFactory

    tech_one = EmployeeFactory(
        username="tina", first_name="Tina", last_name="One", role="technician", security_level=5
    )
    tech_two = EmployeeFactory(
        username="theo", first_name="Theo", last_name="Two", role="technician", security_level=5
    )
    sources = {
        name: CustomerSource.objects.create(name=name)
        for name in ["Google", "Yelp", "Facebook", "Referral", "Radio"]
    }
    internet = SourceCategory.objects.get(name="Internet")
    referral = SourceCategory.objects.get(name="Referral")
    report_services.source_mappings_set(
        by=owner,
        mapping={
            sources["Google"].pk: internet.pk,
            sources["Yelp"].pk: internet.pk,
            sources["Facebook"].pk: internet.pk,
            sources["Referral"].pk: referral.pk,
        },
    )
    billed = statuses[17]
    a, a_car = _customer("Ann", sources["Google"], 2015)
    b, b_car = _customer("Bob", sources["Google"], 2018)
    c, c_car = _customer("Cy", sources["Yelp"], 2018)
    d, d_car = _customer("Dee", sources["Referral"], 2010)
    e, e_car = _customer("Eve", sources["Radio"], 2015)
    f, f_car = _customer("Fay", None, 2020)
    g, g_car = _customer("Gus", sources["Google"], 2012)
    invoices = {
        "A1": invoice(vehicle=a_car, advisor=sam, billed=billed, closed_at=local(2026, 10, 20),
                      odometer=94000, labor=("1", "100", "40"), part=("1", "50", "20", "0"),
                      technician=tech_one),
        "A2": invoice(vehicle=a_car, advisor=sam, billed=billed, closed_at=local(2026, 11, 5),
                      odometer=95000, labor=("2", "100", "40"), part=("2", "30", "12.50", "0"),
                      technician=tech_one),
        "B1": invoice(vehicle=b_car, advisor=sam, billed=billed, closed_at=local(2026, 11, 10),
                      odometer=45000, labor=("1.5", "120", "45.01"),
                      part=("1", "89.99", "35.55", "0"), technician=tech_one),
        "B2": invoice(vehicle=b_car, advisor=owner, billed=billed, closed_at=local(2026, 11, 20),
                      odometer=45500, labor=("0.5", "120", "45"), part=("4", "12.49", "5.13", "0"),
                      technician=tech_one),
        "C1": invoice(vehicle=c_car, advisor=sam, billed=billed, closed_at=local(2026, 11, 10, 15),
                      odometer=29999, labor=("1", "100", "40"), part=("1", "200", "150", "20"),
                      technician=tech_two),
        "D1": invoice(vehicle=d_car, advisor=owner, billed=billed,
                      closed_at=local(2026, 11, 30, 23, 30), odometer=150000,
                      labor=("3", "100", "40"), technician=tech_two),
        "E1": invoice(vehicle=e_car, advisor=owner, billed=billed, closed_at=local(2026, 11, 3),
                      odometer=None, labor=("1", "100", "40"), part=("1", "40", "10", "0")),
        "F1": invoice(vehicle=f_car, advisor=owner, billed=billed, closed_at=local(2026, 11, 15),
                      odometer=30000, labor=("1", "100", "40"), part=("1", "20", "5", "0"),
                      technician=tech_one, declined_part=("1", "500", "300")),
        "G1": invoice(vehicle=g_car, advisor=owner, billed=billed,
                      closed_at=local(2026, 12, 1, 0, 30), odometer=70000,
                      labor=("1", "100", "40"), technician=tech_two),
    }  # fmt: skip
    report_services.marketing_spend_set(
        by=owner,
        month=local(2026, 11, 1).date(),
        amounts={sources["Google"].pk: "600", sources["Yelp"].pk: "250", sources["Radio"].pk: "90"},
    )
    report_services.marketing_spend_set(
        by=owner, month=local(2026, 10, 1).date(), amounts={sources["Google"].pk: "999"}
    )
    return NovemberShop(
        sam=sam,
        owner=owner,
        tech_one=tech_one,
        tech_two=tech_two,
        sources=sources,
        customers={"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g},
        invoices=invoices,
    )
