"""Reads of purchasing and counting: reorder suggestions, on order, purchase orders, the
special-order parts of a repair order, count sheets, and the board's "parts arrived"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, QuerySet, Sum

from parts.models import (
    CountSheet,
    Part,
    PartLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Vendor,
    VendorCredit,
    VendorPart,
)
from parts.purchasing_models import OPEN_STATUSES
from parts.selectors import _with_on_hand, parts_with_stock
from workorders.models import Job, LineKind, Stage, WorkOrder

ZERO = Decimal("0.00")
SUGGESTION_LIMIT = 500
PO_PAGE_SIZE = 50


def on_order(part_ids: Iterable[int]) -> dict[int, Decimal]:
    """What is still to come for these parts: ordered minus received on the lines of open
    purchase orders (drafts included). One query."""
    ids = list(part_ids)
    if not ids:
        return {}
    rows = (
        PurchaseOrderLine.objects.filter(
            part_id__in=ids,
            purchase_order__status__in=OPEN_STATUSES,
            quantity_ordered__gt=F("quantity_received"),
        )
        .order_by()
        .values("part_id")
        .annotate(total=Sum(F("quantity_ordered") - F("quantity_received")))
        .values_list("part_id", "total")
    )
    return {part_id: total for part_id, total in rows}


def parts_on_order_set(parts: list[Part]) -> list[Part]:
    """Each part with `.on_order` (one query for all)."""
    totals = on_order(p.pk for p in parts)
    for part in parts:
        part.on_order = totals.get(part.pk, ZERO)
    return parts


@dataclass
class Suggestion:
    part: Part
    quantity: Decimal
    vendor_part: VendorPart | None

    @property
    def unit_cost(self) -> Decimal:
        return self.vendor_part.cost if self.vendor_part else self.part.cost


@dataclass
class VendorSuggestions:
    vendor: Vendor | None
    rows: list[Suggestion] = field(default_factory=list)


def _cheapest_vendor_parts(part_ids: list[int]) -> dict[int, VendorPart]:
    chosen: dict[int, VendorPart] = {}
    for row in (
        VendorPart.objects.filter(part_id__in=part_ids, vendor__is_active=True)
        .select_related("vendor")
        .order_by("part_id", "cost", "vendor__name")
    ):
        chosen.setdefault(row.part_id, row)
    return chosen


def suggestion_quantity(part: Part, on_order_total: Decimal) -> Decimal:
    """What to order for a stocked part below its reorder point, counting what is already
    on order: enough to reach the point, and at least the reorder quantity (the parts
    list's `reorder_quantity` with what is coming counted as on the shelf)."""
    short = part.reorder_point - part.stock.on_hand - on_order_total
    return max(short, part.reorder_quantity) if short > 0 else ZERO


def reorder_suggestions(part_ids: Iterable[int] | None = None) -> list[VendorSuggestions]:
    """Stocked parts below their reorder point (still short with what is on order), each
    with the quantity to reach it and its cheapest active vendor, grouped by vendor (parts
    without a vendor last). A fixed number of queries whatever the count."""
    queryset = _with_on_hand(
        Part.objects.filter(kind=LineKind.PART, stocked=True, is_active=True, reorder_point__gt=0)
    ).filter(on_hand_total__lt=F("reorder_point"))
    if part_ids is not None:
        queryset = queryset.filter(pk__in=list(part_ids))
    parts = parts_with_stock(list(queryset.order_by("number_key")[:SUGGESTION_LIMIT]))
    coming = on_order(p.pk for p in parts)
    vendors = _cheapest_vendor_parts([p.pk for p in parts])
    groups: dict[int | None, VendorSuggestions] = {}
    for part in parts:
        quantity = suggestion_quantity(part, coming.get(part.pk, ZERO))
        if quantity <= 0:
            continue
        part.on_order = coming.get(part.pk, ZERO)
        vendor_part = vendors.get(part.pk)
        key = vendor_part.vendor_id if vendor_part else None
        group = groups.setdefault(
            key, VendorSuggestions(vendor_part.vendor if vendor_part else None)
        )
        group.rows.append(Suggestion(part, quantity, vendor_part))
    return sorted(
        groups.values(), key=lambda g: (g.vendor is None, g.vendor.name if g.vendor else "")
    )


@dataclass
class SpecialOrder:
    part_line: PartLine
    vendor_part: VendorPart | None
    ordered: bool


def special_order_parts(work_order: WorkOrder) -> list[SpecialOrder]:
    """The repair order's non-stock catalog parts (declined jobs left out), each with its
    cheapest vendor and whether an open or received purchase order already has it."""
    part_lines = list(
        PartLine.objects.filter(
            line__work_order=work_order, part__kind=LineKind.PART, part__stocked=False
        )
        .exclude(line__job__approval=Job.Approval.DECLINED)
        .select_related("part", "line")
        .order_by("line__job_id", "line__position", "line_id")
    )
    ordered = set(
        PurchaseOrderLine.objects.filter(work_order_line__work_order=work_order)
        .exclude(purchase_order__status=PurchaseOrder.Status.CANCELLED)
        .values_list("work_order_line_id", flat=True)
    )
    vendors = _cheapest_vendor_parts([row.part_id for row in part_lines])
    return [
        SpecialOrder(row, vendors.get(row.part_id), row.line_id in ordered) for row in part_lines
    ]


def purchase_orders_page(
    *, status: str = "", vendor_id: int | None = None, work_order_id: int | None = None,
    page: int = 1,
) -> tuple[list, bool]:  # fmt: skip
    """A page of purchase orders, newest first, each with its line count, total and
    received count; (rows, has_next). Two queries whatever the count."""
    queryset: QuerySet[PurchaseOrder] = PurchaseOrder.objects.select_related("vendor")
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if vendor_id:
        queryset = queryset.filter(vendor_id=vendor_id)
    if work_order_id:
        queryset = queryset.filter(lines__work_order_id=work_order_id).distinct()
    start = (max(1, page) - 1) * PO_PAGE_SIZE
    rows = list(queryset.order_by("-created_at", "-id")[start : start + PO_PAGE_SIZE + 1])
    has_next = len(rows) > PO_PAGE_SIZE
    rows = rows[:PO_PAGE_SIZE]
    totals: dict[int, dict] = {}
    for row in (
        PurchaseOrderLine.objects.filter(purchase_order__in=[r.pk for r in rows])
        .order_by()
        .values("purchase_order_id")
        .annotate(
            ordered=Sum("quantity_ordered"),
            received=Sum("quantity_received"),
            total=Sum(F("quantity_ordered") * F("unit_cost")),
        )
    ):
        totals[row["purchase_order_id"]] = row
    for row in rows:
        figures = totals.get(row.pk, {})
        row.total = (figures.get("total") or ZERO).quantize(Decimal("0.01"))
        row.ordered = figures.get("ordered") or ZERO
        row.received = figures.get("received") or ZERO
    return rows, has_next


def purchase_order_detail(purchase_order_id: int) -> PurchaseOrder:
    """A purchase order with its vendor, lines (their parts and receipts) and credits."""
    order = (
        PurchaseOrder.objects.select_related("vendor", "created_by", "sent_by", "work_order")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=PurchaseOrderLine.objects.select_related("part", "work_order").order_by(
                    "id"
                ),
            ),
            "lines__receipts",
            Prefetch("credits", queryset=VendorCredit.objects.select_related("line__part", "by")),
        )
        .get(pk=purchase_order_id)
    )
    lines = list(order.lines.all())
    order.total = sum((line.amount for line in lines), ZERO)
    order.credit_total = sum((c.amount for c in order.credits.all()), ZERO)
    return order


