"""The owner's dashboard: car count, average repair order, gross profit (parts and labor)
and hours sold in the period, by day, by advisor and by technician.

- Car count: invoices billed out. Sales: after line discounts, before tax.
- Average repair order (ARO): sales ÷ car count.
- Gross profit %: (sales − cost) ÷ sales, for parts, for labor, and for the whole invoice.
- Hours sold: the labor lines' hours. A technician is the labor line's, else the job's,
  else the work order's default technician.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from reports.models import InvoiceSummary, TechnicianSummary
from reports.periods import Period
from reports.selectors.database import report_queries
from reports.selectors.figures import ZERO, average, hours, money, percent

SUMS = {
    "car_count": Count("pk"),
    "sales": Sum("sales"),
    "cost": Sum("cost"),
    "invoice_total": Sum("invoice_total"),
    "parts_sales": Sum("parts_sales"),
    "parts_cost": Sum("parts_cost"),
    "labor_sales": Sum("labor_sales"),
    "labor_cost": Sum("labor_cost"),
    "hours_sold": Sum("hours_sold"),
}


@dataclass
class Figures:
    label: str
    car_count: int = 0
    sales: Decimal = ZERO
    cost: Decimal = ZERO
    invoice_total: Decimal = ZERO
    parts_sales: Decimal = ZERO
    parts_cost: Decimal = ZERO
    labor_sales: Decimal = ZERO
    labor_cost: Decimal = ZERO
    hours_sold: Decimal = ZERO
    day: date | None = None

    @classmethod
    def from_row(cls, label: str, row: dict, **extra) -> Figures:
        return cls(
            label=label,
            car_count=row.get("car_count") or 0,
            sales=money(row.get("sales")),
            cost=money(row.get("cost")),
            invoice_total=money(row.get("invoice_total")),
            parts_sales=money(row.get("parts_sales")),
            parts_cost=money(row.get("parts_cost")),
            labor_sales=money(row.get("labor_sales")),
            labor_cost=money(row.get("labor_cost")),
            hours_sold=hours(row.get("hours_sold")),
            **extra,
        )

    @property
    def average_repair_order(self) -> Decimal | None:
        return average(self.sales, self.car_count)

    @property
    def gross_profit(self) -> Decimal:
        return self.sales - self.cost

    @property
    def gross_profit_percent(self) -> Decimal | None:
        return percent(self.gross_profit, self.sales)

    @property
    def parts_gross_profit_percent(self) -> Decimal | None:
        return percent(self.parts_sales - self.parts_cost, self.parts_sales)

    @property
    def labor_gross_profit_percent(self) -> Decimal | None:
        return percent(self.labor_sales - self.labor_cost, self.labor_sales)


@dataclass
class Dashboard:
    period: Period
    total: Figures
    days: list[Figures]
    advisors: list[Figures]
    technicians: list[Figures]

    def csv_rows(self) -> list[list]:
        rows = [
            [
                "Group",
                "Name",
                "Car count",
                "Sales",
                "Average repair order",
                "Parts gross profit %",
                "Labor gross profit %",
                "Gross profit %",
                "Hours sold",
                "Labor sales",
            ]
        ]

        def line(group: str, f: Figures) -> list:
            def blank(value):
                return "" if value is None else value

            return [
                group,
                f.label,
                f.car_count,
                f.sales,
                blank(f.average_repair_order),
                blank(f.parts_gross_profit_percent),
                blank(f.labor_gross_profit_percent),
                blank(f.gross_profit_percent),
                f.hours_sold,
                f.labor_sales,
            ]

        rows.append(line("Period", self.total))
        rows.extend(line("Day", f) for f in self.days)
        rows.extend(line("Advisor", f) for f in self.advisors)
        rows.extend(line("Technician", f) for f in self.technicians)
        return rows


def _name(first: str | None, last: str | None, username: str | None) -> str:
    return " ".join(part for part in (first, last) if part) or username or "Not assigned"


def _dashboard(period: Period) -> Dashboard:
    start, after = period.bounds
    invoices = InvoiceSummary.objects.filter(closed_at__gte=start, closed_at__lt=after)
    total = Figures.from_row("Period", invoices.aggregate(**SUMS))
    day_rows = (
        invoices.annotate(day=TruncDate("closed_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(**SUMS)
        .order_by("day")
    )
    days = [
        Figures.from_row(f"{row['day']:%a %b} {row['day'].day}", row, day=row["day"])
        for row in day_rows
    ]
    advisor_rows = (
        invoices.values(
            "advisor_id",
            first=F("advisor__first_name"),
            last=F("advisor__last_name"),
            username=F("advisor__username"),
        )
        .annotate(**SUMS)
        .order_by("-sales", "advisor_id")
    )
    advisors = [
        Figures.from_row(_name(row["first"], row["last"], row["username"]), row)
        for row in advisor_rows
    ]
    technician_rows = (
        TechnicianSummary.objects.filter(closed_at__gte=start, closed_at__lt=after)
        .values(
            "technician_id",
            first=F("technician__first_name"),
            last=F("technician__last_name"),
            username=F("technician__username"),
        )
        .annotate(
            car_count=Count("work_order_id", distinct=True),
            labor_sales=Sum("labor_sales"),
            labor_cost=Sum("labor_cost"),
            hours_sold=Sum("hours_sold"),
        )
        .order_by("-hours_sold", "technician_id")
    )
    technicians = []
    for row in technician_rows:
        figures = Figures.from_row(_name(row["first"], row["last"], row["username"]), row)
        # A technician's sales and cost are their labor.
        figures.sales, figures.cost = figures.labor_sales, figures.labor_cost
        technicians.append(figures)
    return Dashboard(
        period=period, total=total, days=days, advisors=advisors, technicians=technicians
    )


def dashboard(period: Period) -> Dashboard:
    with report_queries():
        return _dashboard(period)
