"""A/R accounts: charging to account (A/R customers only, the credit limit), payments on
account applied oldest first or to chosen invoices, the rest kept as credit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payments import selectors, services
from payments.models import AccountCharge, LedgerEntry, Payment
from shop.errors import ServiceError
from tests.payments.conftest import bill_out, card, cash, work_order_write
from tests.workorders.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ar_customer(db):
    return CustomerFactory(is_ar=True, company_name="Acme Plumbing", kind="company")


def test_it_charges_an_ar_customers_invoice_to_the_account(
    statuses, shop_rates, advisor, ar_customer
):
    invoice = bill_out(work_order_write(advisor, amount="300.00", customer=ar_customer), advisor)
    charge = services.invoice_charge_to_account(by=advisor, work_order=invoice)
    assert (charge.amount, charge.over_limit, charge.balance_before) == (
        Decimal("300.00"),
        False,
        Decimal("0.00"),
    )
    with pytest.raises(ServiceError, match="already charged"):
        services.invoice_charge_to_account(by=advisor, work_order=invoice)


def test_it_refuses_charging_a_customer_who_is_not_ar(invoice, advisor):
    with pytest.raises(ServiceError, match="not an A/R customer") as refused:
        services.invoice_charge_to_account(by=advisor, work_order=invoice)
    assert refused.value.code == "not_ar" and not AccountCharge.objects.exists()


def test_over_the_limit_needs_its_own_function_and_is_recorded(
    statuses, shop_rates, advisor, owner, ar_customer
):
    services.ar_account_update(by=owner, customer=ar_customer, credit_limit="500.00", net_days="30")
    first = bill_out(work_order_write(advisor, amount="400.00", customer=ar_customer), advisor)
    services.invoice_charge_to_account(by=advisor, work_order=first)
    second = bill_out(work_order_write(advisor, amount="200.00", customer=ar_customer), advisor)
    with pytest.raises(ServiceError, match=r"\$600.00, over its \$500.00 credit limit"):
        services.invoice_charge_to_account(by=advisor, work_order=second)
    assert AccountCharge.objects.count() == 1
    charge = services.invoice_charge_to_account(by=owner, work_order=second)
    assert charge.over_limit and charge.charged_by == owner
    assert charge.balance_before == Decimal("400.00")


def test_terms_are_checked(owner, ar_customer, invoice):
    with pytest.raises(ServiceError, match="cannot be negative"):
        services.ar_account_update(by=owner, customer=ar_customer, credit_limit="-1", net_days=30)
    with pytest.raises(ServiceError, match="whole number"):
        services.ar_account_update(by=owner, customer=ar_customer, credit_limit="1", net_days="x")
    with pytest.raises(ServiceError, match="not an A/R customer"):
        services.ar_account_update(
            by=owner, customer=invoice.customer, credit_limit="1", net_days=30
        )


def test_a_payment_on_account_pays_the_oldest_first_and_keeps_the_rest_as_credit(
    statuses, shop_rates, advisor, ar_customer
):
    old = bill_out(work_order_write(advisor, amount="100.00", customer=ar_customer), advisor)
    new = bill_out(work_order_write(advisor, amount="50.00", customer=ar_customer), advisor)
    payment = services.account_payment_take(
        by=advisor, customer=ar_customer, tenders=[cash("120.00")]
    )
    assert payment.kind == "on_account"
    balances = selectors.invoice_balances([old, new])
    assert balances[old.pk].balance == 0 and balances[new.pk].balance == Decimal("30.00")
    services.account_payment_take(by=advisor, customer=ar_customer, tenders=[card("40.00")])
    account = selectors.customer_account(ar_customer)
    assert account.unapplied_credit == Decimal("10.00") and account.balance == Decimal("-10.00")
    history = selectors.paid_history(ar_customer)
    assert history[-1].applied == [(old.pk, Decimal("100.00")), (new.pk, Decimal("20.00"))]


def test_a_payment_on_account_to_chosen_invoices(statuses, shop_rates, advisor, ar_customer):
    old = bill_out(work_order_write(advisor, amount="100.00", customer=ar_customer), advisor)
    new = bill_out(work_order_write(advisor, amount="50.00", customer=ar_customer), advisor)
    services.account_payment_take(
        by=advisor, customer=ar_customer, tenders=[cash("60.00")], apply_to=[new.pk]
    )
    balances = selectors.invoice_balances([old, new])
    assert balances[old.pk].balance == Decimal("100.00") and balances[new.pk].balance == 0
    assert selectors.customer_account(ar_customer).unapplied_credit == Decimal("10.00")
    other = bill_out(work_order_write(advisor, amount="10.00"), advisor)
    before = LedgerEntry.objects.count()
    with pytest.raises(ServiceError, match=f"#{other.pk} is not an open invoice"):
        services.account_payment_take(
            by=advisor, customer=ar_customer, tenders=[cash("5.00")], apply_to=[other.pk]
        )
    assert LedgerEntry.objects.count() == before and Payment.objects.count() == 1


def test_credit_on_account_pays_a_later_invoice(statuses, shop_rates, advisor, ar_customer):
    services.account_payment_take(by=advisor, customer=ar_customer, tenders=[cash("30.00")])
    invoice = bill_out(work_order_write(advisor, amount="50.00", customer=ar_customer), advisor)
    assert services.credit_apply(by=advisor, work_order=invoice) == Decimal("30.00")
    assert selectors.invoice_balance(invoice).balance == Decimal("20.00")
    with pytest.raises(ServiceError, match="no credit"):
        services.credit_apply(by=advisor, work_order=invoice)


def test_ar_status_ages_open_invoices(statuses, shop_rates, advisor, ar_customer):
    invoices = [
        bill_out(work_order_write(advisor, amount=a, customer=ar_customer), advisor)
        for a in ("10.00", "20.00", "30.00", "40.00")
    ]
    today = timezone.localdate()
    status = selectors.ar_status(ar_customer, as_of=today + timedelta(days=75))
    assert {i.bucket for i in status.invoices} == {"61_90"}
    assert status.total == Decimal("100.00")
    assert dict((k, v) for k, _l, v in status.totals)["61_90"] == Decimal("100.00")
    assert status.invoices[0].due_on == today + timedelta(days=30)
    assert [i.work_order.pk for i in status.invoices] == [wo.pk for wo in invoices]


def test_delete_customers_with_no_invoices_keeps_one_with_ledger_entries(advisor, ar_customer):
    from customers.services.cleanup import customers_without_history_find

    bystander = CustomerFactory()
    services.account_payment_take(by=advisor, customer=ar_customer, tenders=[cash("30.00")])
    kept = {c.pk for c in customers_without_history_find()}
    assert bystander.pk in kept and ar_customer.pk not in kept


def test_separating_a_family_member_leaves_the_ar_entries_with_the_main_customer(
    advisor, owner, ar_customer
):
    from customers.services.cleanup import family_members_separate

    member = CustomerFactory(household_main=ar_customer)
    services.account_payment_take(by=advisor, customer=ar_customer, tenders=[cash("30.00")])
    family_members_separate(by=owner, member_ids=[member.pk])
    assert set(LedgerEntry.objects.values_list("customer_id", flat=True)) == {ar_customer.pk}
