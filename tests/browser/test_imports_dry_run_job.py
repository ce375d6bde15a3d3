"""The dry run runs in the background: the owner starts it, watches its progress bar, and
the page shows what the import would do by itself when the job is done."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from playwright.sync_api import expect

from imports.models import ImportRun
from imports.sample import sample_write
from imports.services import checking, counts_expected, import_run_create
from shop.models import ShopProfile
from tests.browser.conftest import DESKTOP, PHONE
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_dry_runs(monkeypatch):
    """The dry run job runs in a background thread, as on a worker, once `release` is set."""
    release = threading.Event()
    threads: list[threading.Thread] = []

    def run(run_id: int) -> None:
        try:
            release.wait(timeout=60)
            checking.import_dry_run_job(run_id)
        finally:
            connection.close()

    def dispatch(run_id: int) -> None:
        thread = threading.Thread(target=run, args=(run_id,))
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(checking, "_dispatch", dispatch)
    yield release
    release.set()
    for thread in threads:
        thread.join(timeout=120)


def test_the_owner_starts_the_dry_run_and_the_page_shows_it_when_done(
    page, live_server, log_in, owner, shoot, held_dry_runs, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    statuses_ensure()
    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "default_area_code": "217"}
    )
    paths = sample_write(tmp_path / "export", customers=60, vehicles=80, invoices=200, seed=3)
    run = import_run_create(
        by=owner,
        name="StockTrac export",
        files={
            kind: SimpleUploadedFile(paths[kind].name, paths[kind].read_bytes())
            for kind in ["customers", "vehicles"]
        },
    )
    log_in("owner")
    page.goto(f"{live_server.url}/imports/{run.pk}/")
    page.get_by_role("button", name="Run the dry run").click()

    # Queued for the worker: the progress bar, and no findings yet.
    expect(page.get_by_label("Dry run progress")).to_be_visible()
    expect(page.get_by_text("Waiting for the background worker")).to_be_visible()
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    shoot("imports-dry-run-job-waiting")
    page.set_viewport_size(PHONE)
    shoot("imports-dry-run-job-waiting-phone")
    page.set_viewport_size(DESKTOP)

    # The worker runs it; the page, polling, shows the findings by itself.
    held_dry_runs.set()
    expect(page.get_by_role("heading", name="Dry run: what the import would do")).to_be_visible(
        timeout=60_000
    )
    run.refresh_from_db()
    assert run.state == ImportRun.State.CHECKED
    expected = counts_expected(run)["customers"]["create"]
    assert 50 < expected <= 60
    expect(page.get_by_test_id("customers-create")).to_have_text(str(expected))
    expect(page.get_by_label("Dry run progress")).to_have_count(0)
    shoot("imports-dry-run-job-done")
