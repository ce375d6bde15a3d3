"""Family, combine, delete (#18.5): a family member's invoice charged to account goes on the
main customer's A/R account and stays there when the member is separated; Combine Customers
moves the ledger to the survivor and its undo brings every row back as it was; Delete
Customers with No Invoices never deletes a customer with ledger entries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from customers.models import Customer
from customers.services import customers_combine, family_members_separate
from customers.services.cleanup import (
    customers_delete_without_history,
    customers_without_history_find,
    customers_without_history_fingerprint,
)
from customers.services.log import utility_log_entry_undo
from payments import selectors, services
from payments.models import AccountCharge, LedgerEntry, Statement
from payments.statement_selectors import statement_figures
from shop.errors import ServiceError
from tests.payments.conftest import bill_out, cash, work_order_write
from tests.workorders.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(db):
    main = CustomerFactory(is_ar=True, first_name="Maria", last_name="Main")
    member = CustomerFactory(first_name="Milo", last_name="Main", household_main=main)
    return main, member


def test_a_family_members_invoice_goes_on_the_main_customers_account(
    statuses, shop_rates, advisor, owner, household
):
    main, member = household
    invoice = bill_out(work_order_write(advisor, amount="180.00", customer=member), advisor)
    charge = services.invoice_charge_to_account(by=advisor, work_order=invoice)
    assert (charge.customer, charge.amount) == (main, Decimal("180.00"))
    # The invoice still owes its $180; the main customer owes it, the member nothing.
    assert selectors.invoice_balance(invoice).balance == Decimal("180.00")
    assert selectors.customer_balance(main) == Decimal("180.00")
    assert selectors.customer_balance(member) == Decimal("0.00")
    status = selectors.ar_status(main)
    assert [(i.work_order.pk, i.balance) for i in status.invoices] == [
        (invoice.pk, Decimal("180.00"))
    ]
    # It is on the main customer's statement of the month, not the member's.
    from django.utils import timezone

    month = timezone.localdate().replace(day=1)
    figures = statement_figures([main.pk, member.pk], month)
    assert figures[main.pk].closing_balance == Decimal("180.00")
    assert figures[main.pk].aging["current"] == Decimal("180.00")
    assert figures[member.pk].closing_balance == Decimal("0.00")
    # Paid on the main customer's account, oldest first.
    services.account_payment_take(by=advisor, customer=main, tenders=[cash("180.00")])
    assert selectors.invoice_balance(invoice).balance == Decimal("0.00")
    # Separated: the A/R transactions stay with the main customer.
    before = sorted(LedgerEntry.objects.values_list("id", "customer_id", "amount"))
    family_members_separate(by=owner, member_ids=[member.pk])
    assert sorted(LedgerEntry.objects.values_list("id", "customer_id", "amount")) == before
    assert selectors.customer_balance(main) == selectors.customer_balance(member) == 0
    assert AccountCharge.objects.get().customer == main
    assert selectors.paid_history(main) and not selectors.paid_history(member)


def test_a_household_whose_main_customer_is_not_ar_is_refused(statuses, shop_rates, advisor):
    main = CustomerFactory(first_name="Cash", last_name="Paying")
    member = CustomerFactory(is_ar=True, household_main=main)
    invoice = bill_out(work_order_write(advisor, amount="50.00", customer=member), advisor)
    count = LedgerEntry.objects.count()
    with pytest.raises(ServiceError, match="is a family member of Cash Paying, who is not an A/R"):
        services.invoice_charge_to_account(by=advisor, work_order=invoice)
    assert LedgerEntry.objects.count() == count and not AccountCharge.objects.exists()


def test_the_households_credit_limit_counts_the_members_invoice(
    statuses, shop_rates, advisor, owner, household
):
    main, member = household
    services.ar_account_update(by=owner, customer=main, credit_limit="200.00", net_days="30")
    first = bill_out(work_order_write(advisor, amount="150.00", customer=main), advisor)
    services.invoice_charge_to_account(by=advisor, work_order=first)
    second = bill_out(work_order_write(advisor, amount="80.00", customer=member), advisor)
    count = LedgerEntry.objects.count()
    with pytest.raises(ServiceError, match=r"\$230.00, over its \$200.00 credit limit"):
        services.invoice_charge_to_account(by=advisor, work_order=second)
    assert LedgerEntry.objects.count() == count and AccountCharge.objects.count() == 1
    charge = services.invoice_charge_to_account(by=owner, work_order=second)
    assert charge.over_limit and charge.balance_before == Decimal("150.00")


def _rows(model, **filters):
    return sorted(
        (model_to_dict(row) for row in model._base_manager.filter(**filters)),
        key=lambda row: row["id"],
    )


def test_combine_moves_the_ledger_and_undo_brings_it_back_row_identical(
    statuses, shop_rates, advisor, owner, monkeypatch
):
    survivor = CustomerFactory(is_ar=True)
    merged = CustomerFactory(is_ar=True)
    invoice = bill_out(work_order_write(advisor, amount="90.00", customer=merged), advisor)
    services.invoice_charge_to_account(by=advisor, work_order=invoice)
    services.account_payment_take(by=advisor, customer=merged, tenders=[cash("120.00")])
    Statement.objects.create(
        customer=merged,
        period=invoice.closed_at.date().replace(day=1),
        opening_balance=0,
        charges=90,
        payments=-120,
        closing_balance=-30,
        aging={},
        lines=[],
        created_at=invoice.closed_at,
    )
    ids = list(LedgerEntry.objects.filter(customer=merged).values_list("id", flat=True))
    before = _rows(LedgerEntry, pk__in=ids)
    statements_before = _rows(Statement)
    assert len(before) >= 4

    entry = customers_combine(by=owner, survivor_id=survivor.pk, merged_id=merged.pk)
    assert set(LedgerEntry.objects.filter(pk__in=ids).values_list("customer_id", flat=True)) == {
        survivor.pk
    }
    assert selectors.customer_balance(survivor) == Decimal("-30.00")
    assert not Customer.objects.filter(pk=merged.pk).exists()
    # Only the customer moved: every other column is as written.
    moved = _rows(LedgerEntry, pk__in=ids)
    assert [{**r, "customer": None} for r in moved] == [{**r, "customer": None} for r in before]

    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    assert _rows(LedgerEntry, pk__in=ids) == before
    assert _rows(Statement) == statements_before
    assert selectors.customer_balance(merged) == Decimal("-30.00")
    assert selectors.customer_balance(survivor) == Decimal("0.00")


def test_delete_customers_with_no_invoices_keeps_customers_with_ledger_entries(advisor, owner):
    paid_ahead = CustomerFactory(is_ar=True, first_name="Paid", last_name="Ahead")
    services.account_payment_take(by=advisor, customer=paid_ahead, tenders=[cash("25.00")])
    nobody = CustomerFactory(first_name="No", last_name="History")
    found = customers_without_history_find()
    assert paid_ahead not in found and nobody in found
    customers_delete_without_history(
        by=owner, created_before=None, fingerprint=customers_without_history_fingerprint(found)
    )
    assert Customer.objects.filter(pk=paid_ahead.pk).exists()
    assert not Customer.objects.filter(pk=nobody.pk).exists()
    assert selectors.customer_balance(paid_ahead) == Decimal("-25.00")
