"""Fleet Activity: every fleet customer and the vehicles serviced for them in the period, with
visits, average invoice and total, by vehicle, by customer and overall.

A fleet customer is a customer with a fleet account (fleet.models.FleetAccount: the customer
account that belongs to a fleet company). Totals are invoice totals, tax included; a visit is
an invoice billed out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum

from customers.models import Customer
from reports.models import InvoiceSummary
from reports.periods import Period
from reports.selectors.database import report_queries
from reports.selectors.figures import ZERO, average, money


@dataclass
class ActivityFigures:
    label: str
    visits: int = 0
    total: Decimal = ZERO
    vehicles: int = 0
    company: str = ""
    rows: list[ActivityFigures] = field(default_factory=list)

    @property
    def average_invoice(self) -> Decimal | None:
        return average(self.total, self.visits)

    def add(self, other: ActivityFigures) -> None:
        self.visits += other.visits
        self.total += other.total
        self.vehicles += other.vehicles


@dataclass
class FleetActivity:
    period: Period
    customers: list[ActivityFigures]
    total: ActivityFigures

    def csv_rows(self) -> list[list]:
        rows = [["Fleet company", "Customer", "Vehicle", "Visits", "Average invoice", "Total"]]

        def line(company: str, customer: str, vehicle: str, f: ActivityFigures) -> list:
            return [
                company,
                customer,
                vehicle,
                f.visits,
                "" if f.average_invoice is None else f.average_invoice,
                f.total,
            ]

        for customer in self.customers:
            rows.extend(
                line(customer.company, customer.label, vehicle.label, vehicle)
                for vehicle in customer.rows
            )
            rows.append(line(customer.company, customer.label, "All vehicles", customer))
        rows.append(line("", "All fleet customers", "All vehicles", self.total))
        return rows


def fleet_customers() -> QuerySet[Customer]:
    """Customers with a fleet account, with their fleet company's name."""
    return (
        Customer.objects.filter(fleet_account__isnull=False)
        .annotate(fleet_company=F("fleet_account__company__name"))
        .order_by("fleet_account__company__name", "company_name", "last_name", "first_name", "id")
    )


def _vehicle_label(row: dict) -> str:
    described = " ".join(str(part) for part in (row["year"], row["make"], row["model"]) if part)
    plate = f" ({row['plate']})" if row["plate"] else ""
    return (described or f"Vehicle #{row['vehicle_id']}") + plate


def _fleet_activity(period: Period) -> FleetActivity:
    start, after = period.bounds
    customers = {
        customer.pk: ActivityFigures(label=customer.display_name, company=customer.fleet_company)
        for customer in fleet_customers().only(
            "id", "kind", "first_name", "last_name", "company_name"
        )
    }
    vehicle_rows = (
        InvoiceSummary.objects.filter(
            closed_at__gte=start, closed_at__lt=after, customer__fleet_account__isnull=False
        )
        .values(
            "customer_id",
            "vehicle_id",
            year=F("vehicle__year"),
            make=F("vehicle__make"),
            model=F("vehicle__model"),
            plate=F("vehicle__plate"),
        )
        .annotate(visits=Count("pk"), total=Sum("invoice_total"))
        .order_by("customer_id", "vehicle__year", "vehicle__make", "vehicle__model", "vehicle_id")
    )
    total = ActivityFigures(label="All fleet customers")
    for row in vehicle_rows:  # one row per vehicle serviced, added up by the database
        vehicle = ActivityFigures(
            label=_vehicle_label(row), visits=row["visits"], total=money(row["total"]), vehicles=1
        )
        customer = customers[row["customer_id"]]
        customer.rows.append(vehicle)
        customer.add(vehicle)
        total.add(vehicle)
    return FleetActivity(period=period, customers=list(customers.values()), total=total)


def fleet_activity(period: Period) -> FleetActivity:
    with report_queries():
        return _fleet_activity(period)
