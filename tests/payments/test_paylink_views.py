"""Pay by link with the development backend: the customer's pay page, Pretend to pay
(through the webhook's recording path), a deposit asked on an estimate, and the advisor
texting or e-mailing the link through the outbox. Each bad input: a clear message or a
4xx, nothing recorded."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from customers.models import CustomerEmail, CustomerPhone
from messaging.services import customer_link_token_make
from outbox.models import OutboundMessage
from payments import selectors
from payments.models import DepositRequest, LedgerEntry, OnlineCheckout, Payment
from payments.providers.development import SIGNATURE_HEADER, DevelopmentProvider
from tests.payments.conftest import bill_out, cash, work_order_write

pytestmark = pytest.mark.django_db


def pay_url(work_order) -> str:
    return reverse("payments:pay", args=[customer_link_token_make(work_order)])


def pay_and_pretend(client, work_order):
    """The customer presses Pay, then Pretend to pay; returns the last response."""
    response = client.post(pay_url(work_order))
    assert response.status_code == 302
    pretend = response["Location"]
    assert pretend.startswith("/payments/pretend/dev_cs_")
    assert "Pretend to pay $" in client.get(pretend).content.decode()
    return client.post(pretend)


def test_the_pay_page_shows_the_balance_and_pays_with_the_development_backend(
    client, invoice, advisor
):
    from payments import services

    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("40.00")])
    page = client.get(pay_url(invoice)).content.decode()
    assert f"Invoice #{invoice.pk}" in page and "$60.00" in page and "Pay $60.00" in page
    done = pay_and_pretend(client, invoice)
    assert done.status_code == 302 and "/done/" in done["Location"]
    thanks = client.get(done["Location"]).content.decode()
    assert "Paid in full" in thanks
    online = Payment.objects.get(note__startswith="Paid by link")
    assert online.amount == Decimal("60.00") and online.taken_by is None
    assert LedgerEntry.objects.get(payment=online).tender == "online"
    assert selectors.invoice_balance(invoice).balance == Decimal("0.00")
    page = client.get(pay_url(invoice)).content.decode()
    assert "Paid in full" in page and "Pay $" not in page


def test_pretend_to_pay_twice_records_once(client, invoice):
    response = client.post(pay_url(invoice))
    pretend = response["Location"]
    client.post(pretend)
    client.post(pretend)
    assert Payment.objects.count() == 1


def test_the_pay_page_costs_the_same_queries(client, invoice, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get(pay_url(invoice)).status_code == 200


def test_the_customers_link_shows_the_balance_with_pay(client, invoice):
    link = reverse("messaging:customer_link", args=[customer_link_token_make(invoice)])
    page = client.get(link).content.decode()
    assert "Your balance" in page, page
    assert "/payments/pay/" in page


def test_nothing_due_is_refused_with_a_message(client, invoice, advisor):
    from payments import services

    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("100.00")])
    response = client.post(pay_url(invoice))
    assert response.status_code == 409
    assert "Nothing is due" in response.content.decode()
    assert not OnlineCheckout.objects.exists()


def test_a_tampered_or_expired_link_pays_nothing(client, invoice, settings):
    token = customer_link_token_make(invoice)
    bad = reverse("payments:pay", args=[token[:-2] + "xx"])
    assert client.get(bad).status_code == 404
    assert client.post(bad).status_code == 404
    settings.MESSAGING_CUSTOMER_LINK_DAYS = -1
    assert client.post(pay_url(invoice)).status_code == 410
    assert not OnlineCheckout.objects.exists()


def test_pay_is_off_without_a_provider(client, invoice, settings):
    settings.PAYMENTS_PROVIDER = "none"
    page = client.get(pay_url(invoice)).content.decode()
    assert "To pay, call" in page
    assert client.post(pay_url(invoice)).status_code == 409
    assert not OnlineCheckout.objects.exists()


def test_pretend_to_pay_exists_only_with_the_development_backend(client, invoice, settings):
    pretend = client.post(pay_url(invoice))["Location"]
    settings.PAYMENTS_PROVIDER = "stripe"
    assert client.get(pretend).status_code == 404
    assert client.post(pretend).status_code == 404
    assert not Payment.objects.exists()


def test_the_development_webhook_checks_its_signature(client, invoice):
    pretend_ref = client.post(pay_url(invoice))["Location"].split("/")[-2]
    checkout = OnlineCheckout.objects.get()
    assert checkout.provider_checkout_id == pretend_ref
    payload, headers = DevelopmentProvider().notification_make(
        checkout_id=checkout.pk, checkout_ref=pretend_ref, amount=Decimal("100.00"), currency="usd"
    )
    url = reverse("payments:webhook", args=["development"])
    forged = payload.replace(b"100.00", b"1.00")
    signature = headers[SIGNATURE_HEADER]
    response = client.post(
        url, forged, content_type="application/json", HTTP_X_DEVELOPMENT_SIGNATURE=signature
    )
    assert response.status_code == 400 and not Payment.objects.exists()
    response = client.post(
        url, payload, content_type="application/json", HTTP_X_DEVELOPMENT_SIGNATURE=signature
    )
    assert response.status_code == 200 and json.loads(response.content)["recorded"] is True
    assert Payment.objects.get().amount == Decimal("100.00")


# --- A deposit asked on an estimate -------------------------------------------------------


def deposit_url(work_order) -> str:
    return reverse("payments:deposit_request", args=[work_order.pk])


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "more than zero"),
        ("0", "more than zero"),
        ("abc", "must be a number"),
        ("500.00", "more than the $100.00 written"),
        ("10.001", "more than two decimals"),
    ],
)
def test_a_bad_deposit_amount_is_refused(client, statuses, shop_rates, advisor, amount, message):
    estimate = work_order_write(advisor, amount="100.00")
    client.force_login(advisor)
    response = client.post(deposit_url(estimate), {"amount": amount}, follow=True)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not DepositRequest.objects.exists()


def test_a_deposit_on_a_billed_invoice_is_refused(client, invoice, advisor):
    client.force_login(advisor)
    response = client.post(deposit_url(invoice), {"amount": "10"}, follow=True)
    assert "send the invoice" in response.content.decode()
    assert not DepositRequest.objects.exists()


def test_a_technician_cannot_ask_for_a_deposit_or_send_links(client, invoice, technician):
    client.force_login(technician)
    assert client.post(deposit_url(invoice), {"amount": "10"}).status_code == 403
    send = reverse("payments:paylink_send", args=[invoice.pk])
    assert client.post(send, {"channel": "sms", "token": "t1"}).status_code == 403
    assert not OutboundMessage.objects.exists()


def test_a_deposit_asked_is_paid_from_the_link_and_counts_at_bill_out(
    client, statuses, shop_rates, advisor
):
    estimate = work_order_write(advisor, amount="100.00")
    assert "Pay $" not in client.get(pay_url(estimate)).content.decode()
    client.force_login(advisor)
    client.post(deposit_url(estimate), {"amount": "30.00"})
    client.logout()
    page = client.get(pay_url(estimate)).content.decode()
    assert "Deposit on estimate" in page and "Pay $30.00" in page
    pay_and_pretend(client, estimate)
    deposit = Payment.objects.get()
    assert deposit.kind == "deposit" and deposit.amount == Decimal("30.00")
    assert "Pay $" not in client.get(pay_url(estimate)).content.decode()
    invoice = bill_out(estimate, advisor)
    assert selectors.invoice_balance(invoice).balance == Decimal("70.00")
    assert "Pay $70.00" in client.get(pay_url(invoice)).content.decode()


# --- The advisor texts or e-mails the link --------------------------------------------------


def send(client, work_order, channel="sms", token="form-1"):
    url = reverse("payments:paylink_send", args=[work_order.pk])
    return client.post(url, {"channel": channel, "token": token}, follow=True)


def reachable(customer):
    customer.text_consent = customer.email_consent = True
    customer.save()
    CustomerPhone.objects.create(customer=customer, number="(217) 555-0142", e164="+12175550142")
    CustomerEmail.objects.create(customer=customer, address="pat@example.com")


def test_the_advisor_texts_and_e_mails_the_link(client, invoice, advisor):
    reachable(invoice.customer)
    client.force_login(advisor)
    editor = client.get(reverse("workorders:editor", args=[invoice.pk])).content.decode()
    assert "Pay by link" in editor and "Text the link" in editor
    response = send(client, invoice)
    assert "Pay link texted to +12175550142" in response.content.decode()
    text = OutboundMessage.objects.get(channel="sms")
    assert f"your invoice #{invoice.pk}" in text.body and "is ready: $100.00 due" in text.body
    assert "http://testserver/payments/pay/" in text.body
    assert text.customer_id == invoice.customer_id and text.sent_by == advisor
    # The same form twice (a double click) sends one text.
    send(client, invoice)
    assert OutboundMessage.objects.filter(channel="sms").count() == 1
    send(client, invoice, channel="email", token="form-2")
    mail = OutboundMessage.objects.get(channel="email")
    assert mail.to == "pat@example.com" and "is ready" in mail.subject


@pytest.mark.parametrize(
    ("setup", "channel", "message"),
    [
        ("no_phone", "sms", "has no phone number"),
        ("no_consent", "sms", "has not agreed to receive texts"),
        ("paid", "sms", "Nothing is due"),
        ("ok", "fax", "Choose text or e-mail"),
    ],
)
def test_a_link_that_cannot_be_sent_says_why(client, invoice, advisor, setup, channel, message):
    if setup != "no_phone":
        reachable(invoice.customer)
    if setup == "no_consent":
        invoice.customer.text_consent = False
        invoice.customer.save()
    if setup == "paid":
        from payments import services

        services.payment_take(by=advisor, work_order=invoice, tenders=[cash("100.00")])
    client.force_login(advisor)
    response = send(client, invoice, channel=channel)
    assert message in response.content.decode()
    assert not OutboundMessage.objects.exists()
