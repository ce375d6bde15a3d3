"""Reads of pay by link: what the customer's link asks them to pay."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from payments.models import ZERO, DepositRequest, LedgerEntry, OnlineCheckout
from payments.selectors import InvoiceBalance
from workorders.models import WorkOrder


@dataclass(frozen=True)
class AmountDue:
    """What the link's Pay button pays: an invoice's balance, or what is still missing of
    the deposit the shop asked for on an estimate or repair order."""

    kind: str  # OnlineCheckout.Kind
    amount: Decimal
    billed: Decimal = ZERO
    paid: Decimal = ZERO
    deposit_asked: Decimal = ZERO

    @property
    def is_deposit(self) -> bool:
        return self.kind == OnlineCheckout.Kind.DEPOSIT


def deposit_request_of(work_order: WorkOrder) -> DepositRequest | None:
    return DepositRequest.objects.filter(work_order_id=work_order.pk).first()


def link_money(work_order: WorkOrder) -> tuple[InvoiceBalance, AmountDue | None]:
    """The work order's balance and what its link asks to pay (None: nothing), in one
    query: the ledger's sum and the deposit asked, side by side."""
    ledger = (
        LedgerEntry.objects.filter(work_order_id=OuterRef("pk"))
        .order_by()
        .values("work_order_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    asked = DepositRequest.objects.filter(work_order_id=OuterRef("pk")).values("amount")
    row = (
        WorkOrder.objects.filter(pk=work_order.pk)
        .annotate(
            ledger_total=Coalesce(Subquery(ledger), ZERO, output_field=DecimalField()),
            deposit_asked=Subquery(asked, output_field=DecimalField()),
        )
        .values("ledger_total", "deposit_asked")
        .get()
    )
    is_billed = work_order.closed_at is not None
    balance = InvoiceBalance(
        work_order_id=work_order.pk,
        billed=work_order.grand_total if is_billed else ZERO,
        balance=row["ledger_total"],
        is_billed=is_billed,
    )
    if is_billed:
        if balance.balance <= 0:
            return balance, None
        return balance, AmountDue(
            kind=OnlineCheckout.Kind.INVOICE,
            amount=balance.balance,
            billed=balance.billed,
            paid=balance.paid,
        )
    asked_amount = row["deposit_asked"]
    if asked_amount is None or asked_amount - balance.held <= 0:
        return balance, None
    return balance, AmountDue(
        kind=OnlineCheckout.Kind.DEPOSIT,
        amount=asked_amount - balance.held,
        paid=balance.held,
        deposit_asked=asked_amount,
    )


def amount_due(work_order: WorkOrder) -> AmountDue | None:
    """What the link's Pay button pays now (None: nothing is due): one query."""
    return link_money(work_order)[1]


def checkout_by_provider_id(*, provider: str, provider_checkout_id: str) -> OnlineCheckout | None:
    return (
        OnlineCheckout.objects.select_related("work_order__customer", "work_order__vehicle")
        .filter(provider=provider, provider_checkout_id=provider_checkout_id)
        .first()
    )
