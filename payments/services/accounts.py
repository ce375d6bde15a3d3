"""A/R accounts: terms, charging an invoice to the account, payments on account, credit.

A customer is an A/R customer by the customer's own flag (`Customer.is_ar`); the terms
(credit limit, net days) live in ArAccount, created with the defaults when first needed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from payments import events
from payments.models import AccountCharge, ArAccount, Drawer, LedgerEntry, Payment
from payments.selectors import bucket_balance, customer_account
from payments.services.ledger import credit_move, entry_write
from payments.services.taking import (
    TenderInput,
    claim_work_order,
    money_read,
    payment_record,
    tenders_check,
)
from shop.errors import ServiceError
from shop.models import User
from shop.security import can, get_function
from workorders.models import WorkOrder

OVER_LIMIT_FUNCTION = "charge_over_credit_limit"


def ar_account_get(customer: Customer) -> ArAccount:
    account = ArAccount.objects.filter(customer=customer).first()
    if account is None:
        account, _ = ArAccount.objects.get_or_create(customer=customer)
    return account


@transaction.atomic
def ar_account_update(
    *, by: User, customer: Customer, credit_limit: Any, net_days: Any
) -> ArAccount:
    if not customer.is_ar:
        raise ServiceError(
            f"{customer} is not an A/R customer: tick “A/R account” on the customer first."
        )
    limit = money_read(credit_limit, field="credit_limit", label="The credit limit")
    if limit < 0:
        raise ServiceError("The credit limit cannot be negative.", field="credit_limit")
    try:
        days = int(net_days)
    except (TypeError, ValueError):
        raise ServiceError("Terms are a whole number of days, like 30.", field="net_days") from None
    if not 0 <= days <= 365:
        raise ServiceError("Terms run from 0 to 365 days.", field="net_days")
    account = ar_account_get(customer)
    account.credit_limit = limit
    account.net_days = days
    account.save(update_fields=["credit_limit", "net_days", "updated_at"])
    return account


@transaction.atomic
def invoice_charge_to_account(*, by: User, work_order: WorkOrder | int) -> AccountCharge:
    """Charge a billed-out invoice's balance to the customer's A/R account.

    Only for A/R customers; when it takes what the account owes over its credit limit,
    only someone allowed to “Charge over the credit limit”, and recorded as such.
    """
    work_order = claim_work_order(work_order)
    billed_to = Customer.objects.select_for_update().get(pk=work_order.customer_id)
    # A family member's invoice goes on the household's account: the main customer's.
    customer = billed_to
    if billed_to.household_main_id:
        customer = Customer.objects.select_for_update().get(pk=billed_to.household_main_id)
    if not customer.is_ar:
        who = (
            str(customer)
            if customer == billed_to
            else (f"{billed_to} is a family member of {customer}, who")
        )
        raise ServiceError(
            f"{who} is not an A/R customer: the invoice cannot be charged to an account. "
            "Take a payment instead. Nothing was charged.",
            code="not_ar",
        )
    if work_order.closed_at is None:
        raise ServiceError(
            f"Work order #{work_order.pk} is not billed out: bill it out, then charge it.",
            code="not_billed",
        )
    if AccountCharge.objects.filter(work_order=work_order).exists():
        raise ServiceError(f"Invoice #{work_order.pk} is already charged to the account.")
    balance = bucket_balance(work_order_id=work_order.pk)
    if balance <= 0:
        raise ServiceError(f"Invoice #{work_order.pk} is paid: there is nothing to charge.")
    account = ar_account_get(customer)
    owed = customer_account(customer).owed  # this invoice included when it is the holder's
    if customer != billed_to:
        owed += balance
    before = owed - balance
    over = owed > account.credit_limit
    if over and not can(by, OVER_LIMIT_FUNCTION):
        raise ServiceError(
            f"Charging ${balance} brings {customer}'s account to ${owed}, over its "
            f"${account.credit_limit} credit limit. Take a payment, or ask someone allowed to "
            f"“{get_function(OVER_LIMIT_FUNCTION).name}”. Nothing was charged.",
            code="over_limit",
        )
    if customer != billed_to:
        _household_move(
            work_order=work_order, member=billed_to, main=customer, amount=balance, by=by
        )
    return AccountCharge.objects.create(
        work_order=work_order,
        customer=customer,
        amount=balance,
        balance_before=before,
        credit_limit=account.credit_limit,
        over_limit=over,
        charged_by=by,
        charged_at=timezone.now(),
    )


def _household_move(
    *, work_order: WorkOrder, member: Customer, main: Customer, amount: Decimal, by: User
) -> None:
    """The invoice's balance leaves the member's account for the main customer's: a pair of
    "credit applied" entries on the invoice, so what the invoice owes does not move."""
    at = timezone.now()
    for customer_id, signed in ((member.pk, -amount), (main.pk, amount)):
        entry_write(
            kind=LedgerEntry.Kind.CREDIT_APPLIED,
            customer_id=customer_id,
            work_order_id=work_order.pk,
            amount=signed,
            by=by,
            at=at,
            reason=f"Charged to the household's account ({main})",
        )


def _apply(
    *,
    customer: Customer,
    amount: Decimal,
    invoices: list[tuple[WorkOrder, Decimal]],
    by: User | None,
    payment: Payment | None,
) -> Decimal:
    """Apply `amount` of the customer's credit to the invoices in order; what is left."""
    at = payment.taken_at if payment else timezone.now()
    for wo, balance in invoices:
        if amount <= 0:
            break
        applied = min(amount, balance)
        credit_move(
            customer_id=customer.pk,
            from_work_order_id=None,
            to_work_order_id=wo.pk,
            amount=applied,
            by=by,
            at=at,
            payment_id=payment.pk if payment else None,
        )
        if applied == balance:
            events.invoice_paid.send(sender=WorkOrder, work_order=wo, by=by)
        amount -= applied
    return amount


