"""What other apps react to in money, published here and only here.

Sent by payments.services *inside* the transaction that wrote the entries (see
workorders.events for why): receivers only write rows and enqueue work on commit.

- `payment_received(sender=Payment, payment, by)`: a payment (its tenders) was recorded.
- `invoice_paid(sender=WorkOrder, work_order, by)`: a billed-out invoice's balance
  reached zero (or less) by a payment or applied credit.
"""

from __future__ import annotations

from django.dispatch import Signal

payment_received = Signal()
invoice_paid = Signal()
