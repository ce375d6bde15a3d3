"""A real Celery worker on Redis runs a task: its result comes back, its write is stored."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from shop.models import WorkerHeartbeat
from shop.tasks import worker_heartbeat

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL (set DATABASE_URL)")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db):
    """A `celery worker` process on its own queue, against the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--queues={queue}",
            f"--hostname={queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if os.environ.get("CI"):
            print(output[-4000:])


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
