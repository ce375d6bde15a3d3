"""The Customer Source report: per category, with its sources inside, new and returning
customers, invoices and revenue in the period; marketing spend gives the cost per new
customer and the return on spend.

- A customer is *new* in the period when their first invoice ever falls in it, and
  *returning* when they had an invoice in the period and one before it.
- Revenue is sales: what the invoices charged after line discounts, before tax.
- Spend is entered per source and month; a period that covers part of a month takes that
  part of its spend, by days (a whole month takes all of it).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import connection

from customers.models import Customer, CustomerSource
from reports.models import InvoiceSummary, MarketingSpend, SourceCategory
from reports.periods import Period
from reports.selectors.database import report_queries
from reports.selectors.figures import ZERO, average, money, ratio

NOT_MAPPED = "Source unknown"
NO_SOURCE = "Source not set"


@dataclass
class SourceFigures:
    name: str
    new_customers: int = 0
    customers: int = 0
    invoices: int = 0
    revenue: Decimal = ZERO
    spend: Decimal = ZERO

    @property
    def returning_customers(self) -> int:
        return self.customers - self.new_customers

    @property
    def cost_per_new_customer(self) -> Decimal | None:
        return average(self.spend, self.new_customers) if self.spend else None

    @property
    def return_on_spend(self) -> Decimal | None:
        """Revenue per dollar spent."""
        return ratio(self.revenue, self.spend)

    def add(self, other: SourceFigures) -> None:
        self.new_customers += other.new_customers
        self.customers += other.customers
        self.invoices += other.invoices
        self.revenue += other.revenue
        self.spend += other.spend


@dataclass
class CategoryFigures(SourceFigures):
    sources: list[SourceFigures] = field(default_factory=list)


@dataclass
class SourceReport:
    period: Period
    categories: list[CategoryFigures]
    total: SourceFigures

    def csv_rows(self) -> list[list]:
        rows = [
            [
                "Category",
                "Source",
                "New customers",
                "Returning customers",
                "Invoices",
                "Revenue",
                "Marketing spend",
                "Cost per new customer",
                "Return on spend",
            ]
        ]

        def line(category: str, source: str, f: SourceFigures) -> list:
            return [
                category,
                source,
                f.new_customers,
                f.returning_customers,
                f.invoices,
                f.revenue,
                f.spend,
                "" if f.cost_per_new_customer is None else f.cost_per_new_customer,
                "" if f.return_on_spend is None else f.return_on_spend,
            ]

        for category in self.categories:
            rows.append(line(category.name, "All", category))
            rows.extend(line(category.name, source.name, source) for source in category.sources)
        rows.append(line("All categories", "All", self.total))
        return rows


def _month_share(month: date, period: Period) -> tuple[int, int]:
    """(days of this month inside the period, days in the month)."""
    days_in_month = calendar.monthrange(month.year, month.month)[1]
    last = month.replace(day=days_in_month)
    first_inside = max(month, period.start)
    last_inside = min(last, period.end)
    inside = max(0, (last_inside - first_inside).days + 1)
    return inside, days_in_month


def spend_by_source(period: Period) -> dict[int, Decimal]:
    """Each source's spend in the period: whole months whole, part months by days."""
    rows = MarketingSpend.objects.filter(
        month__gte=period.start.replace(day=1), month__lte=period.end
    ).values_list("source_id", "month", "amount")
    spend: dict[int, Decimal] = {}
    for source_id, month, amount in rows:  # a few rows per source and month, not invoices
        inside, days = _month_share(month, period)
        share = amount if inside == days else money(amount * inside / days)
        spend[source_id] = spend.get(source_id, ZERO) + share
    return spend


def _source_report(period: Period) -> SourceReport:
    start, after = period.bounds
    by_source = {row["source_id"]: row for row in _figures_by_source(start, after)}
    spend = spend_by_source(period)

    def figures(name: str, source_id: int | None) -> SourceFigures:
        row = by_source.get(source_id) or {}
        return SourceFigures(
            name=name,
            new_customers=row.get("new_customers", 0),
            customers=row.get("customers", 0),
            invoices=row.get("invoices", 0),
            revenue=money(row.get("revenue")),
            spend=spend.get(source_id, ZERO) if source_id is not None else ZERO,
        )

    categories = {
        category.pk: CategoryFigures(name=category.name)
        for category in SourceCategory.objects.order_by("position", "name")
    }
    unmapped = CategoryFigures(name=NOT_MAPPED)
    sources = CustomerSource.objects.select_related("report_mapping").order_by("name")
    for source in sources:
        mapping = getattr(source, "report_mapping", None)
        group = categories[mapping.category_id] if mapping else unmapped
        group.sources.append(figures(source.name, source.pk))
    no_source = figures(NO_SOURCE, None)
    if no_source.invoices:
        unmapped.sources.append(no_source)
    result = list(categories.values())
    if unmapped.sources:
        result.append(unmapped)
    total = SourceFigures(name="All categories")
    for category in result:
        for source in category.sources:
            category.add(source)
        total.add(category)
    return SourceReport(period=period, categories=result, total=total)


def _figures_by_source(start: datetime, after: datetime) -> list[dict]:
    """Customers, new customers, invoices and revenue per source, in one query.

    Written in SQL because it groups twice: each customer's invoices in the period first,
    then the customers by source, so "had an invoice before?" is asked once per customer
    (from the (customer, closed_at) index alone) rather than once per invoice.
    """
    quote = connection.ops.quote_name
    invoices = quote(InvoiceSummary._meta.db_table)
    customers = quote(Customer._meta.db_table)
    sql = f"""
        SELECT c.source_id, COUNT(*), SUM(t.invoices), SUM(t.revenue),
            SUM(CASE WHEN NOT EXISTS (
                SELECT 1 FROM {invoices} e WHERE e.customer_id = t.customer_id AND e.closed_at < %s
            ) THEN 1 ELSE 0 END)
        FROM (
            SELECT customer_id, COUNT(*) AS invoices, SUM(sales) AS revenue
            FROM {invoices}
            WHERE closed_at >= %s AND closed_at < %s
            GROUP BY customer_id
        ) t
        JOIN {customers} c ON c.id = t.customer_id
        GROUP BY c.source_id
    """
    first, last = (connection.ops.adapt_datetimefield_value(v) for v in (start, after))
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, first, last])
        rows = cursor.fetchall()
    return [
        {
            "source_id": source_id,
            "customers": customers_count,
            "invoices": invoice_count,
            "revenue": revenue,
            "new_customers": new_count,
        }
        for source_id, customers_count, invoice_count, revenue, new_count in rows
    ]


def source_report(period: Period) -> SourceReport:
    with report_queries():
        return _source_report(period)
