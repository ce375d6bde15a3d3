"""`payment.received` and `invoice.paid` to the integrations' webhook subscribers.

Payments is above integrations, so it registers its events with
`integrations.webhook_sources` (as imports does `import.completed`): integrations then
listens to payments' own events (payments.events) and queues the deliveries in the
transaction that recorded the money (the outbox row is saved with the payment, or
neither). The bodies are documented in
integrations/README.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from payments.models import ZERO, LedgerEntry, Payment
from payments.selectors import invoice_balance
from workorders.models import WorkOrder


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def payment_data(payment: Payment) -> dict[str, Any]:
    entries = list(LedgerEntry.objects.filter(payment=payment).order_by("id"))
    applied: dict[int | None, Decimal] = {}
    for entry in entries:
        if entry.kind in (LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.CREDIT_APPLIED):
            applied[entry.work_order_id] = applied.get(entry.work_order_id, ZERO) - entry.amount
    return {
        "id": payment.pk,
        "url": f"/api/v1/payments/{payment.pk}/",
        "kind": payment.kind,
        "customer_id": payment.customer_id,
        "work_order_id": payment.work_order_id,
        "amount": _money(payment.amount),
        "change_due": _money(payment.change_due),
        "business_date": payment.business_date,
        "taken_at": payment.taken_at,
        "tenders": [
            {
                "tender": entry.tender,
                "amount": _money(-entry.amount),
                "card_brand": entry.card_brand,
                "card_last4": entry.card_last4,
                "check_number": entry.check_number,
                "reference": entry.reference,
            }
            for entry in entries
            if entry.kind == LedgerEntry.Kind.PAYMENT
        ],
        "applied": [
            {"work_order_id": work_order_id, "amount": _money(amount)}
            for work_order_id, amount in applied.items()
            if amount
        ],
    }


def invoice_data(work_order: WorkOrder) -> dict[str, Any]:
    balance = invoice_balance(work_order)
    return {
        "id": work_order.pk,
        "url": f"/api/v1/work-orders/{work_order.pk}/",
        "balance_url": f"/api/v1/invoices/{work_order.pk}/balance/",
        "customer_id": work_order.customer_id,
        "billed": _money(balance.billed),
        "paid": _money(balance.paid),
        "balance": _money(balance.balance),
        "closed_at": work_order.closed_at,
    }


def connect() -> None:
    from integrations.webhook_sources import webhook_source_register
    from payments import events

    webhook_source_register(
        code="payment.received",
        label="Payment received",
        signal=events.payment_received,
        data=lambda payment, **kwargs: payment_data(payment),
    )
    webhook_source_register(
        code="invoice.paid",
        label="Invoice paid",
        signal=events.invoice_paid,
        data=lambda work_order, **kwargs: invoice_data(work_order),
    )
