"""Taking payment: tenders, partial, several tenders, credit by choice, and every bad input
refused with a clear message and nothing written."""

from decimal import Decimal

import pytest
from django.utils import timezone

from payments import selectors, services
from payments.models import DayClose, LedgerEntry, Payment
from payments.services import TenderInput
from shop.errors import ServiceError
from tests.payments.conftest import card, cash, reopen, work_order_write

pytestmark = pytest.mark.django_db


def nothing_written(before: int) -> bool:
    return LedgerEntry.objects.count() == before and Payment.objects.count() == 0


def test_it_takes_cash_and_card_on_one_invoice_with_change_due(invoice, advisor):
    payment = services.payment_take(
        by=advisor,
        work_order=invoice,
        tenders=[cash("40.00", tendered=Decimal("50.00")), card("60.00")],
        expected_balance=Decimal("100.00"),
    )
    assert payment.amount == Decimal("100.00") and payment.change_due == Decimal("10.00")
    tenders = list(payment.entries.order_by("id").values_list("tender", "amount", "card_last4"))
    assert tenders == [("cash", Decimal("-40.00"), ""), ("card", Decimal("-60.00"), "4242")]
    balance = selectors.invoice_balance(invoice)
    assert balance.state == "paid" and balance.balance == 0


def test_a_partial_payment_leaves_the_rest_due(invoice, advisor):
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("30.00")])
    balance = selectors.invoice_balance(invoice)
    assert balance.state == "partial" and balance.balance == Decimal("70.00")
    assert balance.paid == Decimal("30.00")


def test_an_overpayment_is_refused_unless_kept_as_credit(invoice, advisor):
    before = LedgerEntry.objects.count()
    with pytest.raises(ServiceError, match=r"\$20\.00 more than the \$100\.00 due") as refused:
        services.payment_take(by=advisor, work_order=invoice, tenders=[cash("120.00")])
    assert refused.value.code == "overpayment" and nothing_written(before)
    services.payment_take(
        by=advisor, work_order=invoice, tenders=[cash("120.00")], keep_excess_as_credit=True
    )
    assert selectors.invoice_balance(invoice).balance == 0
    account = selectors.customer_account(invoice.customer)
    assert account.unapplied_credit == Decimal("20.00") and account.balance == Decimal("-20.00")


@pytest.mark.parametrize(
    ("tender", "message"),
    [
        (TenderInput("cash", "0"), "more than zero"),
        (TenderInput("cash", "-5.00"), "more than zero"),
        (TenderInput("cash", "abc"), "must be a number"),
        (TenderInput("cash", "1.005"), "more than two decimals"),
        (TenderInput("cash", "NaN"), "must be a number"),
        (TenderInput("cash", "50.00", amount_tendered=Decimal("20.00")), "less than"),
        (TenderInput("check", "50.00"), "check number"),
        (TenderInput("card", "50.00", card_brand="Visa", card_last4="42"), "last four"),
        (TenderInput("card", "50.00", card_brand="Visa", card_last4="4242"), "authorization"),
        (TenderInput("card", "50.00", card_last4="4242", auth_code="X"), "brand"),
        (TenderInput("other", "50.00"), "say what it is"),
        (TenderInput("bitcoin", "50.00"), "choose cash, check, card or other"),
    ],
)
def test_it_refuses_a_bad_tender_and_writes_nothing(invoice, advisor, tender, message):
    before = LedgerEntry.objects.count()
    with pytest.raises(ServiceError, match=message):
        services.payment_take(by=advisor, work_order=invoice, tenders=[tender])
    assert nothing_written(before)


def test_it_refuses_no_tender(invoice, advisor):
    with pytest.raises(ServiceError, match="at least one tender"):
        services.payment_take(by=advisor, work_order=invoice, tenders=[])


def test_it_refuses_paying_a_reopened_invoice(invoice, advisor):
    reopen(invoice, advisor)
    before = LedgerEntry.objects.count()
    with pytest.raises(ServiceError, match=r"not billed out \(it was reopened\)") as refused:
        services.payment_take(by=advisor, work_order=invoice, tenders=[cash("10.00")])
    assert refused.value.code == "not_billed" and nothing_written(before)


