"""The dry run as a background job: started from the page, polled, its findings shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from imports.models import ImportProblem, ImportRun
from imports.services import (
    import_dry_run,
    import_dry_run_start,
    import_dry_runs_reap,
    import_run_create,
)
from imports.services.apply import heartbeat_timeout
from imports.services.checking import import_dry_run_job
from shop.errors import ServiceError
from tests.imports.conftest import uploads
from tests.imports.helpers import applied, checked_run

pytestmark = pytest.mark.django_db


def uploaded(owner, paths, kinds=None):
    return import_run_create(by=owner, name="Old system", files=uploads(paths, kinds))


def test_the_page_starts_the_dry_run_as_a_job_polls_it_and_shows_the_findings(
    client, shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    run = uploaded(owner, small_sample_paths)
    # Started, not yet run by a worker: the page shows the progress bar that polls.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("imports:check", args=[run.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    run.refresh_from_db()
    assert run.state == ImportRun.State.CHECKING
    assert run.total == sum(f.rows for f in run.files.all()) > 0
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Dry run progress" in page
    assert f'hx-get="{reverse("imports:checking", args=[run.pk])}"' in page
    assert "Dry run: what the import would do" not in page
    polled = client.get(reverse("imports:checking", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and "HX-Refresh" not in polled
    assert "Waiting for the background worker" in polled.content.decode()

    callbacks[0]()  # the worker runs the job
    run.refresh_from_db()
    assert run.state == ImportRun.State.CHECKED
    assert run.dry_run["counts"]["customers"]["create"] > 0
    assert ImportProblem.objects.filter(run=run).exists()
    polled = client.get(reverse("imports:checking", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Dry run: what the import would do" in page and "Dry run progress" not in page
    # Nothing but findings was written.
    assert not Customer.objects.exists()


def test_the_job_finds_what_the_dry_run_in_process_finds(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    inline = checked_run(owner, small_sample_paths)
    run = uploaded(owner, small_sample_paths)
    with django_capture_on_commit_callbacks(execute=True):
        import_dry_run_start(by=owner, run_id=run.pk)
    run.refresh_from_db()
    assert run.dry_run == inline.dry_run
    assert (run.phase, run.done) == ("", 0)
    assert run.problems.count() == inline.problems.count()


def test_the_dry_run_reports_its_progress(shop, owner, small_sample_paths, monkeypatch):
    from imports.services import plan

    monkeypatch.setattr(plan, "PROGRESS_EVERY", 100)
    run = uploaded(owner, small_sample_paths)
    told: list[int] = []
    import_dry_run(run_id=run.pk, progress=told.append)
    # Every hundred rows read (the duplicates' pass reads the customers again).
    assert told == list(range(100, told[-1] + 1, 100))
    run.refresh_from_db()
    assert told[-1] > run.dry_run["rows"] - 100


def test_it_is_refused_while_running_or_once_applied_and_nothing_changes(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    run = uploaded(owner, small_sample_paths, kinds={"customers"})
    with django_capture_on_commit_callbacks(execute=False):
        import_dry_run_start(by=owner, run_id=run.pk)
    with pytest.raises(ServiceError, match="running already"):
        import_dry_run_start(by=owner, run_id=run.pk)
    with pytest.raises(ServiceError, match="does not exist"):
        import_dry_run_start(by=owner, run_id=run.pk + 1000)

    done = applied(
        owner,
        checked_run(owner, small_sample_paths, kinds={"customers"}),
        django_capture_on_commit_callbacks,
    )
    before = (done.state, done.dry_run)
    with pytest.raises(ServiceError, match="imported: the dry run is for files not applied"):
        import_dry_run_start(by=owner, run_id=done.pk)
    done.refresh_from_db()
    assert (done.state, done.dry_run) == before


def test_a_job_delivered_twice_reads_once(shop, owner, small_sample_paths, monkeypatch):
    from imports.services import checking

    run = uploaded(owner, small_sample_paths, kinds={"customers"})
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.CHECKING)
    # Another delivery claimed it already (it is reading).
    ImportRun.objects.filter(pk=run.pk).update(phase=ImportRun.Phase.READING)
    called = []
    monkeypatch.setattr(checking, "import_dry_run", lambda **kw: called.append(kw))
    import_dry_run_job(run.pk)
    assert called == []


def test_a_dry_run_whose_worker_died_is_put_back_with_the_reason(
    client, shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    run = uploaded(owner, small_sample_paths, kinds={"customers"})
    with django_capture_on_commit_callbacks(execute=False):
        import_dry_run_start(by=owner, run_id=run.pk)
    assert import_dry_runs_reap() == []  # still beating
    later = timezone.now() + heartbeat_timeout() + timedelta(seconds=5)
    assert import_dry_runs_reap(now=later) == [run.pk]
    run.refresh_from_db()
    assert run.state == ImportRun.State.UPLOADED and "Run it again" in run.error
    client.force_login(owner)
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "its background worker stopped" in page
    # Run again, it completes and the reason is gone.
    with django_capture_on_commit_callbacks(execute=True):
        import_dry_run_start(by=owner, run_id=run.pk)
    run.refresh_from_db()
    assert run.state == ImportRun.State.CHECKED and run.error == ""
