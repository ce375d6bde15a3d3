"""Taking money: at an invoice, as a deposit before bill-out; refunds and voids.

Two cashiers at one invoice: the work order's row is locked (`select_for_update`) before
its balance is read, so the second waits for the first, then reads the new balance. The
page sends the balance the cashier saw; when it moved, the second is told so and nothing
is written, and an invoice is never paid beyond its balance unless the cashier chose to
keep the rest as the customer's credit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from payments import events
from payments.models import ZERO, DayClose, Drawer, LedgerEntry, Payment, Tender
from payments.selectors import bucket_balance, payment_is_voided, payment_refundable
from payments.services.ledger import credit_move, drawer_default, entry_reverse, entry_write
from shop.errors import ServiceError
from shop.models import User
from shop.security import can, get_function
from workorders.models import WorkOrder

CLOSED_DAY_FUNCTION = "payments_closed_day"
CENT = Decimal("0.01")


def money_read(value: Any, *, field: str = "amount", label: str = "The amount") -> Decimal:
    """A typed amount as Decimal cents, or a ServiceError saying what is wrong with it."""
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value if value is not None else "").strip().replace("$", "").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ServiceError(f"{label} must be a number, like 84.30.", field=field) from None
    if not amount.is_finite():
        raise ServiceError(f"{label} must be a number, like 84.30.", field=field)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ServiceError(f"{label} has more than two decimals.", field=field)
    if amount.copy_abs() >= Decimal("10000000000"):
        raise ServiceError(f"{label} is too large.", field=field)
    return amount.quantize(CENT)


@dataclass
class TenderInput:
    """One tender of a payment, as typed at the counter."""

    tender: str
    amount: Decimal
    amount_tendered: Decimal | None = None  # cash: what the customer handed over
    check_number: str = ""
    card_brand: str = ""
    card_last4: str = ""
    auth_code: str = ""
    reference: str = ""

    def checked(self, position: int) -> TenderInput:
        where = f"Tender {position}"
        if self.tender not in Tender.values:
            raise ServiceError(f"{where}: choose cash, check, card or other.", field="tender")
        amount = money_read(self.amount, label=f"{where}'s amount")
        if amount <= 0:
            raise ServiceError(
                f"{where}: the amount must be more than zero (a refund is its own action).",
                field="amount",
            )
        tendered = None
        if self.tender == Tender.CASH and self.amount_tendered not in (None, ""):
            tendered = money_read(
                self.amount_tendered, field="amount_tendered", label=f"{where}'s cash tendered"
            )
            if tendered < amount:
                raise ServiceError(
                    f"{where}: ${tendered} tendered is less than the ${amount} taken.",
                    field="amount_tendered",
                )
        check_number = self.check_number.strip()
        if self.tender == Tender.CHECK and not check_number:
            raise ServiceError(f"{where}: enter the check number.", field="check_number")
        brand, last4, auth = self.card_brand.strip(), self.card_last4.strip(), self.auth_code
        if self.tender == Tender.CARD:
            if not brand:
                raise ServiceError(f"{where}: choose the card's brand.", field="card_brand")
            if not re.fullmatch(r"\d{4}", last4):
                raise ServiceError(
                    f"{where}: enter the card's last four digits (four digits, from the "
                    "terminal's slip).",
                    field="card_last4",
                )
            if not auth.strip():
                raise ServiceError(
                    f"{where}: enter the terminal's authorization code.", field="auth_code"
                )
        reference = self.reference.strip()
        if self.tender == Tender.OTHER and not reference:
            raise ServiceError(
                f"{where}: say what it is (gift card number, bank transfer...).",
                field="reference",
            )
        if self.tender == Tender.ONLINE and not reference:
            raise ServiceError(
                f"{where}: an online payment names the provider's payment id.",
                field="reference",
            )
        return TenderInput(
            tender=self.tender,
            amount=amount,
            amount_tendered=tendered,
            check_number=check_number if self.tender == Tender.CHECK else "",
            card_brand=brand[:20] if self.tender == Tender.CARD else "",
            card_last4=last4 if self.tender == Tender.CARD else "",
            auth_code=auth.strip()[:20] if self.tender == Tender.CARD else "",
            reference=reference[:60] if self.tender in (Tender.OTHER, Tender.ONLINE) else "",
        )

    @property
    def change_due(self) -> Decimal:
        if self.amount_tendered is None:
            return ZERO
        return self.amount_tendered - self.amount


def tenders_check(tenders: list[TenderInput]) -> list[TenderInput]:
    if not tenders:
        raise ServiceError("Enter at least one tender (cash, check, card or other).")
    return [tender.checked(position) for position, tender in enumerate(tenders, start=1)]


def day_check(*, by: User | None, drawer: Drawer, business_date: date) -> None:
    """A drawer's closed day takes no more money, except from "Payments on a closed day".

    The drawer's row is locked for the rest of the caller's transaction first: End of Day
    locks it too, so a close at the same moment either comes after this payment (and counts
    it) or before it (and this check sees the day closed), never under it."""
    if by is None:
        return
    Drawer.objects.select_for_update().filter(pk=drawer.pk).values_list("pk").first()
    if not DayClose.objects.filter(drawer=drawer, business_date=business_date).exists():
        return
    if not can(by, CLOSED_DAY_FUNCTION):
        raise ServiceError(
            f"{drawer}'s day {business_date:%b %-d, %Y} is closed (End of Day). Date the "
            f"payment today, or ask someone allowed to “{get_function(CLOSED_DAY_FUNCTION).name}”"
            ". Nothing was recorded.",
            field="business_date",
            code="day_closed",
        )


def claim_work_order(work_order: WorkOrder | int) -> WorkOrder:
    pk = work_order.pk if isinstance(work_order, WorkOrder) else work_order
    return WorkOrder.objects.select_for_update(of=("self",)).select_related("customer").get(pk=pk)


def _tender_entries_write(
    *,
    payment: Payment,
    tenders: list[TenderInput],
    work_order_id: int | None,
    by: User | None,
    at,
) -> None:
    for tender in tenders:
        entry_write(
            kind=LedgerEntry.Kind.PAYMENT,
            customer_id=payment.customer_id,
            work_order_id=work_order_id,
            amount=-tender.amount,
            by=by,
            at=at,
            business_date=payment.business_date,
            drawer=payment.drawer,
            payment=payment,
            tender=tender.tender,
            amount_tendered=tender.amount_tendered,
            check_number=tender.check_number,
            card_brand=tender.card_brand,
            card_last4=tender.card_last4,
            auth_code=tender.auth_code,
            reference=tender.reference,
        )


def payment_record(
    *,
    by: User | None,
    customer_id: int,
    kind: str,
    tenders: list[TenderInput],
    work_order_id: int | None,
    drawer: Drawer | None,
    business_date: date | None,
    note: str = "",
    at: datetime | None = None,
) -> Payment:
    """The payment and its tender entries (callers have checked the rules and locked).
    `at` is for history brought in or seeded; the counter's payments are taken now."""
    at = at or timezone.now()
    drawer = drawer or drawer_default()
    business_date = business_date or timezone.localdate(at)
    day_check(by=by, drawer=drawer, business_date=business_date)
    payment = Payment.objects.create(
        customer_id=customer_id,
        work_order_id=work_order_id,
        kind=kind,
        amount=sum((t.amount for t in tenders), ZERO),
        change_due=sum((t.change_due for t in tenders), ZERO),
        drawer=drawer,
        business_date=business_date,
        note=note.strip()[:300],
        taken_by=by,
        taken_at=at,
    )
    _tender_entries_write(
        payment=payment, tenders=tenders, work_order_id=work_order_id, by=by, at=at
    )
    return payment


