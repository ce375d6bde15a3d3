"""Output jobs whose worker died: the reaper fails them, removes their partial files, and the
shop runs them again."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from followups.models import Mailing, OutputJob
from followups.services.outputs import (
    output_job_rerun,
    output_job_run,
    output_job_start,
    output_jobs_reap,
)
from followups.tasks import reap_output_jobs
from shop.errors import ServiceError
from tests.followups.factories import (
    CustomerFactory,
    LetterTemplateFactory,
    SavedQueryFactory,
    VehicleFactory,
    invoice,
)

pytestmark = pytest.mark.django_db
State = OutputJob.State


@pytest.fixture
def customers():
    today = timezone.localdate()
    for i in range(3):
        invoice(VehicleFactory(customer=CustomerFactory(first_name=f"Ana{i}")), today)


@pytest.fixture(autouse=True)
def work_root(tmp_path, monkeypatch):
    """Work folders of the jobs made here live in the test's own temporary folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def running_job(*, heartbeat_minutes_ago: float, started_minutes_ago: float = 0, **kwargs):
    """A job a worker claimed and then went quiet, with its partial files in a work folder."""
    now = timezone.now()
    work_dir = tempfile.mkdtemp(prefix="followups-job-0-")
    (Path(work_dir) / "batch-00000.pdf").write_bytes(b"%PDF partial")
    query = kwargs.pop("query", None) or SavedQueryFactory()
    return OutputJob.objects.create(
        kind=kwargs.pop("kind", "labels"), title=query.name, query=query,
        criteria=query.criteria, fields=query.fields, state=State.RUNNING,
        started_at=now - timedelta(minutes=max(started_minutes_ago, heartbeat_minutes_ago)),
        heartbeat_at=now - timedelta(minutes=heartbeat_minutes_ago), work_dir=work_dir,
        **kwargs,
    )  # fmt: skip


def test_it_fails_a_job_whose_heartbeat_stopped_and_removes_its_partial_files():
    dead = running_job(heartbeat_minutes_ago=11)
    alive = running_job(heartbeat_minutes_ago=1, started_minutes_ago=20)
    assert output_jobs_reap() == [dead.pk]
    dead.refresh_from_db()
    assert dead.state == State.FAILED
    assert dead.finished_at is not None
    assert "stopped without finishing" in dead.error and "run it again" in dead.error
    assert not Path(dead.work_dir).exists()
    alive.refresh_from_db()
    assert alive.state == State.RUNNING and Path(alive.work_dir).exists()


def test_it_fails_a_job_past_the_task_time_limit_even_with_a_fresh_heartbeat():
    limit_minutes = settings.CELERY_TASK_TIME_LIMIT / 60
    job = running_job(heartbeat_minutes_ago=0.5, started_minutes_ago=limit_minutes + 2)
    assert output_jobs_reap() == [job.pk]
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert "past the 30-minute limit" in job.error


def test_it_leaves_finished_and_queued_jobs_alone():
    long_ago = timezone.now() - timedelta(hours=3)
    for state in (State.DONE, State.CANCELLED, State.QUEUED):
        OutputJob.objects.create(kind="csv", title="x", state=state, started_at=long_ago,
                                 heartbeat_at=long_ago)  # fmt: skip
    assert output_jobs_reap() == []
    assert not OutputJob.objects.filter(state=State.FAILED).exists()


def test_the_reaper_runs_from_celery_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["followups-reap-output-jobs"]
    assert entry["task"] == "followups.tasks.reap_output_jobs"
    assert entry["schedule"] <= 5 * 60
    job = running_job(heartbeat_minutes_ago=30)
    assert reap_output_jobs.delay().get() == [job.pk]


