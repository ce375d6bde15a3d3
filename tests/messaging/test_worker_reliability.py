"""The outbox with a real Redis and a real `celery worker`: never lost, never twice.

Marked `worker`: they run for real in CI (PostgreSQL + Redis) and skip elsewhere
when Redis is absent.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import DevSms
from messaging.services.outbox import message_enqueue
from outbox.models import OutboundMessage, SendAttempt
from outbox.services import outbound_relay
from outbox.tasks import send_outbound_message, send_outbound_messages
from shop.tasks import worker_heartbeat
from tests.worker_fixture import broker_down, start_worker, wait_for
from workorders.models import WorkOrder
from workorders.services import workorder_status_set

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

State = OutboundMessage.State


def drain(queue: str) -> None:
    """Wait until the worker has run everything published before now (one worker, FIFO)."""
    worker_heartbeat.apply_async(queue=queue).get(timeout=30)


def state(message: OutboundMessage) -> str:
    message.refresh_from_db()
    return message.state


def test_the_broker_is_down_when_a_work_order_changes_status(settings, estimate, statuses, advisor):
    """The change is saved; the update goes out once the broker is back, exactly once."""
    with start_worker() as queue:
        settings.OUTBOX_TASK_QUEUE = queue
        with broker_down():
            started = time.monotonic()
            workorder_status_set(
                by=advisor, work_order=estimate, version=estimate.version, status=statuses[2]
            )
            assert time.monotonic() - started < 15, "the status change hung on the dead broker"
        # The change is saved; the update waits in the outbox.
        assert WorkOrder.objects.get(pk=estimate.pk).status == statuses[2]
        message = OutboundMessage.objects.get(channel="sms")
        assert state(message) == State.QUEUED
        drain(queue)
        assert not DevSms.objects.exists()

        # The broker is back: the relay (beat) finds the rows and the worker sends them.
        OutboundMessage.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
        assert outbound_relay()["published"] == 2  # the text and the e-mail
        wait_for(lambda: state(message) == State.SENT, what="the relayed text to be sent")
        # Another relay run, and a late duplicate of the task, send nothing more.
        outbound_relay()
        send_outbound_message.apply_async((message.pk,), queue=queue)
        drain(queue)
        assert DevSms.objects.count() == 1
        assert DevSms.objects.get().body.startswith("Hi Rosa Diaz, the estimate for your")
        assert state(message) == State.SENT
        assert OutboundMessage.objects.filter(state=State.SENT).count() == 2


def test_the_same_task_delivered_twice_sends_once(settings):
    with start_worker() as queue:
        settings.OUTBOX_TASK_QUEUE = queue
        message = message_enqueue(
            channel="sms", to="+13125550124", body="Ready", idempotency_key="twice"
        )
        # The commit published one task; deliver it twice more, alone and in a batch.
        send_outbound_message.apply_async((message.pk,), queue=queue)
        send_outbound_messages.apply_async(([message.pk, message.pk],), queue=queue)
        drain(queue)
        assert state(message) == State.SENT
        assert DevSms.objects.count() == 1
        message.refresh_from_db()
        assert message.attempts == 1


def test_the_provider_fails_then_succeeds_one_delivery_with_the_retries_logged(settings):
    env = {
        "SMS_BACKEND": "tests.messaging.backends.FlakySmsBackend",
        "FLAKY_SMS_FAILURES": "2",
        "OUTBOX_RETRY_BASE_SECONDS": "0.2",
    }
    with start_worker(env=env) as queue:
        settings.OUTBOX_TASK_QUEUE = queue
        message = message_enqueue(
            channel="sms", to="+13125550125", body="Ready", idempotency_key="flaky"
        )
        wait_for(lambda: state(message) == State.SENT, what="the retried message to be sent")
        drain(queue)
    message.refresh_from_db()
    assert message.attempts == 3
    assert DevSms.objects.count() == 1
    tries = list(SendAttempt.objects.filter(message=message).order_by("number"))
    assert [t.succeeded for t in tries] == [False, False, True]
    assert all("503" in t.error for t in tries[:2])
    assert [t.retry_in for t in tries[:2]] == [0.2, 0.4]