def test_it_refuses_paying_a_paid_invoice(invoice, advisor):
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("100.00")])
    with pytest.raises(ServiceError, match="paid in full"):
        services.payment_take(by=advisor, work_order=invoice, tenders=[cash("1.00")])


def test_it_tells_the_cashier_when_the_balance_changed(invoice, advisor):
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("30.00")])
    with pytest.raises(ServiceError, match=r"balance changed .* now \$70.00") as refused:
        services.payment_take(
            by=advisor,
            work_order=invoice,
            tenders=[cash("100.00")],
            expected_balance=Decimal("100.00"),
        )
    assert refused.value.code == "balance_changed"
    assert Payment.objects.count() == 1


def test_a_payment_on_a_closed_day_needs_its_own_function(invoice, advisor, owner):
    drawer = services.drawer_default()
    today = timezone.localdate()
    DayClose.objects.create(
        drawer=drawer,
        business_date=today,
        expected={},
        counted={},
        over_short=0,
        closed_by=owner,
        closed_at=timezone.now(),
    )
    with pytest.raises(ServiceError, match="is closed") as refused:
        services.payment_take(by=advisor, work_order=invoice, tenders=[cash("10.00")])
    assert refused.value.code == "day_closed" and not Payment.objects.exists()
    services.payment_take(by=owner, work_order=invoice, tenders=[cash("10.00")])
    assert Payment.objects.get().business_date == today


def test_a_refund_gives_back_at_most_what_was_taken(invoice, advisor, owner):
    payment = services.payment_take(by=advisor, work_order=invoice, tenders=[cash("100.00")])
    with pytest.raises(ServiceError, match=r"at most \$100.00"):
        services.payment_refund(
            by=owner, payment=payment, amount="100.01", tender="cash", reason="Overcharged"
        )
    with pytest.raises(ServiceError, match="Say why"):
        services.payment_refund(by=owner, payment=payment, amount="10", tender="cash", reason=" ")
    with pytest.raises(ServiceError, match="more than zero"):
        services.payment_refund(by=owner, payment=payment, amount="0", tender="cash", reason="x")
    services.payment_refund(
        by=owner, payment=payment, amount="40.00", tender="cash", reason="Overcharged"
    )
    assert selectors.invoice_balance(invoice).balance == Decimal("40.00")
    with pytest.raises(ServiceError, match=r"at most \$60.00"):
        services.payment_refund(
            by=owner, payment=payment, amount="60.01", tender="cash", reason="Again"
        )


def test_a_void_reverses_every_entry_once(invoice, advisor, owner):
    payment = services.payment_take(
        by=advisor, work_order=invoice, tenders=[cash("50.00"), card("50.00")]
    )
    with pytest.raises(ServiceError, match="Say why"):
        services.payment_void(by=owner, payment=payment, reason="")
    reversals = services.payment_void(by=owner, payment=payment, reason="Wrong invoice")
    assert len(reversals) == 2
    assert selectors.invoice_balance(invoice).balance == Decimal("100.00")
    assert selectors.tender_totals(drawer_id=None, business_date=timezone.localdate()) == {
        "cash": Decimal("0.00"),
        "card": Decimal("0.00"),
    }
    with pytest.raises(ServiceError, match="already voided"):
        services.payment_void(by=owner, payment=payment, reason="Again")


def test_a_deposit_is_refused_on_an_invoice_and_over_the_estimate(
    statuses, shop_rates, advisor, invoice
):
    with pytest.raises(ServiceError, match="not a deposit"):
        services.deposit_take(by=advisor, work_order=invoice, tenders=[cash("10.00")])
    estimate = work_order_write(advisor, amount="80.00")
    with pytest.raises(ServiceError, match=r"more than the \$80.00"):
        services.deposit_take(by=advisor, work_order=estimate, tenders=[cash("80.01")])
    services.deposit_take(by=advisor, work_order=estimate, tenders=[cash("50.00")])
    assert selectors.invoice_balance(estimate).held == Decimal("50.00")
