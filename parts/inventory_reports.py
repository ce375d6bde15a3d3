"""Reads behind the parts reports (issue #19 point 6), each a fixed number of queries
whatever the size of the catalog:

- Inventory valuation as of today: on hand (the sum of movements) at average cost, by
  category, with the parts whose on hand is negative.
- Low stock and reorder: stocked parts below their reorder point, with what to order.
- Parts sales and margin for a period, by category and by vendor: the catalog parts on the
  invoices billed out in the period (declined jobs are not charged, so not counted).
- Dead stock: parts on the shelf that have not sold in N months.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from parts.models import Part, PartLine, StockMovement, VendorPart
from parts.selectors import _with_on_hand, reorder_quantity, stock_levels
from workorders.models import Job, LineKind, Stage

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# A page shows at most this many parts; the CSV export has every row.
PAGE_ROWS = 500
NO_CATEGORY = "(no category)"
NO_VENDOR = "(no vendor)"


def _money(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def _read(value) -> Decimal:
    """A number from raw SQL as a Decimal (SQLite may answer an int or a float)."""
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _quantity(value: Decimal | None) -> Decimal:
    return (value or ZERO).normalize() + 0


@dataclass(frozen=True)
class AsOf:
    """The report's moment, shaped like a period for the shared report header."""

    day: date

    @property
    def label(self) -> str:
        return f"As of {self.day:%B} {self.day.day}, {self.day.year}"

    @property
    def file_label(self) -> str:
        return f"{self.day:%Y-%m-%d}"


# --- Inventory valuation ----------------------------------------------------------------


@dataclass
class ValuationRow:
    label: str
    parts: int = 0
    units: Decimal = ZERO
    value: Decimal = ZERO


@dataclass
class InventoryValuation:
    period: AsOf
    categories: list[ValuationRow]
    total: ValuationRow
    negative: list[Part]

    def csv_rows(self) -> list[list]:
        rows: list[list] = [["Category", "Parts in stock", "Units on hand", "Value"]]
        rows += [[r.label, r.parts, r.units, r.value] for r in self.categories]
        rows.append([self.total.label, self.total.parts, self.total.units, self.total.value])
        if self.negative:
            rows += [[], ["Negative on hand", "Description", "On hand", "Average cost"]]
            rows += [[p.number, p.description, p.on_hand, p.average_cost] for p in self.negative]
        return rows


def inventory_valuation(day: date | None = None) -> InventoryValuation:
    """On hand at average cost, by category: two queries (the sums, then the parts below
    zero by id). The movements are summed per part once (one pass over the movements
    table), joined to the parts and added up by category in the database; parts whose on
    hand is below zero count in their category (they lower its value) and are listed, as
    the shop should look at them. (Summing each part's movements through a correlated
    subquery over the whole catalog took two seconds on 200,000 parts.)"""
    day = day or timezone.localdate()
    movements = StockMovement._meta.db_table
    parts = Part._meta.db_table
    with connection.cursor() as cursor:
        # The movements summed per part once (grouped by part after the join: the
        # movements' covering index and the parts' primary key are both read in part order
        # and merged, no hash of the catalog), then added up by category in one branch and
        # the parts below zero picked in the other.
        cursor.execute(
            f"""
            WITH s AS (
                SELECT p.id, p.number_key, p.category, p.average_cost, SUM(m.quantity) AS units
                FROM {movements} m JOIN {parts} p ON p.id = m.part_id
                WHERE p.kind = %s
                GROUP BY p.id
            )
            SELECT 0, category, COUNT(*), SUM(units), SUM(units * average_cost)
            FROM s WHERE units <> 0 GROUP BY category
            UNION ALL
            SELECT 1, NULL, id, units, NULL FROM (
                SELECT id, units FROM s WHERE units < 0 ORDER BY number_key LIMIT %s
            ) below
            """,
            [LineKind.PART, PAGE_ROWS],
        )
        rows = cursor.fetchall()
    sums = [row[1:] for row in rows if row[0] == 0]
    below_zero = {row[2]: _quantity(_read(row[3])) for row in rows if row[0] == 1}
    categories = [
        ValuationRow(
            name or NO_CATEGORY, int(count or 0), _quantity(_read(units)), _money(_read(value))
        )
        for name, count, units, value in sorted(sums, key=lambda row: (row[0] or "").lower())
    ]
    categories = [r for r in categories if r.parts or r.units or r.value]
    total = ValuationRow(
        "All categories",
        sum(r.parts for r in categories),
        _quantity(sum((r.units for r in categories), ZERO)),
        _money(sum((r.value for r in categories), ZERO)),
    )
    negative = list(Part.objects.filter(pk__in=below_zero).order_by("number_key"))
    for part in negative:
        part.on_hand = below_zero[part.pk]
    return InventoryValuation(AsOf(day), categories, total, negative)


