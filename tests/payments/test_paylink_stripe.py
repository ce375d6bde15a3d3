"""The Stripe backend without the network: the Checkout Session request the stripe library
would send (its HTTP client replaced by one that records the request and answers canned
JSON), and the webhook with a real signature computed from a test signing secret."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
import stripe
from django.urls import reverse

from payments import selectors, services
from payments.models import LedgerEntry, OnlineCheckout, OnlinePaymentReceipt, Payment
from payments.providers.stripe import StripeProvider
from tests.payments.conftest import cash, reopen

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "whsec_test_paylink_0123456789"
WEBHOOK_URL = "/payments/webhooks/stripe/"


class RecordingClient(stripe.HTTPClient):
    """Stripe's HTTP boundary: keeps each request, answers a canned Checkout Session."""

    name = "recording"

    def __init__(self, answer: dict, status: int = 200):
        super().__init__()
        self.answer, self.status, self.requests = answer, status, []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        self.requests.append(
            {"method": method, "url": url, "headers": dict(headers or {}), "body": post_data}
        )
        return json.dumps(self.answer), self.status, {"Request-Id": "req_test_1"}

    def close(self):
        pass


@pytest.fixture
def stripe_settings(settings):
    settings.PAYMENTS_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_paylink"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_CURRENCY = "usd"
    return settings


def checkout_open(invoice, client_answer=None) -> tuple[OnlineCheckout, RecordingClient]:
    http = RecordingClient(
        client_answer
        or {
            "id": "cs_test_a1",
            "object": "checkout.session",
            "url": "https://checkout.stripe.com/c/pay/cs_test_a1",
        }
    )
    started = services.online_checkout_start(
        work_order_id=invoice.pk,
        success_url="http://testserver/done",
        cancel_url="http://testserver/back",
        provider=StripeProvider(http_client=http),
    )
    assert started.redirect_url == "https://checkout.stripe.com/c/pay/cs_test_a1"
    return OnlineCheckout.objects.get(), http


def signed(payload: bytes, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """Stripe's scheme: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<payload>")."""
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def session_event(
    checkout: OnlineCheckout,
    *,
    event_id="evt_test_1",
    amount_total=10000,
    currency="usd",
    payment_intent="pi_test_1",
    checkout_id=None,
    event_type="checkout.session.completed",
    payment_status="paid",
) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "data": {
                "object": {
                    "id": checkout.provider_checkout_id,
                    "object": "checkout.session",
                    "amount_total": amount_total,
                    "currency": currency,
                    "payment_intent": payment_intent,
                    "payment_status": payment_status,
                    "client_reference_id": str(checkout_id or checkout.pk),
                    "metadata": {"shop_checkout_id": str(checkout_id or checkout.pk)},
                }
            },
        }
    ).encode()


def deliver(client, payload: bytes, signature: str | None = None):
    return client.post(
        WEBHOOK_URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature if signature is not None else signed(payload),
    )


def test_pay_opens_a_checkout_session_with_the_invoice_balance(stripe_settings, invoice):
    checkout, http = checkout_open(invoice)
    [sent] = http.requests
    assert sent["method"] == "post"
    assert sent["url"] == "https://api.stripe.com/v1/checkout/sessions"
    assert sent["headers"]["Authorization"] == "Bearer sk_test_paylink"
    assert sent["headers"]["Idempotency-Key"].startswith(f"shop-checkout-{checkout.pk}-")
    body = parse_qs(sent["body"])
    assert body["mode"] == ["payment"]
    assert body["line_items[0][price_data][unit_amount]"] == ["10000"]
    assert body["line_items[0][price_data][currency]"] == ["usd"]
    assert body["metadata[shop_checkout_id]"] == [str(checkout.pk)]
    assert body["client_reference_id"] == [str(checkout.pk)]
    assert body["success_url"] == ["http://testserver/done"]
    assert f"invoice #{invoice.pk}" in body["line_items[0][price_data][product_data][name]"][0]
    assert checkout.amount == Decimal("100.00") and checkout.kind == "invoice"
    assert checkout.provider == "stripe" and checkout.provider_checkout_id == "cs_test_a1"


