"""The ledger: bill-out charges, reopen reverses, balances are sums, entries are never changed."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from payments import selectors, services
from payments.models import LedgerEntry
from tests.payments.conftest import bill_out, card, cash, reopen, work_order_write

pytestmark = pytest.mark.django_db


def test_it_charges_the_invoice_at_bill_out(invoice):
    charge = LedgerEntry.objects.get(work_order=invoice)
    assert charge.kind == "charge" and charge.amount == Decimal("100.00")
    assert charge.customer_id == invoice.customer_id
    balance = selectors.invoice_balance(invoice)
    assert (balance.billed, balance.balance, balance.state) == (
        Decimal("100.00"),
        Decimal("100.00"),
        "unpaid",
    )
    assert selectors.customer_balance(invoice.customer) == Decimal("100.00")


def test_it_writes_nothing_before_bill_out(statuses, shop_rates, advisor):
    work_order = work_order_write(advisor)
    assert not LedgerEntry.objects.exists()
    assert selectors.invoice_balance(work_order).state == "none"


def test_reopening_reverses_the_charge_and_keeps_the_payments_for_the_rebilled_invoice(
    invoice, advisor
):
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("60.00")])
    reopen(invoice, advisor)
    charge = LedgerEntry.objects.get(work_order=invoice, kind="charge")
    assert charge.reversed_by.amount == Decimal("-100.00")
    balance = selectors.invoice_balance(invoice)
    assert balance.state == "deposit" and balance.held == Decimal("60.00")
    assert selectors.customer_balance(invoice.customer) == Decimal("-60.00")
    # Billed out again, for more: the $60 already paid counts.
    invoice.refresh_from_db()
    workorder_line_price_raise(invoice, advisor)
    bill_out(invoice, advisor)
    balance = selectors.invoice_balance(invoice)
    assert balance.billed == Decimal("150.00")
    assert balance.balance == Decimal("90.00") and balance.state == "partial"
    assert LedgerEntry.objects.filter(work_order=invoice, kind="charge").count() == 2


def workorder_line_price_raise(work_order, by):
    from workorders import services as workorder_services

    line = work_order.lines.get()
    workorder_services.line_update(
        by=by, line=line, version=work_order.version, unit_price=Decimal("150.00")
    )


def test_a_deposit_counts_at_bill_out_and_what_is_over_becomes_credit(
    statuses, shop_rates, advisor
):
    work_order = work_order_write(advisor, amount="100.00")
    services.deposit_take(by=advisor, work_order=work_order, tenders=[cash("100.00")])
    # The estimate shrinks before bill-out: the extra $40 of the deposit becomes credit.
    work_order.refresh_from_db()
    from workorders import services as workorder_services

    workorder_services.line_update(
        by=advisor, line=work_order.lines.get(), version=work_order.version, unit_price="60.00"
    )
    bill_out(work_order, advisor)
    balance = selectors.invoice_balance(work_order)
    assert balance.state == "paid" and balance.balance == Decimal("0.00")
    account = selectors.customer_account(work_order.customer)
    assert account.unapplied_credit == Decimal("40.00")
    assert account.balance == Decimal("-40.00")


def test_entries_are_never_updated_nor_deleted(invoice):
    entry = LedgerEntry.objects.get(work_order=invoice)
    entry.amount = Decimal("1.00")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_changing_an_entry_but_lets_combine_move_it(invoice):
    from tests.workorders.factories import CustomerFactory

    entry = LedgerEntry.objects.get(work_order=invoice)
    with pytest.raises(Exception, match="never updated"), transaction.atomic():
        LedgerEntry._base_manager.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(Exception, match="never deleted"), transaction.atomic():
        LedgerEntry._base_manager.filter(pk=entry.pk)._raw_delete(connection.alias)
    other = CustomerFactory()
    LedgerEntry._base_manager.filter(pk=entry.pk).update(customer_id=other.pk)
    assert LedgerEntry.objects.get(pk=entry.pk).customer_id == other.pk


@pytest.mark.parametrize(
    ("kind", "amount", "extra"),
    [
        ("charge", "-5.00", {}),
        ("charge", "0.00", {}),
        ("refund", "-5.00", {"tender": "cash", "reason": "x"}),
        ("finance_charge", "-1.00", {}),
        ("adjustment", "0.00", {"reason": "typo"}),
        ("adjustment", "5.00", {}),  # no reason
        ("charge", "5.00", {"tender": "cash"}),  # a charge has no tender
    ],
)
def test_the_database_keeps_signs_and_kinds_consistent(invoice, kind, amount, extra):
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            kind=kind,
            customer=invoice.customer,
            work_order=invoice,
            amount=Decimal(amount),
            business_date=timezone.localdate(),
            recorded_at=timezone.now(),
            **extra,
        )


def test_a_reversal_must_name_its_entry(invoice):
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            kind="reversal",
            customer=invoice.customer,
            amount=Decimal("-5.00"),
            reason="oops",
            business_date=timezone.localdate(),
            recorded_at=timezone.now(),
        )


def test_balances_for_a_page_of_work_orders_take_one_query(
    statuses, shop_rates, advisor, django_assert_num_queries
):
    invoices = [bill_out(work_order_write(advisor, amount="50.00"), advisor) for _ in range(6)]
    services.payment_take(by=advisor, work_order=invoices[0], tenders=[card("50.00")])
    with django_assert_num_queries(1):
        balances = selectors.invoice_balances(invoices)
    assert balances[invoices[0].pk].state == "paid"
    assert balances[invoices[1].pk].state == "unpaid"
