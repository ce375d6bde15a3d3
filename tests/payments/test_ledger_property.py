"""A property-style test: after any mix of bills, payments, refunds, reopens, combines and
undos, every customer's ledger balance is what their invoices less their payments say."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Customer, UtilityLogEntry
from customers.services.combine import customers_combine
from customers.services.log import utility_log_entry_undo
from payments import selectors, services
from payments.models import LedgerEntry, Payment
from shop.errors import ServiceError
from tests.payments.conftest import bill_out, cash, reopen, work_order_write
from tests.workorders.factories import CustomerFactory
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("1"), max_value=Decimal("400"), places=2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("bill"), st.integers(0, 3), amounts),
        st.tuples(st.just("pay"), st.integers(0, 20), amounts),
        st.tuples(st.just("refund"), st.integers(0, 20), amounts),
        st.tuples(st.just("reopen"), st.integers(0, 20), amounts),
        st.tuples(st.just("rebill"), st.integers(0, 20), amounts),
        st.tuples(st.just("combine"), st.integers(0, 3), st.integers(0, 3)),
        st.tuples(st.just("undo"), st.integers(0, 5), amounts),
    ),
    min_size=1,
    max_size=14,
)


def expected_balances() -> dict[int, Decimal]:
    """Invoices billed out less money kept, per customer, from the work orders and the
    payments themselves (not from the ledger's sums)."""
    owed: dict[int, Decimal] = {}
    for wo in WorkOrder.objects.filter(closed_at__isnull=False):
        owed[wo.customer_id] = owed.get(wo.customer_id, Decimal("0")) + wo.grand_total
    for payment in Payment.objects.all():
        owed[payment.customer_id] = owed.get(payment.customer_id, Decimal("0")) - payment.amount
    for refund in LedgerEntry.objects.filter(kind="refund"):
        owed[refund.customer_id] = owed.get(refund.customer_id, Decimal("0")) + refund.amount
    return owed


def _pick(items, index):
    return items[index % len(items)] if items else None


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_the_ledger_balance_is_invoices_less_payments_for_every_customer(
    statuses, shop_rates, advisor, owner, steps
):
    with transaction.atomic():
        customers = [CustomerFactory() for _ in range(4)]
        for step, first, second in steps:
            live = list(Customer.objects.filter(pk__in=[c.pk for c in customers]))
            work_orders = list(WorkOrder.objects.order_by("id"))
            try:
                with transaction.atomic():
                    if step == "bill" and live:
                        bill_out(
                            work_order_write(advisor, amount=second, customer=_pick(live, first)),
                            advisor,
                        )
                    elif step == "pay":
                        billed = [w for w in work_orders if w.closed_at]
                        target = _pick(billed, first)
                        if target:
                            due = selectors.invoice_balance(target).balance
                            services.payment_take(
                                by=advisor,
                                work_order=target,
                                tenders=[cash(min(second, due) if due > 0 else second)],
                                keep_excess_as_credit=True,
                            )
                    elif step == "refund":
                        payment = _pick(list(Payment.objects.order_by("id")), first)
                        if payment:
                            services.payment_refund(
                                by=owner,
                                payment=payment,
                                amount=second,
                                tender="cash",
                                reason="Customer dispute",
                            )
                    elif step == "reopen":
                        target = _pick([w for w in work_orders if w.closed_at], first)
                        if target:
                            reopen(target, owner)
                    elif step == "rebill":
                        target = _pick(
                            [w for w in work_orders if not w.closed_at and w.stage != "estimate"],
                            first,
                        )
                        if target:
                            bill_out(target, owner)
                    elif step == "combine" and len(live) > 1:
                        survivor, merged = _pick(live, first), _pick(live, second)
                        if survivor.pk != merged.pk:
                            customers_combine(
                                by=owner, survivor_id=survivor.pk, merged_id=merged.pk
                            )
                    elif step == "undo":
                        entry = _pick(
                            list(UtilityLogEntry.objects.filter(undone_at=None).order_by("-id")),
                            first,
                        )
                        if entry:
                            utility_log_entry_undo(by=owner, entry_id=entry.pk)
            except ServiceError:
                pass  # a refused step changes nothing; the invariant must still hold
            expected = expected_balances()
            for customer in Customer.objects.filter(pk__in=[c.pk for c in customers]):
                assert selectors.customer_balance(customer) == expected.get(
                    customer.pk, Decimal("0")
                ), (step, customer.pk)
            assert sum(expected.values(), Decimal("0")) == sum(
                LedgerEntry.objects.values_list("amount", flat=True), Decimal("0")
            )
        transaction.set_rollback(True)
