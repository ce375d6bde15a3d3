"""Reactions to the work orders' events, connected once when the app is ready."""

from __future__ import annotations


def connect() -> None:
    from fleet.services import on_work_order_closed, on_work_order_reopened
    from workorders import events

    events.work_order_closed.connect(on_work_order_closed, dispatch_uid="fleet.bill_out")
    events.stage_entered.connect(on_work_order_reopened, dispatch_uid="fleet.reopen")
