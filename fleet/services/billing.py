"""Billing out a fleet work order: approved → the invoice is approved; unapproved →
only with its own security function, and recorded.

Connected to the work orders' `work_order_closed` and `stage_entered` events,
which are sent inside the billing-out transaction: raising here refuses the
bill-out and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fleet import selectors
from fleet.models import FleetRequest, UnapprovedBillOut
from shop.errors import ServiceError
from shop.security import can, get_function
from workorders.models import Stage, WorkOrder

UNAPPROVED_FUNCTION = "bill_out_unapproved_fleet"


def on_work_order_closed(sender: Any, *, work_order: WorkOrder, by: Any, **kwargs: Any) -> None:
    status = selectors.fleet_status(work_order)
    if status is None:
        return
    now = timezone.now()
    if status.approved_for_billing:
        FleetRequest.objects.filter(pk=status.request.pk).update(invoice_approved_at=now)
        return
    # `by` is None only for the system's own closings (seeding, imports).
    if by is not None and not can(by, UNAPPROVED_FUNCTION):
        state = "changed since it was approved" if status.approval_voided else status.state_label
        raise ServiceError(
            f"{status.account.company.name} has not approved this work order ({state.lower()}). "
            f"Send it to the fleet, or ask someone allowed to "
            f"“{get_function(UNAPPROVED_FUNCTION).name}”.",
            code="fleet_unapproved",
        )
    UnapprovedBillOut.objects.create(
        work_order=work_order,
        company=status.account.company,
        request_state=("needs approval again" if status.approval_voided else status.state_label),
        by=by,
        at=now,
    )


def on_work_order_reopened(
    sender: Any, *, work_order: WorkOrder, stage: str, previous_stage: str | None, **kwargs: Any
) -> None:
    """A reopened invoice is no longer an approved invoice until it is billed out again."""
    if previous_stage == Stage.INVOICE and stage != Stage.INVOICE:
        FleetRequest.objects.filter(work_order=work_order).update(invoice_approved_at=None)
