"""The money pages: an allowed and a refused employee on each, bad input refused with
nothing written, and a fixed number of queries on the lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from payments import services
from payments.models import LedgerEntry, Payment
from tests.payments.conftest import bill_out, card, cash, work_order_write
from tests.workorders.test_views_pages import pdf_text

pytestmark = pytest.mark.django_db


def take_url(work_order) -> str:
    return reverse("payments:take", args=[work_order.pk])


def test_it_takes_cash_and_card_from_the_page(client, invoice, advisor):
    client.force_login(advisor)
    page = client.get(take_url(invoice))
    assert page.status_code == 200 and "$100.00" in page.content.decode()
    response = client.post(
        take_url(invoice),
        {
            "expected_balance": "100.00",
            "cash_amount": "40.00",
            "cash_tendered": "50",
            "card_amount": "60.00",
            "card_brand": "Visa",
            "card_last4": "1111",
            "auth_code": "OK1234",
            "drawer": services.drawer_default().pk,
        },
    )
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:payment_detail", args=[payment.pk])
    receipt = client.get(response["Location"]).content.decode()
    assert "Change due: $10.00" in receipt and "····1111" in receipt


def test_it_refuses_an_employee_below_take_payments(client, invoice, technician):
    client.force_login(technician)  # level 5; Take payments is level 4
    assert client.get(take_url(invoice)).status_code == 403
    response = client.post(take_url(invoice), {"cash_amount": "100.00"})
    assert response.status_code == 403 and not Payment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cash_amount": "-5"}, "more than zero"),
        ({"cash_amount": "abc"}, "must be a number"),
        ({"cash_amount": "150.00"}, "more than the $100.00 due"),
        ({"card_amount": "20", "card_brand": "Visa", "card_last4": "12a4"}, "last four"),
        ({}, "at least one tender"),
        ({"cash_amount": "10", "expected_balance": "90.00"}, "balance changed"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client, invoice, advisor, data, message
):
    client.force_login(advisor)
    response = client.post(take_url(invoice), {"expected_balance": "100.00", **data})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Payment.objects.exists()
    assert LedgerEntry.objects.filter(kind="payment").count() == 0


def test_a_deposit_from_the_repair_order(client, statuses, shop_rates, advisor):
    work_order = work_order_write(advisor, amount="80.00")
    client.force_login(advisor)
    assert "Take a deposit" in client.get(take_url(work_order)).content.decode()
    response = client.post(take_url(work_order), {"deposit": "1", "cash_amount": "30"})
    assert response.status_code == 302
    assert Payment.objects.get().kind == "deposit"


def test_refund_and_void_are_their_own_functions(client, invoice, advisor, owner):
    payment = services.payment_take(by=advisor, work_order=invoice, tenders=[cash("100.00")])
    refund = reverse("payments:refund", args=[payment.pk])
    void = reverse("payments:void", args=[payment.pk])
    client.force_login(advisor)  # level 3; refunds and voids are level 2
    page = client.get(reverse("payments:payment_detail", args=[payment.pk])).content.decode()
    assert "Void payment" not in page and "Refund" not in page
    form = {"refund-amount": "10", "refund-tender": "cash", "refund-reason": "Overcharged"}
    assert client.post(refund, form).status_code == 403
    assert client.post(void, {"void-reason": "Mistake"}).status_code == 403
    assert LedgerEntry.objects.filter(kind__in=["refund", "reversal"]).count() == 0
    client.force_login(owner)
    client.post(refund, {**form, "refund-amount": "500"})
    assert not LedgerEntry.objects.filter(kind="refund").exists()
    assert client.post(refund, form).status_code == 302
    assert LedgerEntry.objects.get(kind="refund").amount == Decimal("10.00")
    client.post(void, {"void-reason": ""})
    assert not LedgerEntry.objects.filter(kind="reversal").exists()


def test_the_work_order_list_shows_paid_partial_unpaid_in_fixed_queries(
    client, statuses, shop_rates, advisor, django_assert_max_num_queries
):
    invoices = [bill_out(work_order_write(advisor, amount="50.00"), advisor) for _ in range(3)]
    services.payment_take(by=advisor, work_order=invoices[0], tenders=[cash("50.00")])
    services.payment_take(by=advisor, work_order=invoices[1], tenders=[card("20.00")])
    client.force_login(advisor)
    with django_assert_max_num_queries(12) as captured:
        page = client.get(reverse("workorders:list")).content.decode()
    few = len(captured)
    for _ in range(5):
        bill_out(work_order_write(advisor, amount="50.00"), advisor)
    with django_assert_max_num_queries(few):
        client.get(reverse("workorders:list"))
    assert "Paid</span>" in page and "Partly paid" in page and "Unpaid" in page
    assert "$30.00 due" in page


def test_the_editor_and_the_printed_invoice_show_payments_and_balance(
    client, invoice, advisor, technician
):
    services.payment_take(
        by=advisor, work_order=invoice, tenders=[cash("40.00"), card("60.00", last4="9876")]
    )
    client.force_login(advisor)
    editor = client.get(reverse("workorders:editor", args=[invoice.pk])).content.decode()
    assert 'data-testid="balance-due">$0.00' in editor and "Paid" in editor
    text = pdf_text(client.get(reverse("workorders:pdf", args=[invoice.pk]))).lower()
    assert "cash" in text and "ending 9876" in text and "balance due $0.00" in text
    client.force_login(technician)
    editor = client.get(reverse("workorders:editor", args=[invoice.pk])).content.decode()
    assert "Take payment" not in editor


def test_ar_status_and_paid_ar(client, statuses, shop_rates, advisor, technician):
    first = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    customer = first.customer
    second = bill_out(work_order_write(advisor, amount="40.00", customer=customer), advisor)
    services.payment_take(by=advisor, work_order=second, tenders=[card("15.00", last4="5555")])
    client.force_login(advisor)
    status = client.get(reverse("payments:ar_status", args=[customer.pk])).content.decode()
    assert 'data-testid="ar-total">$125.00' in status and "Current" in status
    paid = client.get(reverse("payments:paid_ar", args=[customer.pk])).content.decode()
    assert "····5555" in paid and f"#{second.pk}</a> $15.00" in paid
    detail = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "Balance due $125.00" in detail  # not an A/R customer: no A/R words
    client.force_login(technician)
    assert client.get(reverse("payments:ar_status", args=[customer.pk])).status_code == 403
    assert client.get(reverse("payments:paid_ar", args=[customer.pk])).status_code == 403


def test_it_says_balance_due_to_a_walk_in_and_keeps_the_ar_words_for_an_ar_customer(
    client, statuses, shop_rates, advisor
):
    partly = bill_out(work_order_write(advisor, amount="100.00"), advisor)
    customer = partly.customer
    services.payment_take(by=advisor, work_order=partly, tenders=[cash("40.00")])
    unpaid = bill_out(work_order_write(advisor, amount="30.00", customer=customer), advisor)
    client.force_login(advisor)
    url = reverse("customers:detail", args=[customer.pk])

    walk_in = client.get(url).content.decode()
    assert "Balance due $90.00" in walk_in and ">Payments</a>" in walk_in
    assert "A/R Status" not in walk_in and "Paid A/R" not in walk_in
    assert f">Invoice #{partly.pk}</a>" in walk_in and "$60.00 due" in walk_in
    assert f">Invoice #{unpaid.pk}</a>" in walk_in and "$30.00 due" in walk_in
    assert '<span class="badge badge--warn">Partly paid</span>' in walk_in
    assert '<span class="badge badge--danger">Unpaid</span>' in walk_in

    customer.is_ar = True
    customer.save(update_fields=["is_ar"])
    ar_customer = client.get(url).content.decode()
    assert "A/R Status: balance $90.00" in ar_customer and ">Paid A/R</a>" in ar_customer
    assert "Balance due" not in ar_customer
    assert '<span class="badge badge--warn">Partly paid</span>' in ar_customer


def test_ar_status_reads_in_fixed_queries(
    client, statuses, shop_rates, advisor, django_assert_max_num_queries
):
    first = bill_out(work_order_write(advisor, amount="10.00"), advisor)
    client.force_login(advisor)
    url = reverse("payments:ar_status", args=[first.customer_id])
    with django_assert_max_num_queries(10) as captured:
        client.get(url)
    few = len(captured)
    for _ in range(4):
        bill_out(work_order_write(advisor, amount="10.00", customer=first.customer), advisor)
    with django_assert_max_num_queries(few):
        client.get(url)
