"""A real `celery worker` killed in the middle of an import (as the out-of-memory killer
does): the import is stopped part-way with whole batches only, and resuming it carries on
from its watermark to exactly what the dry run counted.

Marked `worker`: runs for real in CI (PostgreSQL + Redis), skipped elsewhere without Redis.
"""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Customer, Vehicle
from imports.models import ExternalId, ImportRun
from imports.services import (
    counts_expected,
    import_apply_start,
    import_decisions_set,
    import_runs_reap,
)
from imports.services.apply import heartbeat_timeout
from tests.imports.helpers import checked_run
from tests.worker_fixture import start_worker_process
from workorders.models import Line, WorkOrder

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, *, timeout: float = 120.0, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def now(run: ImportRun) -> ImportRun:
    run.refresh_from_db()
    return run


def test_an_import_whose_worker_is_killed_midway_resumes_to_what_the_dry_run_counted(
    settings, shop, owner, sample_paths
):
    run = checked_run(owner, sample_paths)
    import_decisions_set(by=owner, run_id=run.pk, duplicates={}, skip_bad_rows=True)
    expected = counts_expected(now(run))
    env = {"TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with start_worker_process(env=env) as (queue, worker):
        settings.IMPORTS_TASK_QUEUE = queue
        import_apply_start(by=owner, run_id=run.pk)
        wait_for(
            lambda: now(run).phase == ImportRun.Phase.INVOICES and run.position > 0,
            what="the first batch of invoices",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    time.sleep(1)
    run = now(run)
    assert run.state == ImportRun.State.RUNNING and run.applying
    written = WorkOrder.objects.count()
    # Whole batches only: what the watermark says was written, and nothing of a half batch.
    assert 0 < written < expected["invoices"]["create"]
    assert ExternalId.objects.filter(kind="invoice").count() == written
    assert Customer.objects.count() == expected["customers"]["create"]
    # Too soon for the reaper; after the heartbeat timeout it is stopped, resumable.
    assert import_runs_reap() == []
    assert import_runs_reap(now=timezone.now() + heartbeat_timeout() + timedelta(seconds=5)) == [
        run.pk
    ]
    run = now(run)
    assert run.state == ImportRun.State.STOPPED and run.applying is None
    assert "resume" in run.error

    with start_worker_process(env=env) as (queue, _):
        settings.IMPORTS_TASK_QUEUE = queue
        import_apply_start(by=owner, run_id=run.pk)
        wait_for(lambda: now(run).state == ImportRun.State.DONE, timeout=600, what="the resume")
    assert Customer.objects.count() == expected["customers"]["create"]
    assert Vehicle.objects.count() == expected["vehicles"]["create"]
    assert WorkOrder.objects.count() == expected["invoices"]["create"]
    assert Line.objects.count() == expected["invoice_lines"]["create"]
    for kind in ["customers", "vehicles", "invoices", "invoice_lines"]:
        assert run.counts[kind]["create"] == expected[kind]["create"], kind
