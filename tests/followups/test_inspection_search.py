"""Vehicle Inspection Search: each active vehicle with its last inspection date."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups import selectors
from followups.models import OutputJob
from followups.services.outputs import output_job_start
from tests.followups.factories import VehicleFactory, at, invoice
from workorders.models import Inspection

pytestmark = pytest.mark.django_db


def inspect(vehicle, day, *, finished=True):
    work_order = invoice(vehicle, day, categories=("Inspection",))
    return Inspection.objects.create(
        work_order=work_order, vehicle=vehicle, sheet_name="Courtesy check",
        started_at=at(day), inspected_at=at(day) if finished else None,
    )  # fmt: skip


@pytest.fixture
def today():
    return timezone.localdate()


def test_it_finds_vehicles_by_their_last_inspection_date(today):
    due = VehicleFactory(make="Ford")
    inspect(due, today - timedelta(days=500))
    recent = VehicleFactory()
    inspect(recent, today - timedelta(days=500))
    inspect(recent, today - timedelta(days=30))
    unfinished = VehicleFactory()
    inspect(unfinished, today - timedelta(days=500), finished=False)
    sold = VehicleFactory(is_active=False)
    inspect(sold, today - timedelta(days=500))
    criteria = {"last_inspection_months_min": 12}
    assert list(selectors.vehicle_search(criteria).values_list("id", flat=True)) == [
        unfinished.pk,  # its only inspection was never finished: never inspected
        due.pk,
    ]
    rows = list(selectors.search_rows({"last_inspection_months_max": 24}, "vehicle"))
    assert [r["vehicle_id"] for r in rows] == [due.pk, recent.pk]  # oldest inspection first
    assert rows[1]["last_inspection"] == today - timedelta(days=30)


def test_no_inspection_since_a_date_finds_the_vehicles_never_inspected(today):
    never = VehicleFactory()
    due = VehicleFactory()
    inspect(due, today - timedelta(days=500))
    inspect(VehicleFactory(), today - timedelta(days=30))
    VehicleFactory(is_active=False)  # sold: never listed
    since = {"last_inspection_before": (today - timedelta(days=365)).isoformat()}
    assert [r["vehicle_id"] for r in selectors.search_rows(since, "vehicle")] == [never.pk, due.pk]
    rows = list(selectors.search_rows({}, "vehicle"))
    assert [r["vehicle_id"] for r in rows][:2] == [never.pk, due.pk]  # never first
    assert rows[0]["last_inspection"] is None and len(rows) == 3
    # "Inspected from" a date needs an inspection: never is not after anything.
    after = {"last_inspection_after": (today - timedelta(days=600)).isoformat()}
    assert never.pk not in [r["vehicle_id"] for r in selectors.search_rows(after, "vehicle")]


def test_it_outputs_the_inspection_search_to_a_file(
    today, owner, django_capture_on_commit_callbacks
):
    inspect(VehicleFactory(), today - timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        job = output_job_start(by=owner, kind="csv", collect="vehicle", criteria={},
                               fields=["name", "vehicle", "last_inspection"])  # fmt: skip
    job.refresh_from_db()
    assert job.state == OutputJob.State.DONE
    rows = list(csv.DictReader(io.StringIO(job.file.open("rb").read().decode("utf-8-sig"))))
    assert rows[0]["Last inspection"] == (today - timedelta(days=400)).isoformat()
    assert rows[0]["Vehicle"] == "2016 Honda Civic"


def test_the_inspection_search_page_previews_per_vehicle(client, advisor, technician, today):
    inspect(VehicleFactory(), today - timedelta(days=400))
    client.force_login(advisor)
    page = client.get(reverse("followups:inspection_search"))
    assert "Vehicle Inspection Search" in page.content.decode()
    preview = client.get(
        reverse("followups:search_preview"),
        {"collect": "vehicle", "last_inspection_months_min": 12,
         "fields": ["name", "last_inspection"]},
    )  # fmt: skip
    assert 'data-testid="match-count">1<' in preview.content.decode()
    client.force_login(technician)
    assert client.get(reverse("followups:inspection_search")).status_code == 403