# --- Low stock and reorder --------------------------------------------------------------


@dataclass
class LowStock:
    period: AsOf
    parts: list[Part]
    count: int
    order_cost: Decimal
    limited: bool

    def csv_rows(self) -> list[list]:
        rows: list[list] = [
            ["Part #", "Description", "Category", "Bin", "On hand", "Committed",
             "Reorder point", "To order", "Cost", "Order cost"],
        ]  # fmt: skip
        rows += [
            [p.number, p.description, p.category, p.bin_location, _quantity(p.stock.on_hand),
             _quantity(p.stock.committed), _quantity(p.reorder_point), p.to_order, p.cost,
             p.order_cost]
            for p in self.parts
        ]  # fmt: skip
        return rows


def low_stock(*, category: str = "", limit: int | None = PAGE_ROWS) -> LowStock:
    """Stocked parts whose on hand is below their reorder point, with the quantity to order
    (enough to reach the point, at least the reorder quantity) and what it would cost:
    three queries (the parts with on hand, their stock levels; past the page's limit, the
    totals of all of them)."""
    queryset = _with_on_hand(
        Part.objects.filter(kind=LineKind.PART, stocked=True, is_active=True, reorder_point__gt=0)
    ).filter(on_hand_total__lt=F("reorder_point"))
    if category:
        queryset = queryset.filter(category=category)
    queryset = queryset.order_by("category", "number_key")
    parts = list(queryset if limit is None else queryset[: limit + 1])
    limited = limit is not None and len(parts) > limit
    parts = parts[:limit] if limit is not None else parts
    levels = stock_levels([p.pk for p in parts])
    for part in parts:
        part.stock = levels[part.pk]
        part.to_order = _quantity(reorder_quantity(part))
        part.order_cost = _money(part.to_order * part.cost)
    if limited:
        # The totals cover every part below its point, not only the page's.
        every = list(
            queryset.values_list("on_hand_total", "reorder_point", "reorder_quantity", "cost")
        )
        count = len(every)
        order_cost = sum(
            (_money(max(point - held, quantity) * cost) for held, point, quantity, cost in every),
            ZERO,
        )
    else:
        count, order_cost = len(parts), sum((p.order_cost for p in parts), ZERO)
    return LowStock(AsOf(timezone.localdate()), parts, count, _money(order_cost), limited)


# --- Parts sales and margin -------------------------------------------------------------


@dataclass
class SalesRow:
    label: str
    quantity: Decimal = ZERO
    sales: Decimal = ZERO
    cost: Decimal = ZERO

    @property
    def profit(self) -> Decimal:
        return self.sales - self.cost

    @property
    def margin(self) -> Decimal | None:
        """Gross margin in percent of sales (None without sales)."""
        if not self.sales:
            return None
        return (self.profit / self.sales * HUNDRED).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def add(self, quantity: Decimal, sales: Decimal, cost: Decimal) -> None:
        self.quantity += quantity
        self.sales += sales
        self.cost += cost


@dataclass
class PartsSales:
    period: object
    by_category: list[SalesRow]
    by_vendor: list[SalesRow]
    total: SalesRow = field(default_factory=lambda: SalesRow("All parts"))

    def csv_rows(self) -> list[list]:
        rows: list[list] = []
        for title, group in (("Category", self.by_category), ("Vendor", self.by_vendor)):
            rows.append([title, "Quantity", "Sales", "Cost", "Gross profit", "Margin %"])
            for r in [*group, self.total]:
                rows.append([r.label, r.quantity, r.sales, r.cost, r.profit, r.margin])
            rows.append([])
        return rows[:-1]


def _main_vendors(part_ids: list[int]) -> dict[int, str]:
    """Each part's vendor for the report: the one that sells it cheapest (then by name)."""
    vendors: dict[int, str] = {}
    for part_id, name in (
        VendorPart.objects.filter(part_id__in=part_ids)
        .order_by("part_id", "cost", "vendor__name")
        .values_list("part_id", "vendor__name")
    ):
        vendors.setdefault(part_id, name)
    return vendors