def work_orders_with_parts_arrived(work_order_ids: Iterable[int]) -> set[int]:
    """Open repair orders a special-order part was received for (the board's "parts
    arrived"). One query."""
    ids = list(work_order_ids)
    if not ids:
        return set()
    return set(
        PurchaseOrderLine.objects.filter(
            work_order_id__in=ids,
            quantity_received__gt=0,
            work_order__stage=Stage.REPAIR_ORDER,
            work_order__closed_at__isnull=True,
        ).values_list("work_order_id", flat=True)
    )


def count_sheet_parts(*, by_what: str, value: str) -> QuerySet[Part]:
    """The stocked parts a count sheet of this bin (the bin, or bins starting with it) or
    category lists, in bin then number order."""
    parts = Part.objects.filter(kind=LineKind.PART, stocked=True, is_active=True)
    if by_what == CountSheet.By.BIN:
        parts = parts.filter(bin_location__istartswith=value)
    else:
        parts = parts.filter(category__iexact=value)
    return parts.order_by("bin_location", "number_key")


def count_sheets(limit: int = 50) -> list[CountSheet]:
    return list(
        CountSheet.objects.select_related("created_by", "posted_by").order_by("-created_at", "-id")[
            :limit
        ]
    )


def count_sheet_detail(sheet_id: int) -> CountSheet:
    sheet = CountSheet.objects.select_related("created_by", "posted_by").get(pk=sheet_id)
    sheet.rows = list(sheet.lines.select_related("part", "movement").order_by("id"))
    return sheet


def part_bins() -> list[str]:
    return list(
        Part.objects.filter(kind=LineKind.PART, stocked=True)
        .exclude(bin_location="")
        .values_list("bin_location", flat=True)
        .distinct()
        .order_by("bin_location")[:500]
    )


def purchase_orders_with_totals(rows: list[PurchaseOrder]) -> list[PurchaseOrder]:
    """Each purchase order of a page with `.total`, `.ordered`, `.received` and
    `.line_count` from its lines: one query for the whole page."""
    if not rows:
        return rows
    figures_by_order = (
        PurchaseOrderLine.objects.filter(purchase_order__in=[r.pk for r in rows])
        .order_by()
        .values("purchase_order_id")
        .annotate(
            lines=Count("id"),
            ordered=Sum("quantity_ordered"),
            received=Sum("quantity_received"),
            total=Sum(F("quantity_ordered") * F("unit_cost")),
        )
    )
    totals = {row["purchase_order_id"]: row for row in figures_by_order}
    for row in rows:
        figures = totals.get(row.pk, {})
        row.total = (figures.get("total") or ZERO).quantize(Decimal("0.01"))
        row.ordered = figures.get("ordered") or ZERO
        row.received = figures.get("received") or ZERO
        row.line_count = figures.get("lines") or 0
    return rows
