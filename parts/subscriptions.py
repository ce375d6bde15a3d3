"""Parts' reactions to the work orders' events (workorders.events), inside the transaction
of the change: they only write stock movements.

- Billed out (`work_order_closed`): the stocked catalog parts of the invoice are sold.
- Reopened (`stage_entered` out of the invoice stage): what the invoice sold is returned.
"""

from __future__ import annotations

from workorders import events
from workorders.models import Stage, WorkOrder


def _sell(sender, work_order: WorkOrder, by=None, **kwargs) -> None:
    from parts.services import stock_work_order_sell

    stock_work_order_sell(work_order=work_order, by=by)


def _return(sender, work_order: WorkOrder, stage: str, previous_stage: str | None, by=None,
            **kwargs) -> None:  # fmt: skip
    if previous_stage != Stage.INVOICE or stage == Stage.INVOICE:
        return
    from parts.services import stock_work_order_return

    stock_work_order_return(work_order=work_order, by=by)


def connect() -> None:
    events.work_order_closed.connect(_sell, dispatch_uid="parts.sell_on_bill_out")
    events.stage_entered.connect(_return, dispatch_uid="parts.return_on_reopen")
