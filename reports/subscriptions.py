"""Reactions to the work orders' events, connected once when the app is ready.

Billing out writes the invoice's figures in the same transaction; reopening removes them
(the invoice is not an invoice until it is billed out again).
"""

from __future__ import annotations

from workorders import events
from workorders.models import Stage


def on_work_order_closed(sender, *, work_order, **kwargs) -> None:
    from reports.services import invoice_summary_refresh

    invoice_summary_refresh(work_order_id=work_order.pk)


def on_stage_entered(sender, *, work_order, stage, previous_stage, **kwargs) -> None:
    if previous_stage == Stage.INVOICE and stage != Stage.INVOICE:
        from reports.services import invoice_summary_remove

        invoice_summary_remove(work_order_id=work_order.pk)


def connect() -> None:
    events.work_order_closed.connect(on_work_order_closed, dispatch_uid="reports.invoice_closed")
    events.stage_entered.connect(on_stage_entered, dispatch_uid="reports.invoice_reopened")
