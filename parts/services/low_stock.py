"""Low stock: a sale that takes a stocked part from its reorder point (or above) to below it
publishes `parts.events.part_low_stock` once; later sales while it stays below do not."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from parts import events
from parts.models import Part, StockMovement
from shop.models import User
from workorders.models import LineKind, WorkOrder

ZERO = Decimal("0.00")


def stock_low_publish(*, movements: list[StockMovement], work_order: WorkOrder, by: User | None
                      ) -> list[Part]:  # fmt: skip
    """After a work order's sales were written: publish the parts they took below their
    reorder point (on hand before the sales at or above it, after below). Two queries
    whatever the number of parts; the parts that crossed are returned."""
    sold: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for movement in movements:
        if movement.kind == StockMovement.Kind.SOLD:
            sold[movement.part_id] += -movement.quantity
    if not sold:
        return []
    parts = list(
        Part.objects.filter(
            pk__in=sold, kind=LineKind.PART, stocked=True, reorder_point__gt=0
        ).order_by("pk")
    )
    if not parts:
        return []
    after = dict(
        StockMovement.objects.filter(part_id__in=[p.pk for p in parts])
        .order_by()
        .values("part_id")
        .annotate(total=Sum("quantity"))
        .values_list("part_id", "total")
    )
    crossed = []
    for part in parts:
        on_hand = after.get(part.pk) or ZERO
        before = on_hand + sold[part.pk]
        if before >= part.reorder_point > on_hand:
            crossed.append(part)
            events.part_low_stock.send(
                sender=Part, part=part, on_hand=on_hand, work_order=work_order, by=by
            )
    return crossed
