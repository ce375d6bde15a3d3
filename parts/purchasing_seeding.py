"""The demo's open purchase order (called by parts.seeding.seed_demo): a few of the parts
that ran low, ordered from the first vendor and sent, waiting to be received."""

from __future__ import annotations

from parts.models import PurchaseOrder, Vendor
from parts.purchasing_selectors import reorder_suggestions
from parts.services.purchasing import purchase_order_send, purchase_orders_from_suggestions


def demo_open_order(vendor: Vendor, *, limit: int = 5) -> PurchaseOrder | None:
    groups = [g for g in reorder_suggestions() if g.vendor is not None and g.vendor == vendor]
    rows = groups[0].rows[:limit] if groups else []
    if not rows:
        return None
    [order] = purchase_orders_from_suggestions(
        by=None, quantities={row.part.pk: row.quantity for row in rows}
    )
    return purchase_order_send(by=None, purchase_order=order, email=False)
