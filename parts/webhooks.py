"""The `part.low_stock` integration webhook.

Integrations sits below parts and never imports it, so parts delivers its own event
through integrations' `emit` (one outbox row per subscription, in the transaction of the
sale that crossed the reorder point; sent by the worker after commit)."""

from __future__ import annotations

from typing import Any

from parts import events


def _low_stock_data(part, on_hand, work_order) -> dict[str, Any]:
    return {
        "id": part.pk,
        "url": f"/api/v1/parts/{part.pk}/",
        "number": part.number,
        "description": part.description,
        "on_hand": str(on_hand),
        "reorder_point": str(part.reorder_point),
        "reorder_quantity": str(part.reorder_quantity),
        "work_order_id": work_order.pk if work_order is not None else None,
    }


def on_part_low_stock(sender, part, on_hand, work_order=None, by=None, **kwargs) -> None:
    from integrations.models import WebhookEvent
    from integrations.webhooks import emit

    emit(WebhookEvent.PART_LOW_STOCK, lambda: _low_stock_data(part, on_hand, work_order))


def connect() -> None:
    events.part_low_stock.connect(on_part_low_stock, dispatch_uid="parts.low_stock_webhook")
