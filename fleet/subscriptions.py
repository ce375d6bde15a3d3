"""What the fleet app plugs into the work orders, once when the app is ready: its
bill-out check (workorders.bill_out) and its reactions to their events."""

from __future__ import annotations


def connect() -> None:
    from fleet.services.billing import (
        BILL_OUT_CHECK,
        fleet_bill_out_check,
        on_work_order_closed,
        on_work_order_reopened,
    )
    from workorders import events
    from workorders.bill_out import bill_out_check_register

    bill_out_check_register(BILL_OUT_CHECK, fleet_bill_out_check)
    events.work_order_closed.connect(on_work_order_closed, dispatch_uid="fleet.bill_out")
    events.stage_entered.connect(on_work_order_reopened, dispatch_uid="fleet.reopen")
