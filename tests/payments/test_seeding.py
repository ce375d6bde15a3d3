"""The demo shop's money: paid, partly paid and A/R invoices, a 75-day-old A/R invoice,
a closed day; running it again duplicates nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payments import selectors
from payments.models import AccountCharge, DayClose, LedgerEntry, Payment
from payments.seeding import seed_demo
from tests.payments.conftest import bill_out, work_order_write
from workorders.models import Stage, Status, WorkOrder

pytestmark = pytest.mark.django_db


def test_the_demo_shop_has_paid_partly_paid_and_ar_invoices(statuses, shop_rates, advisor, owner):
    old = work_order_write(advisor, amount="120.00")
    closed_at = timezone.now() - timedelta(days=75)
    WorkOrder.objects.filter(pk=old.pk).update(
        closed_at=closed_at, stage=Stage.INVOICE, status=Status.objects.get(number=17)
    )
    recent = [bill_out(work_order_write(advisor, amount="80.00"), advisor) for _ in range(3)]
    seed_demo(io.StringIO())
    seed_demo(io.StringIO())  # again: nothing duplicated

    charge = LedgerEntry.objects.get(work_order=old, kind="charge")
    assert charge.business_date == timezone.localdate(closed_at)
    ar = AccountCharge.objects.get()
    assert ar.work_order_id == old.pk and ar.customer.is_ar
    status = selectors.ar_status(ar.customer)
    assert status.invoices[0].bucket == "61_90"
    states = [b.state for b in selectors.invoice_balances(recent).values()]
    assert sorted(states) == ["paid", "paid", "partial"]
    assert Payment.objects.count() == 3
    assert LedgerEntry.objects.filter(kind="charge").count() == 4
    assert DayClose.objects.get().business_date == timezone.localdate() - timedelta(days=1)
    assert selectors.customer_balance(ar.customer) == Decimal("120.00")