def _chosen_invoices(
    customer: Customer, apply_to: list[int] | None
) -> list[tuple[WorkOrder, Decimal]]:
    open_invoices = customer_account(customer).open_invoices  # oldest first
    if apply_to is None:
        return open_invoices
    by_id = {wo.pk: (wo, balance) for wo, balance in open_invoices}
    unknown = [pk for pk in apply_to if pk not in by_id]
    if unknown:
        raise ServiceError(
            f"Invoice #{unknown[0]} is not an open invoice of {customer}. Nothing was recorded.",
            field="apply_to",
        )
    if not apply_to:
        raise ServiceError("Choose the invoices to pay, or apply oldest first.", field="apply_to")
    return [by_id[pk] for pk in apply_to]


@transaction.atomic
def account_payment_take(
    *,
    by: User | None,
    customer: Customer | int,
    tenders: list[TenderInput],
    apply_to: list[int] | None = None,
    drawer: Drawer | None = None,
    business_date: date | None = None,
    note: str = "",
) -> Payment:
    """Receive a payment on account: applied to the chosen invoices (in the order given)
    or, with apply_to=None, oldest first; what is left stays as the customer's credit."""
    tenders = tenders_check(tenders)
    pk = customer.pk if isinstance(customer, Customer) else customer
    customer = Customer.objects.select_for_update().get(pk=pk)
    invoices = _chosen_invoices(customer, apply_to)
    for wo, _balance in invoices:
        claim_work_order(wo.pk)
    payment = payment_record(
        by=by,
        customer_id=customer.pk,
        kind=Payment.Kind.ON_ACCOUNT,
        tenders=tenders,
        work_order_id=None,
        drawer=drawer,
        business_date=business_date,
        note=note,
    )
    _apply(customer=customer, amount=payment.amount, invoices=invoices, by=by, payment=payment)
    events.payment_received.send(sender=Payment, payment=payment, by=by)
    return payment


@transaction.atomic
def credit_apply(*, by: User | None, work_order: WorkOrder | int) -> Decimal:
    """Use the customer's credit on account for a billed-out invoice; returns what was
    applied (at most the invoice's balance)."""
    work_order = claim_work_order(work_order)
    customer = Customer.objects.select_for_update().get(pk=work_order.customer_id)
    if work_order.closed_at is None:
        raise ServiceError(f"Work order #{work_order.pk} is not billed out.", code="not_billed")
    credit = -bucket_balance(customer_id=customer.pk, work_order_id=None)
    balance = bucket_balance(work_order_id=work_order.pk)
    if credit <= 0:
        raise ServiceError(f"{customer} has no credit on account.", code="no_credit")
    if balance <= 0:
        raise ServiceError(f"Invoice #{work_order.pk} is paid in full.", code="paid")
    amount = min(credit, balance)
    left = _apply(
        customer=customer, amount=amount, invoices=[(work_order, balance)], by=by, payment=None
    )
    return amount - left
