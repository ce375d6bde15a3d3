"""`payment.received` and `invoice.paid` through the integrations' signed webhooks: an
outbox row in the payment's transaction, sent after commit; nothing when the payment is
refused."""

from __future__ import annotations

import pytest

from integrations import services as integration_services
from integrations.webhooks import verify
from outbox.models import Channel, OutboundMessage
from payments import services
from shop.errors import ServiceError
from tests.integrations.factories import make_integration
from tests.integrations.receiver import running_receiver
from tests.payments.conftest import card, cash

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def subscribe(owner, url, events):
    integration, _token = make_integration(by=owner, name="Bookkeeping")
    return integration_services.webhook_subscription_create(
        by=owner, integration=integration, url=url, events=events
    )


def test_a_partial_then_a_final_payment_send_received_twice_and_paid_once(
    owner, advisor, invoice, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(owner, receiver.url, ["payment.received", "invoice.paid"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.payment_take(by=advisor, work_order=invoice, tenders=[cash("30.00")])
        # Inside the transaction: a queued row, nothing sent yet.
        assert OutboundMessage.objects.filter(channel=Channel.WEBHOOK).count() == 1
        second = services.payment_take(
            by=advisor, work_order=invoice, tenders=[cash("20.00"), card("50.00", last4="4444")]
        )
    assert receiver.received == []
    for callback in callbacks:
        callback()

    received = receiver.events("payment.received")
    assert [d.json["data"]["id"] for d in received] == [first.pk, second.pk]
    data = received[1].json["data"]
    assert data["url"] == f"/api/v1/payments/{second.pk}/"
    assert data["amount"] == "70.00" and data["customer_id"] == invoice.customer_id
    assert [(t["tender"], t["amount"], t["card_last4"]) for t in data["tenders"]] == [
        ("cash", "20.00", ""),
        ("card", "50.00", "4444"),
    ]
    assert data["applied"] == [{"work_order_id": invoice.pk, "amount": "70.00"}]
    [paid] = receiver.events("invoice.paid")
    assert paid.json["data"] == {
        "id": invoice.pk,
        "url": f"/api/v1/work-orders/{invoice.pk}/",
        "balance_url": f"/api/v1/invoices/{invoice.pk}/balance/",
        "customer_id": invoice.customer_id,
        "billed": "100.00",
        "paid": "100.00",
        "balance": "0.00",
        "closed_at": paid.json["data"]["closed_at"],
    }
    assert paid.json["data"]["closed_at"] is not None
    for delivery in receiver.received:
        assert verify(
            subscription.secret,
            timestamp=delivery.headers["X-Shop-Timestamp"],
            body=delivery.body,
            signature=delivery.headers["X-Shop-Signature"],
        )


def test_a_refused_payment_sends_nothing_and_others_events_are_not_sent(
    owner, advisor, invoice, receiver, django_capture_on_commit_callbacks
):
    subscribe(owner, receiver.url, ["invoice.paid"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ServiceError):
            services.payment_take(by=advisor, work_order=invoice, tenders=[cash("150.00")])
        services.payment_take(by=advisor, work_order=invoice, tenders=[cash("40.00")])
    # The refused one left no row; the partial one is not "paid", and payment.received
    # is not subscribed.
    assert not OutboundMessage.objects.filter(channel=Channel.WEBHOOK).exists()
    assert receiver.received == []


def test_the_subscription_form_offers_the_money_events(owner):
    integration, _token = make_integration(by=owner)
    subscription = integration_services.webhook_subscription_create(
        by=owner,
        integration=integration,
        url="https://books.example.com/hooks",
        events=["invoice.paid", "payment.received"],
    )
    assert subscription.events == ["payment.received", "invoice.paid"]
    assert subscription.event_labels() == ["Payment received", "Invoice paid"]