def test_stripe_refusing_the_session_is_a_clear_message(stripe_settings, invoice):
    from shop.errors import ServiceError

    refusal = {"error": {"message": "Invalid API Key", "type": "invalid_request_error"}}
    http = RecordingClient(refusal, 401)
    with pytest.raises(ServiceError, match="could not be opened"):
        services.online_checkout_start(
            work_order_id=invoice.pk,
            success_url="http://testserver/done",
            cancel_url="http://testserver/back",
            provider=StripeProvider(http_client=http),
        )
    assert OnlineCheckout.objects.get().provider_checkout_id == ""
    assert not Payment.objects.exists()


def test_a_signed_webhook_records_the_payment_once_however_often_it_comes(
    stripe_settings, invoice, client
):
    from payments import events

    received, paid = [], []

    def on_received(sender, payment, by, **kwargs):
        received.append(payment)

    def on_paid(sender, work_order, by, **kwargs):
        paid.append(work_order)

    events.payment_received.connect(on_received)
    events.invoice_paid.connect(on_paid)
    checkout, _ = checkout_open(invoice)
    payload = session_event(checkout)
    response = deliver(client, payload)
    assert response.status_code == 200 and response.json()["recorded"] is True
    payment = Payment.objects.get()
    [entry] = LedgerEntry.objects.filter(kind="payment")
    assert entry.tender == "online" and entry.reference == "pi_test_1"
    assert entry.amount == Decimal("-100.00") and payment.work_order_id == invoice.pk
    assert selectors.invoice_balance(invoice).balance == Decimal("0.00")
    assert received == [payment] and [wo.pk for wo in paid] == [invoice.pk]
    # The same event again, and another event about the same payment: nothing more.
    assert deliver(client, payload).json()["recorded"] is False
    again = session_event(
        checkout, event_id="evt_test_2", event_type="checkout.session.async_payment_succeeded"
    )
    assert deliver(client, again).status_code == 200
    assert Payment.objects.count() == 1 and OnlinePaymentReceipt.objects.count() == 1
    assert len(received) == 1
    events.payment_received.disconnect(on_received)
    events.invoice_paid.disconnect(on_paid)


def nothing_recorded():
    return not Payment.objects.exists() and not OnlinePaymentReceipt.objects.exists()


def test_a_bad_signature_is_refused_and_logged(stripe_settings, invoice, client, caplog):
    checkout, _ = checkout_open(invoice)
    payload = session_event(checkout)
    response = deliver(client, payload, signed(payload, secret="whsec_someone_else"))
    assert response.status_code == 400 and nothing_recorded()
    assert "bad signature" in caplog.text
    assert deliver(client, payload, "").status_code == 400
    assert deliver(client, payload, "t=1,v1=abc").status_code == 400
    assert nothing_recorded()


def test_a_replayed_notification_signed_long_ago_is_refused(stripe_settings, invoice, client):
    checkout, _ = checkout_open(invoice)
    payload = session_event(checkout)
    response = deliver(client, payload, signed(payload, at=int(time.time()) - 3600))
    assert response.status_code == 400 and nothing_recorded()


def test_a_tampered_payload_under_a_good_signature_is_refused(stripe_settings, invoice, client):
    checkout, _ = checkout_open(invoice)
    payload = session_event(checkout)
    signature = signed(payload)
    tampered = payload.replace(b"10000", b"10001")
    assert deliver(client, tampered, signature).status_code == 400 and nothing_recorded()


@pytest.mark.parametrize(
    ("changes", "status", "logged"),
    [
        ({"amount_total": 5000}, 400, "is not the 100.00 USD asked"),
        ({"amount_total": 10001}, 400, "is not the 100.00 USD asked"),
        ({"currency": "eur"}, 400, "is not the 100.00 USD asked"),
        ({"checkout_id": 999999}, 404, "No such checkout"),
    ],
)
def test_a_notification_that_does_not_match_the_checkout_is_refused(
    stripe_settings, invoice, client, caplog, changes, status, logged
):
    checkout, _ = checkout_open(invoice)
    response = deliver(client, session_event(checkout, **changes))
    assert response.status_code == status
    assert logged in response.json()["error"] and logged in caplog.text
    assert nothing_recorded()
    assert selectors.invoice_balance(invoice).balance == Decimal("100.00")


def test_a_payment_for_a_reopened_invoice_is_refused(
    stripe_settings, invoice, client, advisor, caplog
):
    checkout, _ = checkout_open(invoice)
    reopen(invoice, advisor)
    response = deliver(client, session_event(checkout))
    assert response.status_code == 409 and "not billed out" in response.json()["error"]
    assert "Refund it at the provider" in caplog.text
    assert nothing_recorded()


