"""Every write of the fleet app, and the rules behind them; callers import them from here.

Topic modules: `requests` (Send to Fleet, decisions, notes, cancelling),
`billing` (billing out a fleet work order), `webhooks` (signing outbound
webhooks for the outbox, inbound events from an outside fleet network).
"""

from fleet.services.billing import (
    fleet_bill_out_check,
    on_work_order_closed,
    on_work_order_reopened,
)
from fleet.services.requests import (
    NOTE_MAX,
    fleet_note_add,
    fleet_request_cancel,
    fleet_request_decide,
    fleet_request_save_and_send,
    fleet_request_submit,
)
from fleet.services.webhooks import (
    COMPANY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    fleet_inbound_event_handle,
    webhook_sign,
    webhook_verify,
)

__all__ = [
    "COMPANY_HEADER",
    "NOTE_MAX",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "fleet_bill_out_check",
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
