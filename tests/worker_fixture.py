"""A real `celery worker` subprocess against the test database, on its own queue.

Used by tests marked `worker` (they run for real in CI, with Redis):

    from tests.worker_fixture import start_worker

    with start_worker(env={"SMS_BACKEND": "dev"}) as queue:
        task.apply_async(queue=queue)
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL (set DATABASE_URL)")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def start_worker(
    *, env: dict[str, str] | None = None, concurrency: int = 1, pool: str = "solo"
) -> Iterator[str]:
    """Start a worker on a fresh queue; yield the queue's name; stop the worker after."""
    with start_worker_process(env=env, concurrency=concurrency, pool=pool) as (queue, _):
        yield queue


@contextlib.contextmanager
def start_worker_process(
    *, env: dict[str, str] | None = None, concurrency: int = 1, pool: str = "solo"
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Like start_worker, yielding the process too, for tests that kill the worker."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("WORKER_SETTINGS", "config.test_settings"),
        "DATABASE_URL": database_url(),
        **(env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--queues={queue}",
            f"--hostname={queue}@%h",
        ],
        cwd=ROOT,
        env=process_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue, process
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if os.environ.get("CI"):
            print(output[-4000:])


def wait_for(predicate, *, timeout: float = 30.0, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def broker_down():
    """Point this process's publisher at a port where nothing listens, then back."""
    from config.celery import app

    previous = app.conf.broker_url

    def reset_pools() -> None:
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        reset_pools()