def test_events_that_record_nothing_are_acknowledged(stripe_settings, invoice, client):
    checkout, _ = checkout_open(invoice)
    unpaid = session_event(checkout, payment_status="unpaid")
    other = session_event(checkout, event_type="payment_intent.created")
    for payload in (unpaid, other):
        response = deliver(client, payload)
        assert response.status_code == 200 and response.json()["recorded"] is False
    assert nothing_recorded()


def test_the_webhook_of_a_backend_not_selected_is_not_found(settings, invoice, client):
    settings.PAYMENTS_PROVIDER = "development"
    response = client.post(WEBHOOK_URL, data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert client.get(reverse("payments:webhook", args=["stripe"])).status_code == 405


@pytest.mark.parametrize(
    ("provider", "allowed", "secret", "hook", "ids"),
    [
        ("development", False, "", "", ["payments.E001"]),
        ("development", True, "", "", []),
        ("stripe", False, "sk_test_x", "", ["payments.E002"]),
        ("stripe", False, "", WEBHOOK_SECRET, ["payments.E002"]),
        ("stripe", False, "sk_test_x", WEBHOOK_SECRET, []),
        ("none", False, "", "", []),
    ],
)
def test_the_deployment_check_refuses_pretend_payments_and_stripe_without_keys(
    settings, provider, allowed, secret, hook, ids
):
    from config.checks import pay_by_link_is_safe

    settings.PAYMENTS_PROVIDER = provider
    settings.PAYMENTS_DEVELOPMENT_ALLOWED = allowed
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = secret, hook
    assert [message.id for message in pay_by_link_is_safe()] == ids


def test_a_payment_after_the_days_close_lands_on_the_next_open_day(
    stripe_settings, invoice, client, advisor, owner
):
    """End of Day has closed today's drawer when the customer pays by link: the closed
    day's figures stay as closed, the payment is counted on tomorrow (still open) and keeps
    the moment it really arrived."""
    from django.utils import timezone

    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    services.payment_take(by=advisor, work_order=invoice, tenders=[cash("40.00")])
    drawer = services.drawer_default()
    services.day_close(by=advisor, drawer=drawer, business_date=today, counted={"cash": "40"})
    closed_sales = selectors.daily_sales(today)
    closed_day = selectors.drawer_day(drawer_id=drawer.pk, business_date=today)
    checkout, _ = checkout_open(invoice)
    before = timezone.now()

    response = deliver(client, session_event(checkout, amount_total=6000))

    assert response.status_code == 200 and response.json()["recorded"] is True
    online = Payment.objects.get(note__startswith="Paid by link")
    assert (online.amount, online.drawer_id, online.business_date) == (
        Decimal("60.00"),
        drawer.pk,
        tomorrow,
    )
    assert online.taken_at >= before and timezone.localdate(online.taken_at) == today
    assert "after Front counter's End of Day, counted on" in online.note
    assert set(
        LedgerEntry.objects.filter(payment=online).values_list("business_date", flat=True)
    ) == {tomorrow}
    assert selectors.invoice_balance(invoice).balance == Decimal("0.00")
    # The closed day: the same figures as at its close.
    assert selectors.daily_sales(today) == closed_sales
    assert selectors.drawer_day(drawer_id=drawer.pk, business_date=today).rows == closed_day.rows
    assert closed_sales.collected == Decimal("40.00")
    # Tomorrow: the online payment, on End of Day and on Daily Sales.
    open_day = selectors.drawer_day(drawer_id=drawer.pk, business_date=tomorrow)
    assert open_day.close is None and open_day.expected == {"online": Decimal("60.00")}
    sales = selectors.daily_sales(tomorrow)
    assert dict(sales.by_tender)["Online (pay by link)"] == Decimal("60.00")
    assert sales.collected == Decimal("60.00")
    client.force_login(owner)
    page = client.get(reverse("payments:daily_sales") + f"?date={tomorrow}").content.decode()
    assert 'data-testid="collected"><strong>$60.00' in page


def test_a_payment_on_a_day_still_open_is_dated_that_day(stripe_settings, invoice, client):
    from django.utils import timezone

    checkout, _ = checkout_open(invoice)
    assert deliver(client, session_event(checkout)).json()["recorded"] is True
    payment = Payment.objects.get()
    assert payment.business_date == timezone.localdate(payment.taken_at) == timezone.localdate()
    assert "End of Day" not in payment.note
