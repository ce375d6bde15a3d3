"""Outbound webhooks: signed deliveries through the outbox, retries, the log, redelivery."""

from __future__ import annotations

import socket
import time

import pytest
from django.urls import reverse

from integrations import services as integration_services
from integrations.models import WebhookEvent, WebhookSubscription
from integrations.webhooks import sign, verify
from messaging.models import Channel, OutboundMessage
from tests.integrations.factories import make_integration
from tests.integrations.receiver import running_receiver
from workorders import services
from workorders.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


def subscribe(owner, url, events):
    integration, _token = make_integration(by=owner)
    return integration_services.webhook_subscription_create(
        by=owner, integration=integration, url=url, events=events
    )


def test_it_signs_and_checks_a_signature():
    signature = sign("whsec_x", 1_700_000_000, '{"a":1}')
    assert verify(
        "whsec_x", timestamp="1700000000", body='{"a":1}', signature=signature, now=1_700_000_100
    )
    assert not verify(
        "whsec_y", timestamp="1700000000", body='{"a":1}', signature=signature, now=1_700_000_100
    )
    assert not verify(
        "whsec_x", timestamp="1700000000", body='{"a":2}', signature=signature, now=1_700_000_100
    )
    # Older than five minutes: a replay.
    assert not verify(
        "whsec_x", timestamp="1700000000", body='{"a":1}', signature=signature, now=1_700_001_000
    )


def test_it_delivers_status_changes_signed_after_commit(
    owner, advisor, estimate, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(
        owner,
        receiver.url,
        [WebhookEvent.WORK_ORDER_STATUS_CHANGED, WebhookEvent.WORK_ORDER_CLOSED],
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.workorder_status_set(
            by=advisor, work_order=estimate, version=None, status=Status.objects.get(number=8)
        )
    # Inside the request only a row was written; nothing was sent yet.
    message = OutboundMessage.objects.get(channel=Channel.WEBHOOK)
    assert message.state == OutboundMessage.State.QUEUED and receiver.received == []
    for callback in callbacks:
        callback()
    [delivery] = receiver.events("work_order.status_changed")
    headers = delivery.headers
    assert verify(
        subscription.secret,
        timestamp=headers["X-Shop-Timestamp"],
        body=delivery.body,
        signature=headers["X-Shop-Signature"],
    )
    assert delivery.json["data"]["id"] == estimate.pk
    assert delivery.json["data"]["status_number"] == 8
    assert headers["X-Shop-Event-Id"] == delivery.json["id"]
    message.refresh_from_db()
    assert message.state == OutboundMessage.State.SENT
    # Other events of this work order (changed) were not subscribed: nothing else came.
    assert len(receiver.received) == 1


def test_it_retries_a_failing_receiver_with_backoff_and_redelivers(
    client, owner, advisor, estimate, receiver, django_capture_on_commit_callbacks
):
    from messaging.services.outbox import outbound_message_send

    receiver.answers = [503]
    subscription = subscribe(owner, receiver.url, [WebhookEvent.WORK_ORDER_CHANGED])
    with django_capture_on_commit_callbacks(execute=True):
        services.workorder_update(by=advisor, work_order=estimate, version=None, concern="Squeak")
    # The first try met a 503; the outbox tried again (at once here, where tasks run
    # inline; after its backoff in the worker) with the same event id.
    message = OutboundMessage.objects.get(channel=Channel.WEBHOOK)
    assert message.state == OutboundMessage.State.SENT and message.attempts == 2
    [failed_try, good_try] = message.tries.all()
    assert "503" in failed_try.error and failed_try.retry_in > 0 and good_try.succeeded
    first, second = receiver.received
    assert first.headers["X-Shop-Event-Id"] == second.headers["X-Shop-Event-Id"]

    # The delivery log shows both tries; the owner sends it again from there.
    url = reverse("integrations:webhook", args=[subscription.integration_id, subscription.pk])
    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200 and "503" in page.content.decode()
    again = reverse(
        "integrations:webhook_redeliver",
        args=[subscription.integration_id, subscription.pk, message.pk],
    )
    client.force_login(advisor)
    assert client.post(again).status_code == 403
    client.force_login(owner)
    response = client.post(again, follow=True)
    assert "on its way again" in response.content.decode()
    # A new outbox row for the worker, with the same body and event id.
    again_message = OutboundMessage.objects.exclude(pk=message.pk).get(channel=Channel.WEBHOOK)
    assert again_message.body == message.body and again_message.sent_by == owner
    outbound_message_send(message_id=again_message.pk)
    assert len(receiver.received) == 3
    assert receiver.received[2].headers["X-Shop-Event-Id"] == first.headers["X-Shop-Event-Id"]


def test_a_dead_receiver_never_slows_the_request(
    owner, advisor, estimate, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscribe(owner, f"http://127.0.0.1:{port}/gone", [WebhookEvent.WORK_ORDER_CHANGED])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=False):
        services.workorder_update(by=advisor, work_order=estimate, version=None, concern="Rattle")
    assert time.monotonic() - started < 1
    # The worker meets the dead receiver and schedules a retry.
    from messaging.services.outbox import outbound_message_send

    message = OutboundMessage.objects.get(channel=Channel.WEBHOOK)
    outcome = outbound_message_send(message_id=message.pk)
    assert outcome.state == OutboundMessage.State.QUEUED and outcome.retry_in


def test_it_sends_vehicle_changes(owner, vehicle, receiver, django_capture_on_commit_callbacks):
    subscribe(owner, receiver.url, [WebhookEvent.VEHICLE_CHANGED])
    with django_capture_on_commit_callbacks(execute=True):
        vehicle.plate = "ABC123"
        vehicle.save()
    [delivery] = receiver.events("vehicle.changed")
    assert delivery.json["data"]["plate"] == "ABC123"


def test_customers_message_lists_leave_webhooks_out(owner, estimate, receiver):
    from messaging import selectors

    subscribe(owner, "http://127.0.0.1:9/none", [WebhookEvent.WORK_ORDER_CHANGED])
    estimate.save()
    assert OutboundMessage.objects.filter(channel=Channel.WEBHOOK).exists()
    assert not selectors.outbound_messages().filter(channel=Channel.WEBHOOK).exists()


def test_the_owner_adds_a_webhook_and_an_advisor_cannot(client, owner, advisor):
    integration, _token = make_integration(by=owner)
    url = reverse("integrations:webhook_add", args=[integration.pk])
    data = {"url": "https://pos.example/hooks", "events": ["work_order.closed"], "is_active": "on"}
    client.force_login(advisor)
    assert client.post(url, data).status_code == 403
    client.force_login(owner)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"url": "not a url", "events": []})
    assert bad.status_code == 200 and not WebhookSubscription.objects.exists()
    response = client.post(url, data)
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 302
    assert subscription.events == ["work_order.closed"] and subscription.secret.startswith("whsec_")
    edit = client.get(reverse("integrations:edit", args=[integration.pk]))
    assert "https://pos.example/hooks" in edit.content.decode()
