"""What parts marks on the cards of Today's Vehicles Page (workorders.board_providers): a
repair order a special-order part came in for says "Parts arrived" and links to its
purchase orders."""

from __future__ import annotations

from parts.models import PurchaseOrderReceipt
from parts.purchasing_selectors import work_orders_with_parts_arrived
from workorders import board_providers


def register() -> None:
    receipts = PurchaseOrderReceipt._meta.db_table
    board_providers.register(
        "parts_arrived",
        app="parts",
        work_orders=work_orders_with_parts_arrived,
        url_name="parts:work_order_orders",
        # Receipts are only added: the highest id changes with each one.
        fingerprint_sql=(f"(SELECT MAX(r.id) FROM {receipts} r)",),
    )
