"""Every write of the fleet app, and the rules behind them.

Topic modules: `requests` (Send to Fleet, decisions, notes, cancelling),
`billing` (billing out a fleet work order), `webhooks` (signing outbound
webhooks for the outbox, inbound events from an outside fleet network).
"""

from fleet.services.billing import on_work_order_closed, on_work_order_reopened
from fleet.services.requests import (
    fleet_note_add,
    fleet_request_cancel,
    fleet_request_decide,
    fleet_request_save_and_send,
    fleet_request_submit,
)
from fleet.services.webhooks import (
    fleet_inbound_event_handle,
    webhook_sign,
    webhook_verify,
)

__all__ = [
    "fleet_inbound_event_handle",
    "fleet_note_add",
    "fleet_request_cancel",
    "fleet_request_decide",
    "fleet_request_save_and_send",
    "fleet_request_submit",
    "on_work_order_closed",
    "on_work_order_reopened",
    "webhook_sign",
    "webhook_verify",
]