def test_a_slow_worker_whose_job_was_reaped_stops_and_keeps_nothing(
    owner, customers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = output_job_start(by=owner, kind="labels", criteria={})

    def worker_went_quiet(j):
        OutputJob.objects.filter(pk=j.pk).update(
            heartbeat_at=timezone.now() - timedelta(minutes=15)
        )
        assert output_jobs_reap() == [j.pk]

    output_job_run(job.pk, on_step=worker_went_quiet)
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert "stopped without finishing" in job.error  # the reaper's message stays
    assert not job.file
    assert not Mailing.objects.exists()
    assert not Path(job.work_dir).exists()


def test_a_job_stopped_by_the_soft_time_limit_fails_in_words_and_keeps_nothing(
    owner, customers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = output_job_start(by=owner, kind="labels", criteria={})

    def limit_reached(_job):
        raise SoftTimeLimitExceeded()

    output_job_run(job.pk, on_step=limit_reached)
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.error.startswith("This output ran past the 25-minute limit")
    assert not job.file and not Mailing.objects.exists()
    assert not Path(job.work_dir).exists()


def test_a_job_moves_its_heartbeat_as_it_runs(owner, customers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = output_job_start(by=owner, kind="labels", criteria={})
    beats = []
    output_job_run(job.pk, on_step=lambda j: beats.append(
        OutputJob.objects.values_list("heartbeat_at", flat=True).get(pk=j.pk)))  # fmt: skip
    job.refresh_from_db()
    assert job.state == State.DONE
    assert beats and beats[0] is not None
    assert job.heartbeat_at >= beats[-1] >= job.started_at


def test_it_removes_partial_files_a_dead_worker_process_left_on_this_host():
    gone = subprocess.Popen(["true"])
    gone.wait()
    left = Path(tempfile.mkdtemp(prefix=f"followups-job-1-{gone.pid}-"))
    (left / "batch-00000.pdf").write_bytes(b"%PDF partial")
    # A job running in a live process (this one) keeps its folder, whatever its state.
    running = Path(tempfile.mkdtemp(prefix=f"followups-job-2-{os.getpid()}-"))
    output_jobs_reap()
    assert not left.exists()
    assert running.exists()


def test_run_again_runs_the_failed_output_as_it_was_asked(
    owner, customers, django_capture_on_commit_callbacks
):
    query = SavedQueryFactory(fields=["name", "city"])
    failed = running_job(heartbeat_minutes_ago=20, query=query, kind="csv")
    output_jobs_reap()
    failed.refresh_from_db()
    query.fields = ["name"]  # edited since: the run again uses what the failed run asked
    query.save()
    with django_capture_on_commit_callbacks(execute=True):
        again = output_job_rerun(by=owner, job=failed)
    again.refresh_from_db()
    assert again.pk != failed.pk
    assert again.state == State.DONE
    assert (again.kind, again.query, again.fields) == ("csv", query, ["name", "city"])
    assert again.file


def test_run_again_is_refused_for_a_finished_output_and_a_deleted_query(owner):
    done = OutputJob.objects.create(kind="csv", title="x", state=State.DONE)
    with pytest.raises(ServiceError, match="Only a failed or cancelled"):
        output_job_rerun(by=owner, job=done)
    orphan = OutputJob.objects.create(kind="csv", title="x", state=State.FAILED)
    with pytest.raises(ServiceError, match="saved query of this output was deleted"):
        output_job_rerun(by=owner, job=orphan)
    letters = running_job(heartbeat_minutes_ago=20, kind="letters", template=None)
    output_jobs_reap()
    letters.refresh_from_db()
    with pytest.raises(ServiceError, match="saved letter"):
        output_job_rerun(by=owner, job=letters)
    assert OutputJob.objects.count() == 3


def test_the_failed_job_page_offers_run_again_to_data_search_only(
    client, advisor, technician, customers, django_capture_on_commit_callbacks
):
    job = running_job(heartbeat_minutes_ago=20, kind="csv")
    output_jobs_reap()
    client.force_login(advisor)
    page = client.get(reverse("followups:job", args=[job.pk])).content.decode()
    assert "stopped without finishing" in page
    assert 'data-testid="run-again"' in page
    client.force_login(technician)
    assert client.post(reverse("followups:job_rerun", args=[job.pk])).status_code == 403
    assert OutputJob.objects.count() == 1
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followups:job_rerun", args=[job.pk]))
    again = OutputJob.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("followups:job", args=[again.pk])
    assert OutputJob.objects.get(pk=again.pk).state == State.DONE


def test_a_done_job_page_does_not_offer_run_again(client, advisor):
    job = OutputJob.objects.create(kind="csv", title="x", state=State.DONE)
    client.force_login(advisor)
    assert "run-again" not in client.get(reverse("followups:job", args=[job.pk])).content.decode()
    response = client.post(reverse("followups:job_rerun", args=[job.pk]), follow=True)
    assert "Only a failed or cancelled output can be run again." in response.content.decode()
    assert OutputJob.objects.count() == 1


def test_a_letters_template_is_kept_for_run_again(owner, customers):
    letter = LetterTemplateFactory()
    job = running_job(heartbeat_minutes_ago=20, kind="letters", template=letter)
    output_jobs_reap()
    job.refresh_from_db()
    again = output_job_rerun(by=owner, job=job)
    assert again.template == letter and again.kind == "letters"
