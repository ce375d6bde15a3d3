"""The ledger's writes: entries are only ever added (see payments.models.LedgerEntry)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from payments.models import Drawer, LedgerEntry
from shop.models import User
from workorders.models import WorkOrder

CHARGE_REVERSED_ON_REOPEN = "Invoice reopened"


def drawer_default() -> Drawer:
    """The drawer a payment goes into when none is chosen: the first active one."""
    drawer = Drawer.objects.filter(is_active=True).order_by("id").first()
    if drawer is None:
        drawer, _ = Drawer.objects.get_or_create(name="Front counter")
    return drawer


def entry_write(
    *,
    kind: str,
    customer_id: int,
    amount: Decimal,
    by: User | None,
    at: datetime | None = None,
    business_date: date | None = None,
    work_order_id: int | None = None,
    **fields: Any,
) -> LedgerEntry:
    at = at or timezone.now()
    return LedgerEntry.objects.create(
        kind=kind,
        customer_id=customer_id,
        work_order_id=work_order_id,
        amount=amount,
        recorded_by=by,
        recorded_at=at,
        business_date=business_date or timezone.localdate(at),
        **fields,
    )


def entry_reverse(
    *, entry: LedgerEntry, by: User | None, reason: str, at: datetime | None = None, **fields
) -> LedgerEntry:
    """The entry's opposite, in the same bucket and tender, dated now (today's drawer)."""
    return entry_write(
        kind=LedgerEntry.Kind.REVERSAL,
        customer_id=entry.customer_id,
        work_order_id=entry.work_order_id,
        amount=-entry.amount,
        by=by,
        at=at,
        reverses=entry,
        payment_id=entry.payment_id,
        tender=entry.tender,
        drawer_id=fields.pop("drawer_id", entry.drawer_id),
        reason=reason,
        **fields,
    )


def credit_move(
    *,
    customer_id: int,
    from_work_order_id: int | None,
    to_work_order_id: int | None,
    amount: Decimal,
    by: User | None,
    at: datetime | None = None,
    payment_id: int | None = None,
    business_date: date | None = None,
) -> None:
    """Move `amount` of credit from one bucket to another: a pair of "credit applied"
    entries of opposite signs, so the customer's balance does not move. `business_date`
    keeps them on the day of the payment they come from."""
    at = at or timezone.now()
    for work_order_id, signed in ((to_work_order_id, -amount), (from_work_order_id, amount)):
        entry_write(
            kind=LedgerEntry.Kind.CREDIT_APPLIED,
            customer_id=customer_id,
            work_order_id=work_order_id,
            amount=signed,
            by=by,
            at=at,
            business_date=business_date,
            payment_id=payment_id,
        )


@transaction.atomic
def invoice_charge_write(*, work_order: WorkOrder, by: User | None) -> LedgerEntry | None:
    """Billing out: the invoice's grand total charged to the customer. Money already on the
    work order (a deposit, payments kept after a reopen) counts against it; what is more
    than the invoice becomes the customer's credit. Nothing for a zero invoice."""
    from payments.selectors import bucket_balance

    if LedgerEntry.objects.filter(
        work_order=work_order, kind=LedgerEntry.Kind.CHARGE, reversed_by__isnull=True
    ).exists():
        return None  # charged already (an event delivered twice changes nothing)
    if work_order.grand_total <= 0:
        return None
    at = work_order.closed_at or timezone.now()
    charge = entry_write(
        kind=LedgerEntry.Kind.CHARGE,
        customer_id=work_order.customer_id,
        work_order_id=work_order.pk,
        amount=work_order.grand_total,
        by=by,
        at=at,
    )
    balance = bucket_balance(work_order_id=work_order.pk)
    if balance < 0:
        credit_move(
            customer_id=work_order.customer_id,
            from_work_order_id=work_order.pk,
            to_work_order_id=None,
            amount=-balance,
            by=by,
            at=at,
        )
    return charge


@transaction.atomic
def invoice_charge_reverse(*, work_order: WorkOrder, by: User | None) -> list[LedgerEntry]:
    """Reopening: the charge is reversed. The payments stay on the work order as a credit
    that the invoice uses again when it is billed out again."""
    # The work order's row is locked by the reopen that sent the event.
    charges = list(
        LedgerEntry.objects.filter(
            work_order=work_order, kind=LedgerEntry.Kind.CHARGE, reversed_by__isnull=True
        ).order_by("id")
    )
    return [
        entry_reverse(entry=charge, by=by, reason=CHARGE_REVERSED_ON_REOPEN) for charge in charges
    ]
