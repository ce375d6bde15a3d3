"""Billing out a fleet work order: approved → the invoice is approved; unapproved →
only with its own security function, and recorded.

Two parts, so that a refusal is never hidden in a signal receiver:

- `fleet_bill_out_check` is the fleet's bill-out check (registered as
  "fleet_approval" in `FleetConfig.ready()`, see workorders.bill_out):
  `workorder_status_set` asks it before anything is written and raises its
  refusal. It only reads.
- `on_work_order_closed` records what happened once the bill-out went through
  (the work orders' `work_order_closed` event, in the same transaction): the
  request's invoice is approved, or the bill-out without approval is recorded
  with who did it and the request's state then. `on_work_order_reopened` takes
  the approval off a reopened invoice.

The fleet status is worked out once per bill-out: the check leaves it on the work
order it was given (the row `workorder_status_set` claimed, and then publishes as
closed), and the receiver takes it from there. Nothing in between changes what the
status reads (the lines as invoiced, the request and its decided version). A closing
that did not go through the check works it out itself.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fleet import selectors
from fleet.models import FleetRequest, UnapprovedBillOut
from shop.models import User
from shop.security import can, get_function
from workorders.bill_out import BillOutRefusal
from workorders.models import Stage, WorkOrder

UNAPPROVED_FUNCTION = "bill_out_unapproved_fleet"
# The name the fleet's check is registered under (workorders.bill_out).
BILL_OUT_CHECK = "fleet_approval"


# The attribute the check leaves the status it worked out on the claimed work order under.
_STATUS_AT_CHECK = "_fleet_status_at_bill_out"
_NOT_CHECKED = object()


def _request_state(status: selectors.FleetStatus) -> str:
    return "needs approval again" if status.approval_voided else status.state_label


def fleet_bill_out_check(work_order: WorkOrder, by: User | None) -> BillOutRefusal | None:
    """A fleet work order the fleet has not approved as it stands is billed out only by
    someone allowed to bill out unapproved fleet work. `by` is None only for the
    system's own closings (seeding, imports), which go through (and are recorded)."""
    status = selectors.fleet_status(work_order)
    setattr(work_order, _STATUS_AT_CHECK, status)
    if status is None or status.approved_for_billing:
        return None
    if by is None or can(by, UNAPPROVED_FUNCTION):
        return None
    state = "changed since it was approved" if status.approval_voided else status.state_label
    return BillOutRefusal(
        f"{status.account.company.name} has not approved this work order ({state.lower()}). "
        f"Send it to the fleet, or ask someone allowed to "
        f"“{get_function(UNAPPROVED_FUNCTION).name}”.",
        code="fleet_unapproved",
    )


def on_work_order_closed(sender: Any, *, work_order: WorkOrder, by: Any, **kwargs: Any) -> None:
    """The bill-out went through (fleet_bill_out_check allowed it): record how."""
    status = work_order.__dict__.pop(_STATUS_AT_CHECK, _NOT_CHECKED)
    if status is _NOT_CHECKED:
        status = selectors.fleet_status(work_order)
    if status is None:
        return
    now = timezone.now()
    if status.approved_for_billing:
        FleetRequest.objects.filter(pk=status.request.pk).update(invoice_approved_at=now)
        return
    UnapprovedBillOut.objects.create(
        work_order=work_order,
        company=status.account.company,
        request_state=_request_state(status),
        by=by,
        at=now,
    )


def on_work_order_reopened(
    sender: Any, *, work_order: WorkOrder, stage: str, previous_stage: str | None, **kwargs: Any
) -> None:
    """A reopened invoice is no longer an approved invoice until it is billed out again."""
    if previous_stage == Stage.INVOICE and stage != Stage.INVOICE:
        FleetRequest.objects.filter(work_order=work_order).update(invoice_approved_at=None)
