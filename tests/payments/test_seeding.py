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


def _billed_long_ago(by, *, days: int, amount: str, customer=None) -> WorkOrder:
    """An invoice billed `days` ago, written as the bench writes them (no ledger yet)."""
    work_order = work_order_write(by, amount=amount, customer=customer)
    WorkOrder.objects.filter(pk=work_order.pk).update(
        closed_at=timezone.now() - timedelta(days=days),
        stage=Stage.INVOICE,
        status=Status.objects.get(number=17),
        grand_total=Decimal(amount),
    )
    work_order.refresh_from_db()
    return work_order


def test_the_bench_ledger_pays_most_invoices_and_leaves_ar_ones_open(
    statuses, shop_rates, advisor, monkeypatch
):
    import random

    from customers.models import Customer
    from payments import seeding
    from tests.workorders.factories import CustomerFactory

    monkeypatch.setattr(seeding, "BENCH_AR_INVOICES", 30)
    walk_in = CustomerFactory()
    ar = CustomerFactory(is_ar=True)
    old_walk_in = [_billed_long_ago(advisor, days=400 + i, amount="80.00", customer=walk_in)
                   for i in range(5)]  # fmt: skip
    ar_old = _billed_long_ago(advisor, days=300, amount="250.00", customer=ar)
    ar_recent = _billed_long_ago(advisor, days=10, amount="120.00", customer=ar)
    estimate = work_order_write(advisor, amount="60.00")  # not billed: never charged
    # Billed out through the services (as the demo shop's are): charged already, left alone.
    demo = bill_out(work_order_write(advisor, amount="90.00", customer=walk_in), advisor)

    seeding.seed_bench(io.StringIO(), rng=random.Random(3))
    entries_once = LedgerEntry.objects.count()
    seeding.seed_bench(io.StringIO(), rng=random.Random(3))  # again: nothing added
    assert LedgerEntry.objects.count() == entries_once

    company = Customer.objects.get(company_name=seeding.BENCH_AR_COMPANY)
    assert company.is_ar and company.ar_account.credit_limit == Decimal("500000.00")
    billed = WorkOrder.objects.filter(closed_at__isnull=False)
    assert LedgerEntry.objects.filter(kind="charge").count() == billed.count()
    assert not LedgerEntry.objects.filter(work_order=estimate).exists()
    assert selectors.invoice_balance(demo).state == "unpaid"
    assert LedgerEntry.objects.filter(work_order=demo).count() == 1
    balances = selectors.invoice_balances(old_walk_in)
    assert {b.state for b in balances.values()} == {"paid"}
    assert selectors.invoice_balance(ar_old).state == "paid"
    assert selectors.invoice_balance(ar_recent).state in {"unpaid", "partial"}
    assert ar.ar_account.net_days == 30
    status = selectors.ar_status(company)
    assert len(status.invoices) == 30
    assert status.total == sum(wo.grand_total for wo in company.work_orders.all())
    # The ledger adds up for every customer: what was billed less what was paid.
    for customer in (walk_in, ar, company):
        invoices = WorkOrder.objects.filter(customer=customer, closed_at__isnull=False)
        paid = sum(p.amount for p in Payment.objects.filter(customer=customer))
        assert selectors.customer_balance(customer) == sum(
            wo.grand_total for wo in invoices
        ) - Decimal(paid)
    # A walk-in's payment is at bill-out, with its tender; an A/R one on account.
    assert {p.kind for p in Payment.objects.filter(customer=walk_in)} == {"invoice"}
    assert {p.kind for p in Payment.objects.filter(customer=ar)} == {"on_account"}
    assert AccountCharge.objects.filter(customer=ar).count() == 2
