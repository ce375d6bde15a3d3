"""A manager builds a Data Search query, saves it, prints mailing labels while the progress
bar runs to the end, and downloads the PDF."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from followups.models import OutputJob, SavedQuery
from followups.outputs import documents, pdf
from followups.services import outputs
from shop.models import ShopProfile
from tests.browser.conftest import DESKTOP, PHONE
from tests.followups.factories import CustomerFactory, VehicleFactory, invoice
from workorders.seeding import statuses_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_background_jobs(monkeypatch):
    """Jobs run in a background thread, a sheet per batch and a little slowly, as a busy
    worker would: the page has to poll to see them through."""
    monkeypatch.setattr(documents, "LABEL_SHEETS_PER_BATCH", 1)
    monkeypatch.setenv("FOLLOWUPS_PDF_WORKERS", "1")
    original = pdf.render_to_file

    def slow_render(html: str, path: str, **options) -> str:
        time.sleep(0.7)
        return original(html, path, **options)

    monkeypatch.setattr(pdf, "render_to_file", slow_render)
    threads: list[threading.Thread] = []

    def run(job_id: int) -> None:
        try:
            outputs.output_job_run(job_id)
        finally:
            connection.close()  # the thread's own; left open it would block the test DB's drop

    def dispatch(job_id: int) -> None:
        thread = threading.Thread(target=run, args=(job_id,))
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(outputs, "_dispatch", dispatch)
    yield
    for thread in threads:
        thread.join(timeout=30)


def test_a_query_is_built_saved_and_printed_as_labels(
    page, live_server, log_in, advisor, shoot, slow_background_jobs, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    statuses_ensure()
    ShopProfile.objects.update_or_create(pk=1, defaults={"name": "Main Street Auto"})
    today = timezone.localdate()
    for i in range(65):
        customer = CustomerFactory(first_name=f"Lapsed{i:02d}", last_name="Driver")
        invoice(VehicleFactory(customer=customer), today - timedelta(days=450))
    invoice(VehicleFactory(customer=CustomerFactory(first_name="Recent")), today)
    log_in("advisor")

    page.goto(f"{live_server.url}/followups/")
    page.get_by_role("link", name="New query").click()
    page.get_by_label("Last visit at least (months ago)").fill("12")
    page.get_by_label("Last visit at most (months ago)").fill("24")
    page.get_by_role("button", name="Show count and first rows").click()
    expect(page.get_by_test_id("match-count")).to_have_text("65")
    expect(page.get_by_role("cell", name="Lapsed00 Driver")).to_be_visible()
    shoot("followups-search-preview")

    page.get_by_label("Query name").fill("Lapsed 12 to 24 months")
    page.get_by_role("button", name="Save query").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lapsed 12 to 24 months")
    assert SavedQuery.objects.get().criteria == {
        "last_visit_months_min": 12,
        "last_visit_months_max": 24,
    }

    page.get_by_label("Output").select_option(label="Mailing labels (Avery 5160)")
    page.get_by_role("button", name="Start output").click()
    state = page.get_by_test_id("job-state")
    expect(state).to_have_text("Running", timeout=10_000)
    progress = page.get_by_role("progressbar")
    shoot("followups-job-running")
    expect(state).to_have_text("Done", timeout=30_000)
    expect(progress).to_have_attribute("value", "100")
    shoot("followups-job-done")

    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    path = download_info.value.path()
    reader = PdfReader(str(path))
    assert len(reader.pages) == 3  # 65 labels, 30 to a sheet
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Lapsed00 Driver" in text and "Lapsed64 Driver" in text
    assert "Recent" not in text
    assert OutputJob.objects.get().state == OutputJob.State.DONE


def test_an_output_whose_worker_died_is_failed_and_run_again(
    page, live_server, log_in, advisor, shoot, slow_background_jobs, tmp_path, settings
):
    """The worker was killed mid-mailing: the page, still polling, shows the reaper's
    verdict and offers Run again, which runs the labels to the end."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    statuses_ensure()
    ShopProfile.objects.update_or_create(pk=1, defaults={"name": "Main Street Auto"})
    today = timezone.localdate()
    for i in range(35):
        customer = CustomerFactory(first_name=f"Lapsed{i:02d}", last_name="Driver")
        invoice(VehicleFactory(customer=customer), today - timedelta(days=450))
    query = SavedQuery.objects.create(name="Everyone", criteria={}, fields=["name"])
    stuck = OutputJob.objects.create(
        kind="labels", title=query.name, query=query, criteria={}, fields=["name"],
        state=OutputJob.State.RUNNING, started_at=timezone.now() - timedelta(minutes=25),
        heartbeat_at=timezone.now() - timedelta(minutes=20), total=35, done=30,
    )  # fmt: skip
    log_in("advisor")
    page.goto(f"{live_server.url}/followups/jobs/{stuck.pk}/")
    expect(page.get_by_test_id("job-state")).to_have_text("Running")
    expect(page.get_by_test_id("run-again")).to_have_count(0)

    assert outputs.output_jobs_reap() == [stuck.pk]  # beat's reaper, two minutes later
    expect(page.get_by_test_id("job-state")).to_have_text("Failed", timeout=10_000)
    expect(page.get_by_text("stopped without finishing")).to_be_visible()
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        shoot(f"followups-job-reaped-{name}")
    page.set_viewport_size(DESKTOP)

    page.get_by_test_id("run-again").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The output runs again.")).to_be_visible()
    expect(page.get_by_test_id("job-state")).to_have_text("Done", timeout=30_000)
    shoot("followups-job-run-again-done")
    again = OutputJob.objects.exclude(pk=stuck.pk).get()
    assert page.url.endswith(f"/followups/jobs/{again.pk}/")
    assert again.state == OutputJob.State.DONE and again.file
    assert OutputJob.objects.get(pk=stuck.pk).state == OutputJob.State.FAILED