def balance_changed_error(balance: Decimal) -> ServiceError:
    return ServiceError(
        f"The balance changed since you opened this page: it is now ${balance}. Someone else "
        "may have just taken a payment. Nothing was recorded; check the balance and try again.",
        code="balance_changed",
    )


@transaction.atomic
def payment_take(
    *,
    by: User | None,
    work_order: WorkOrder | int,
    tenders: list[TenderInput],
    expected_balance: Decimal | None = None,
    keep_excess_as_credit: bool = False,
    drawer: Drawer | None = None,
    business_date: date | None = None,
    note: str = "",
) -> Payment:
    """Take a payment at a billed-out invoice: one or several tenders, partial or whole.

    More than the balance is refused, unless `keep_excess_as_credit`: then the rest becomes
    the customer's credit (a "credit applied" pair moves it off the invoice).
    """
    tenders = tenders_check(tenders)
    work_order = claim_work_order(work_order)
    if work_order.closed_at is None:
        raise ServiceError(
            f"Work order #{work_order.pk} is not billed out"
            f"{' (it was reopened)' if work_order.ledger_entries.exists() else ''}: there is "
            "no invoice to pay. Bill it out first, or take a deposit. Nothing was recorded.",
            code="not_billed",
        )
    balance = bucket_balance(work_order_id=work_order.pk)
    if expected_balance is not None and money_read(expected_balance) != balance:
        raise balance_changed_error(balance)
    if balance <= 0:
        raise ServiceError(
            f"Invoice #{work_order.pk} is paid in full. Nothing was recorded.", code="paid"
        )
    total = sum((t.amount for t in tenders), ZERO)
    excess = total - balance
    if excess > 0 and not keep_excess_as_credit:
        raise ServiceError(
            f"${total} is ${excess} more than the ${balance} due. Take ${balance}, or tick "
            "“Keep the rest as credit” to keep the difference on the customer's account. "
            "Nothing was recorded.",
            field="amount",
            code="overpayment",
        )
    payment = payment_record(
        by=by,
        customer_id=work_order.customer_id,
        kind=Payment.Kind.INVOICE,
        tenders=tenders,
        work_order_id=work_order.pk,
        drawer=drawer,
        business_date=business_date,
        note=note,
    )
    if excess > 0:
        credit_move(
            customer_id=work_order.customer_id,
            from_work_order_id=work_order.pk,
            to_work_order_id=None,
            amount=excess,
            by=by,
            at=payment.taken_at,
            business_date=payment.business_date,
            payment_id=payment.pk,
        )
    events.payment_received.send(sender=Payment, payment=payment, by=by)
    if total >= balance:
        events.invoice_paid.send(sender=WorkOrder, work_order=work_order, by=by)
    return payment


