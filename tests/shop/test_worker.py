"""A real Celery worker on Redis runs a task: its result comes back, its write is stored."""

from __future__ import annotations

import threading
import time

import pytest
from celery import Celery
from django.conf import settings

from shop.models import WorkerHeartbeat
from shop.tasks import worker_heartbeat
from tests.worker_fixture import start_worker


@pytest.fixture
def worker(transactional_db):
    """A `celery worker` process on its own queue, against the test database."""
    with start_worker() as queue:
        yield queue


@pytest.mark.worker
def test_a_worker_runs_the_task_and_writes_the_database(worker):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    from config.celery import app

    assert not app.conf.task_always_eager
    result = worker_heartbeat.apply_async(queue=worker)
    value = result.get(timeout=60)
    assert value["beats"] == 1
    heartbeat = WorkerHeartbeat.objects.get(hostname=value["hostname"])
    assert heartbeat.beats == 1
    # Run again: the same row counts up.
    assert worker_heartbeat.apply_async(queue=worker).get(timeout=30)["beats"] == 2


def test_a_broker_that_is_down_raises_instead_of_hanging():
    app = Celery("broker-down-check")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app.conf.task_always_eager = False
    outcome: dict = {}

    def send():
        started = time.monotonic()
        try:
            app.send_task("shop.tasks.worker_heartbeat")
        except Exception as error:  # what kombu raises depends on the transport
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "publishing to a dead broker hung"
    assert "error" in outcome, "publishing to a dead broker did not raise"
