"""Reactions to the work orders' events, connected once when the app is ready.

Both run inside the bill-out (or reopen) transaction: the charge is written with the
invoice, or neither is.
"""

from __future__ import annotations

from typing import Any

from workorders.models import Stage, WorkOrder


def on_work_order_closed(sender: Any, *, work_order: WorkOrder, by: Any, **kwargs: Any) -> None:
    from payments.services.ledger import invoice_charge_write

    invoice_charge_write(work_order=work_order, by=by)


def on_stage_entered(
    sender: Any,
    *,
    work_order: WorkOrder,
    stage: str,
    previous_stage: str | None,
    by: Any,
    **kwargs: Any,
) -> None:
    from payments.services.ledger import invoice_charge_reverse

    if previous_stage == Stage.INVOICE and stage != Stage.INVOICE:
        invoice_charge_reverse(work_order=work_order, by=by)


def connect() -> None:
    from workorders import events

    events.work_order_closed.connect(on_work_order_closed, dispatch_uid="payments.bill_out")
    events.stage_entered.connect(on_stage_entered, dispatch_uid="payments.reopen")
