"""Fleet webhooks with a real Redis and a real `celery worker`: the broker is down when a
repair order is submitted to the fleet; the request succeeds and the relay delivers.

Marked `worker`: they run for real in CI (PostgreSQL + Redis) and skip elsewhere.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fleet.models import FleetRequest, FleetWebhook, RequestState
from fleet.services import webhook_verify
from outbox.models import OutboundMessage
from outbox.services import outbound_relay
from outbox.tasks import send_outbound_message
from shop.tasks import worker_heartbeat
from tests.integrations.receiver import running_receiver
from tests.worker_fixture import broker_down, start_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

State = OutboundMessage.State


def drain(queue: str) -> None:
    """Wait until the worker has run everything published before now (one worker, FIFO)."""
    worker_heartbeat.apply_async(queue=queue).get(timeout=30)


def sent(delivery: FleetWebhook) -> bool:
    delivery.refresh_from_db()
    return delivery.state == State.SENT


def test_the_broker_is_down_when_a_repair_order_is_sent_to_the_fleet(
    client, settings, advisor, company, fleet_work_order
):
    with running_receiver() as receiver, start_worker() as queue:
        company.webhook_url = receiver.url
        company.save()
        settings.OUTBOX_TASK_QUEUE = queue
        client.force_login(advisor)
        url = reverse("fleet:send", args=[fleet_work_order.pk])
        with broker_down():
            started = time.monotonic()
            response = client.post(url, {"note": "Front pads at 2 mm"})
            assert time.monotonic() - started < 15, "the submit hung on the dead broker"
        # No 500: the submission is saved, its webhook waits in the outbox.
        assert response.status_code == 302
        assert FleetRequest.objects.get().state == RequestState.AWAITING
        delivery = FleetWebhook.objects.get()
        assert delivery.state == State.QUEUED
        drain(queue)
        assert receiver.received == []

        # The broker is back: the relay (beat) finds the row and the worker posts it.
        FleetWebhook.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
        assert outbound_relay()["published"] == 1
        wait_for(lambda: sent(delivery), what="the relayed fleet webhook to be posted")
        # Another relay run, and a late duplicate of the task, post nothing more.
        outbound_relay()
        send_outbound_message.apply_async((delivery.pk,), queue=queue)
        drain(queue)
    [posted] = receiver.received
    assert webhook_verify(
        secret=company.webhook_secret,
        timestamp=posted.headers["X-Fleet-Timestamp"],
        signature=posted.headers["X-Fleet-Signature"],
        body=posted.body.encode(),
    )
    assert posted.headers["X-Fleet-Company-Id"] == "RR-100"
    assert posted.json["event"] == "repair_order.submitted"
    assert posted.json["notes"][0]["body"] == "Front pads at 2 mm"
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_fleet_network_that_fails_then_answers_gets_one_delivery_with_the_retries_logged(
    settings, advisor, company, fleet_work_order
):
    from fleet.services import fleet_request_submit

    with (
        running_receiver() as receiver,
        start_worker(env={"OUTBOX_RETRY_BASE_SECONDS": "0.2"}) as queue,
    ):
        receiver.answers = [503, 503]
        company.webhook_url = receiver.url
        company.save()
        settings.OUTBOX_TASK_QUEUE = queue
        fleet_request_submit(by=advisor, work_order=fleet_work_order)
        delivery = FleetWebhook.objects.get()
        wait_for(lambda: sent(delivery), what="the retried fleet webhook to be posted")
        drain(queue)
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and len(receiver.received) == 3
    tries = list(delivery.tries.order_by("number"))
    assert [t.succeeded for t in tries] == [False, False, True]
    assert [t.retry_in for t in tries[:2]] == [0.2, 0.4]
