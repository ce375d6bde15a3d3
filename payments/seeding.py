"""Payments' part of the demo shop: the billed-out invoices charged to their customers,
most of them paid (cash, card, check), one partly paid, one A/R customer with an invoice
75 days old charged to the account, and yesterday's drawer closed. Safe to run again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from payments import selectors, services
from payments.models import AccountCharge, DayClose, Payment
from payments.services import TenderInput
from payments.services.taking import payment_record
from shop.models import User
from workorders.models import WorkOrder

A_R_AGE_DAYS = 75


def _tenders(index: int, amount: Decimal) -> list[TenderInput]:
    if index % 3 == 0:
        return [TenderInput("cash", amount, amount_tendered=amount.to_integral_value() + 1)]
    if index % 3 == 1:
        return [
            TenderInput(
                "card",
                amount,
                card_brand="Visa",
                card_last4=f"{4000 + index:04d}"[-4:],
                auth_code=f"DEMO{index:03d}",
            )
        ]
    return [TenderInput("check", amount, check_number=f"{1100 + index}")]


@transaction.atomic
def seed_demo(stdout) -> dict:
    drawer = services.drawer_default()
    owner = User.objects.filter(username="owner").first()
    invoices = list(
        WorkOrder.objects.filter(closed_at__isnull=False)
        .select_related("customer")
        .order_by("closed_at", "id")
    )
    for work_order in invoices:
        services.invoice_charge_write(work_order=work_order, by=None)
    if invoices and not Payment.objects.exists():
        target = timezone.now() - timedelta(days=A_R_AGE_DAYS)
        ar_invoice = min(invoices, key=lambda wo: abs(wo.closed_at - target))
        Customer.objects.filter(pk=ar_invoice.customer_id).update(is_ar=True)
        ar_invoice.customer.refresh_from_db()
        services.ar_account_get(ar_invoice.customer)
        AccountCharge.objects.create(
            work_order=ar_invoice,
            customer=ar_invoice.customer,
            amount=ar_invoice.grand_total,
            balance_before=Decimal("0.00"),
            credit_limit=services.ar_account_get(ar_invoice.customer).credit_limit,
            charged_by=ar_invoice.closed_by,
            charged_at=ar_invoice.closed_at,
        )
        others = [wo for wo in invoices if wo.pk != ar_invoice.pk]
        for index, work_order in enumerate(others):
            due = selectors.invoice_balance(work_order).balance
            if due <= 0:
                continue
            amount = (due / 2).quantize(Decimal("0.01")) if index == len(others) - 1 else due
            at = work_order.closed_at + timedelta(minutes=10)
            payment_record(
                by=work_order.closed_by,
                customer_id=work_order.customer_id,
                kind=Payment.Kind.INVOICE,
                tenders=_tenders(index, amount),
                work_order_id=work_order.pk,
                drawer=drawer,
                business_date=timezone.localdate(at),
                at=at,
            )
    yesterday = timezone.localdate() - timedelta(days=1)
    if owner and not DayClose.objects.filter(drawer=drawer, business_date=yesterday).exists():
        expected = selectors.tender_totals(drawer_id=drawer.pk, business_date=yesterday)
        services.day_close(
            by=owner,
            drawer=drawer,
            business_date=yesterday,
            counted={tender: str(amount) for tender, amount in expected.items()},
            note="",
        )
    stdout.write(
        f"  payments: {Payment.objects.count()} payments, "
        f"{AccountCharge.objects.count()} invoice(s) charged to account, yesterday's drawer closed"
    )
    return {"payments": Payment.objects.count()}
