"""Bill-out checks: the other apps' conditions for billing a work order out, in the open.

Billing out is moving a work order into an invoice-stage status
(`workorders.services.work_orders.workorder_status_set`, whether the editor, the
board, the API or a sync asked). The work-order app's own conditions are written
there (at least one line; no job with lines waiting for approval). An app that
adds a condition of its own registers a *bill-out check* here, and the status
service asks every registered check, by calling `bill_out_refusal`, before it
writes anything.

Registering, once, in the app's `AppConfig.ready()`:

    from workorders.bill_out import bill_out_check_register

    bill_out_check_register("fleet_approval", fleet_bill_out_check)

A check is called as `check(work_order, by)`:

- `work_order`: claimed (its row locked), still in the status it is leaving, with
  the lines and jobs it will be invoiced with.
- `by`: the employee (or the integration's service login) billing it out; None
  for the system's own closings (seeding, imports).

It returns None to let the bill-out go on, or a `BillOutRefusal(message, code)`
(it may also raise `shop.errors.ServiceError`, which counts as a refusal). The
message is shown to the person as it is, so it says what is wrong and what to
do. A check only reads: it is asked before anything is written, inside the
status change's transaction, and the first refusal stops the bill-out with
nothing saved. Checks are asked in the order they were registered; registering
a name again replaces that check in its place (so `ready()` running twice
changes nothing).

What an app records about a bill-out that went through (the fleet's approved
invoice, its record of a bill-out without approval) is its reaction to the
`work_order_closed` event (workorders.events), sent later in the same
transaction: a check decides, a receiver records.

The checks registered today (name, app, what it refuses):

- `fleet_approval` (fleet.services.billing.fleet_bill_out_check): a fleet-approval
  customer's work order the fleet has not approved as it stands, unless the
  employee may "Bill out unapproved fleet work orders"; code `fleet_unapproved`.

Payments will register its A/R credit limit here the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shop.errors import ServiceError

if TYPE_CHECKING:
    from shop.models import User
    from workorders.models import WorkOrder


@dataclass(frozen=True)
class BillOutRefusal:
    """Why a check refuses a bill-out: a message for the person, and a code for programs."""

    message: str
    code: str


BillOutCheck = Callable[["WorkOrder", "User | None"], "BillOutRefusal | None"]

_checks: dict[str, BillOutCheck] = {}


def bill_out_check_register(name: str, check: BillOutCheck) -> None:
    """Ask `check` before every bill-out, after the checks registered before it."""
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"A bill-out check's name is a plain identifier, not {name!r}.")
    if not callable(check):
        raise TypeError(f"The bill-out check {name!r} must be a function.")
    _checks[name] = check


def bill_out_check_unregister(name: str) -> None:
    """Stop asking the check (tests; an app switched off). An unknown name is ignored."""
    _checks.pop(name, None)


def bill_out_check_names() -> list[str]:
    """The registered checks' names, in the order they are asked."""
    return list(_checks)


def bill_out_refusal(*, work_order: WorkOrder, by: User | None) -> ServiceError | None:
    """The first registered check's refusal of this bill-out, as the error to raise, or
    None when every check lets it go on. Each refusal carries its code (and, when the
    check gave none, the check's name)."""
    for name, check in _checks.items():
        try:
            refusal = check(work_order, by)
        except ServiceError as error:
            return error
        if refusal is not None:
            return ServiceError(refusal.message, code=refusal.code or name)
    return None