def parts_sales(period) -> PartsSales:
    """The catalog parts (kind part) on invoices billed out in the period: quantity, sales
    (the line's amount less its discount), cost (quantity × the line's unit cost), gross
    profit and margin, by the part's category and by its vendor. Two queries: the sales
    summed by part, then the parts' vendors."""
    start, end = period.bounds
    net = ExpressionWrapper(
        F("line__amount") - F("line__discount"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    cost = ExpressionWrapper(
        F("line__quantity") * F("line__unit_cost"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    rows = list(
        PartLine.objects.filter(
            part__kind=LineKind.PART,
            line__work_order__stage=Stage.INVOICE,
            line__work_order__closed_at__gte=start,
            line__work_order__closed_at__lt=end,
        )
        .exclude(line__job__approval=Job.Approval.DECLINED)
        .order_by()
        .values("part_id", "part__category")
        .annotate(quantity=Sum("line__quantity"), sales=Sum(net), cost=Sum(cost))
    )
    vendors = _main_vendors([row["part_id"] for row in rows])
    by_category: dict[str, SalesRow] = {}
    by_vendor: dict[str, SalesRow] = {}
    total = SalesRow("All parts")
    for row in rows:
        figures = (row["quantity"] or ZERO, row["sales"] or ZERO, _money(row["cost"]))
        category = row["part__category"] or NO_CATEGORY
        vendor = vendors.get(row["part_id"], NO_VENDOR)
        by_category.setdefault(category, SalesRow(category)).add(*figures)
        by_vendor.setdefault(vendor, SalesRow(vendor)).add(*figures)
        total.add(*figures)
    for group in (by_category, by_vendor):
        for item in group.values():
            item.quantity = _quantity(item.quantity)
    total.quantity = _quantity(total.quantity)

    def ordered(group: dict[str, SalesRow]) -> list[SalesRow]:
        return sorted(group.values(), key=lambda r: (-r.sales, r.label.lower()))

    return PartsSales(period, ordered(by_category), ordered(by_vendor), total)


# --- Dead stock -------------------------------------------------------------------------


@dataclass(frozen=True)
class SinceMonths:
    """Dead stock's window: no sale since `since` (N months before today)."""

    months: int
    since: date

    @property
    def label(self) -> str:
        unit = "month" if self.months == 1 else "months"
        since = f"{self.since:%b} {self.since.day}, {self.since.year}"
        return f"No sale in {self.months} {unit} (since {since})"

    @property
    def file_label(self) -> str:
        return f"{self.months}-months_{timezone.localdate():%Y-%m-%d}"


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


@dataclass
class DeadStock:
    period: SinceMonths
    parts: list[Part]
    count: int
    value: Decimal
    limited: bool

    def csv_rows(self) -> list[list]:
        rows: list[list] = [
            ["Part #", "Description", "Category", "Bin", "On hand", "Average cost", "Value",
             "Last sold"],
        ]  # fmt: skip
        rows += [
            [p.number, p.description, p.category, p.bin_location, p.on_hand, p.average_cost,
             p.value, p.last_sold_on or "never"]
            for p in self.parts
        ]  # fmt: skip
        return rows


def dead_stock(*, months: int, limit: int | None = PAGE_ROWS) -> DeadStock:
    """Parts with stock on the shelf (on hand above zero) and no sale since N months ago
    (or never sold), the largest value first: two queries (three past the page's limit)."""
    since = months_before(timezone.localdate(), months)
    cutoff = timezone.make_aware(datetime.combine(since, time.min))
    last_sold = (
        StockMovement.objects.filter(part=OuterRef("pk"), kind=StockMovement.Kind.SOLD)
        .order_by()
        .values("part")
        .annotate(last=Max("at"))
        .values("last")
    )
    value = ExpressionWrapper(
        F("on_hand_total") * F("average_cost"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    queryset = (
        _with_on_hand(Part.objects.filter(kind=LineKind.PART))
        .filter(on_hand_total__gt=0)
        .annotate(last_sold=Subquery(last_sold), stock_value=value)
        .filter(Q(last_sold__isnull=True) | Q(last_sold__lt=cutoff))
        .order_by("-stock_value", "number_key")
    )
    parts = list(queryset if limit is None else queryset[: limit + 1])
    limited = limit is not None and len(parts) > limit
    parts = parts[:limit] if limit is not None else parts
    if limited:
        totals = queryset.order_by().aggregate(n=Count("pk"), value=Sum("stock_value"))
        count, total_value = totals["n"], _money(totals["value"])
    else:
        count = len(parts)
        total_value = _money(sum((p.on_hand_total * p.average_cost for p in parts), ZERO))
    for part in parts:
        part.on_hand = _quantity(part.on_hand_total)
        part.value = _money(part.stock_value)
        part.last_sold_on = timezone.localdate(part.last_sold) if part.last_sold else None
    return DeadStock(SinceMonths(months, since), parts, count, total_value, limited)


def report_categories() -> list[str]:
    return sorted(
        set(
            Part.objects.filter(kind=LineKind.PART)
            .exclude(category="")
            .order_by()
            .values_list("category", flat=True)
            .distinct()
        ),
        key=str.lower,
    )