@transaction.atomic
def deposit_take(
    *,
    by: User | None,
    work_order: WorkOrder | int,
    tenders: list[TenderInput],
    drawer: Drawer | None = None,
    business_date: date | None = None,
    note: str = "",
) -> Payment:
    """A deposit on an estimate or repair order: kept on the work order, and counted
    against the invoice when it is billed out."""
    tenders = tenders_check(tenders)
    work_order = claim_work_order(work_order)
    if work_order.closed_at is not None:
        raise ServiceError(
            f"Invoice #{work_order.pk} is billed out: take a payment, not a deposit.",
            code="billed",
        )
    held = -bucket_balance(work_order_id=work_order.pk)
    total = sum((t.amount for t in tenders), ZERO)
    if held + total > work_order.grand_total:
        raise ServiceError(
            f"A deposit of ${total} would bring the money held to ${held + total}, more than "
            f"the ${work_order.grand_total} written so far. Nothing was recorded.",
            field="amount",
            code="overpayment",
        )
    payment = payment_record(
        by=by,
        customer_id=work_order.customer_id,
        kind=Payment.Kind.DEPOSIT,
        tenders=tenders,
        work_order_id=work_order.pk,
        drawer=drawer,
        business_date=business_date,
        note=note,
    )
    events.payment_received.send(sender=Payment, payment=payment, by=by)
    return payment


def _reason_required(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(f"Say why the {what} is made.", field="reason")
    return reason[:300]


def _payment_claim(payment: Payment | int) -> Payment:
    pk = payment.pk if isinstance(payment, Payment) else payment
    locked = Payment.objects.select_for_update().get(pk=pk)
    if locked.work_order_id:
        claim_work_order(locked.work_order_id)
    return locked


@transaction.atomic
def payment_refund(
    *,
    by: User,
    payment: Payment | int,
    amount: Any,
    tender: str,
    reason: str,
    drawer: Drawer | None = None,
    reference: str = "",
) -> LedgerEntry:
    """Give money back from a payment, up to what it brought in less earlier refunds."""
    reason = _reason_required(reason, "refund")
    amount = money_read(amount)
    if amount <= 0:
        raise ServiceError("A refund must be more than zero.", field="amount")
    if tender not in Tender.values:
        raise ServiceError("Choose how the money goes back: cash, check, card or other.")
    payment = _payment_claim(payment)
    refundable = payment_refundable(payment)
    if amount > refundable:
        raise ServiceError(
            f"Payment #{payment.pk} can give back at most ${refundable} "
            f"(it took ${payment.amount}). Nothing was refunded.",
            field="amount",
            code="over_refund",
        )
    drawer = drawer or drawer_default()
    today = timezone.localdate()
    day_check(by=by, drawer=drawer, business_date=today)
    return entry_write(
        kind=LedgerEntry.Kind.REFUND,
        customer_id=payment.customer_id,
        work_order_id=payment.work_order_id,
        amount=amount,
        by=by,
        business_date=today,
        drawer=drawer,
        payment=payment,
        tender=tender,
        reference=reference.strip()[:60],
        reason=reason,
    )


@transaction.atomic
def payment_void(*, by: User, payment: Payment | int, reason: str) -> list[LedgerEntry]:
    """Cancel a payment entered by mistake: each of its entries is reversed (dated today)."""
    reason = _reason_required(reason, "void")
    payment = _payment_claim(payment)
    if payment_is_voided(payment):
        raise ServiceError(f"Payment #{payment.pk} is already voided.", code="voided")
    entries = list(
        LedgerEntry.objects.filter(payment=payment, reversed_by__isnull=True)
        .exclude(kind=LedgerEntry.Kind.REVERSAL)
        .order_by("id")
    )
    if any(entry.kind == LedgerEntry.Kind.REFUND for entry in entries):
        raise ServiceError(
            f"Payment #{payment.pk} was partly refunded already; refund the rest instead of "
            "voiding it.",
            code="refunded",
        )
    drawer = drawer_default() if payment.drawer_id is None else payment.drawer
    day_check(by=by, drawer=drawer, business_date=timezone.localdate())
    return [entry_reverse(entry=entry, by=by, reason=reason) for entry in entries]
