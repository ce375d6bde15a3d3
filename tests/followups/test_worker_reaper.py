"""A real `celery worker` killed in the middle of a mailing (as the out-of-memory killer
does): the job is failed by the reaper, its partial files are removed, and it runs again.

Marked `worker`: runs for real in CI (PostgreSQL + Redis), skipped elsewhere without Redis.
"""

from __future__ import annotations

import io
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from pypdf import PdfReader

from customers.models import Customer
from followups.models import Mailing, OutputJob
from followups.services.outputs import output_job_rerun, output_job_start, output_jobs_reap
from tests.followups.factories import SavedQueryFactory
from tests.worker_fixture import start_worker_process

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
State = OutputJob.State
CUSTOMERS = 900  # 30 label sheets: three batches of 12, 12 and 6 sheets


def wait_for(predicate, *, timeout: float = 60.0, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def job_now(job: OutputJob) -> OutputJob:
    job.refresh_from_db()
    return job


def test_a_mailing_whose_worker_is_killed_midway_is_failed_cleaned_and_runs_again(settings, owner):
    Customer.objects.bulk_create(
        Customer(first_name=f"Ana{i:04d}", last_name="Rivera", address_line1=f"{i} Elm St",
                 city="Springfield", state="IL", postcode="62704")
        for i in range(CUSTOMERS)
    )  # fmt: skip
    query = SavedQueryFactory(name="Everyone")
    # The worker renders batches in its own process, slowly enough to be caught midway,
    # and writes its files where this test reads them.
    env = {"FOLLOWUPS_PDF_WORKERS": "1", "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with start_worker_process(env=env) as (queue, worker):
        settings.FOLLOWUPS_TASK_QUEUE = queue
        job = output_job_start(by=owner, kind="labels", query=query)
        wait_for(lambda: job_now(job).done > 0, what="the first batch of labels")
        work_dir = Path(job.work_dir)
        assert job.state == State.RUNNING and work_dir.is_dir()
        worker.send_signal(signal.SIGKILL)  # what the out-of-memory killer does
        worker.wait(timeout=10)

    # The worker is gone and nothing else will ever finish the job: it stays "running".
    time.sleep(1)
    assert job_now(job).state == State.RUNNING
    # Too soon for the reaper: a live worker may just be between heartbeats.
    assert output_jobs_reap() == []
    later = timezone.now() + timedelta(seconds=django_settings.FOLLOWUPS_JOB_HEARTBEAT_TIMEOUT + 5)
    assert output_jobs_reap(now=later) == [job.pk]
    job = job_now(job)
    assert job.state == State.FAILED
    assert "stopped without finishing" in job.error
    assert not job.file and not work_dir.exists()
    assert not Mailing.objects.exists()

    with start_worker_process(env=env) as (queue, _):
        settings.FOLLOWUPS_TASK_QUEUE = queue
        again = output_job_rerun(by=owner, job=job)
        wait_for(lambda: job_now(again).is_finished, timeout=120, what="the run again")
    assert again.state == State.DONE, again.error
    with again.file.open("rb") as handle:
        assert len(PdfReader(io.BytesIO(handle.read())).pages) == CUSTOMERS // 30
    assert Mailing.objects.filter(job=again).count() == CUSTOMERS
