"""A record saved several times in one transaction (a sync, a service calling services)
sends one created or changed delivery per subscriber, carrying the final data."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from customers import services as customer_services
from integrations import services as integration_services
from integrations.models import WebhookEvent
from outbox.models import Channel, OutboundMessage
from tests.integrations.factories import bearer, make_integration
from tests.integrations.receiver import running_receiver
from tests.integrations.test_sync import lines_payload, many_lines, put
from tests.workorders.factories import CustomerFactory

# Real transactions: each request commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def test_a_synced_work_order_sends_one_created_then_one_changed(
    client, owner, vehicle, statuses, shop_rates, receiver
):
    integration, token = make_integration(by=owner, name="POS", security_level=1)
    both = integration_services.webhook_subscription_create(
        by=owner,
        integration=integration,
        url=receiver.url,
        events=[WebhookEvent.WORK_ORDER_CREATED, WebhookEvent.WORK_ORDER_CHANGED],
    )
    changed_only = integration_services.webhook_subscription_create(
        by=owner,
        integration=integration,
        url=receiver.url,
        events=[WebhookEvent.WORK_ORDER_CHANGED],
    )
    url = "/api/v1/sync/work-orders/ONE/"
    payload = lines_payload(vehicle, many_lines(4))
    payload["jobs"].append({"external_id": "J-2", "title": "Wipers", "lines": many_lines(1)})
    created = put(client, url, token, payload)
    assert created.status_code == 201
    deliveries = OutboundMessage.objects.filter(channel=Channel.WEBHOOK)
    assert sorted(deliveries.values_list("cause_id", "subject")) == sorted(
        [(both.pk, "work_order.created"), (changed_only.pk, "work_order.changed")]
    )
    # What was delivered is the work order as it was committed, totals and all.
    [first] = receiver.events("work_order.created")
    assert first.json["data"]["id"] == created.json()["id"]
    assert first.json["data"]["updated_at"] is not None

    payload = lines_payload(vehicle, many_lines(4, price="20"))
    assert put(client, url, token, payload).status_code == 200
    assert deliveries.filter(subject="work_order.changed").count() == 3  # one more each
    assert len(receiver.events("work_order.changed")) == 3
    # Sent again unchanged: nothing saved, nothing sent.
    assert put(client, url, token, payload).status_code == 200
    assert deliveries.count() == 4
    assert client.get("/api/v1/work-orders/", **bearer(token)).status_code == 200


def test_a_vehicle_added_then_changed_in_one_transaction_is_one_created_event(owner):
    integration, _token = make_integration(by=owner, name="Tablets", security_level=1)
    integration_services.webhook_subscription_create(
        by=owner,
        integration=integration,
        url="http://127.0.0.1:9/none",
        events=[WebhookEvent.VEHICLE_CHANGED],
    )
    with transaction.atomic():
        vehicle = customer_services.vehicle_create(
            by=owner, customer=CustomerFactory(), plate="OLD1"
        )
        customer_services.vehicle_update(by=owner, vehicle=vehicle, plate="NEW1")
    [delivery] = OutboundMessage.objects.filter(channel=Channel.WEBHOOK, subject="vehicle.changed")
    data = json.loads(delivery.body)["data"]
    assert (data["plate"], data["created"]) == ("NEW1", True)
