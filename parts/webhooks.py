"""The `part.low_stock` integration webhook.

Integrations sits below parts and never imports it, so parts registers its event with
`integrations.webhook_sources`: integrations listens to it and queues one outbox row per
subscription, in the transaction of the sale that crossed the reorder point (sent by the
worker after commit)."""

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


def connect() -> None:
    from integrations.webhook_sources import webhook_source_register

    webhook_source_register(
        code="part.low_stock",
        label="Part below its reorder point",
        signal=events.part_low_stock,
        data=lambda part, on_hand, work_order=None, **kwargs: _low_stock_data(
            part, on_hand, work_order
        ),
    )
