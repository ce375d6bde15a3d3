from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import OutputJob
from tests.followups.factories import SavedQueryFactory, VehicleFactory, invoice

pytestmark = pytest.mark.django_db


def test_it_lists_saved_queries_in_few_queries(
    client, advisor, technician, django_assert_max_num_queries
):
    for _ in range(5):
        SavedQueryFactory()
    client.force_login(advisor)
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/followups/queries/")
    assert response.status_code == 200
    assert response.json()["count"] == 5
    client.force_login(technician)
    assert client.get("/api/v1/followups/queries/").status_code == 403


def test_it_runs_a_query_to_a_csv_and_links_the_file(
    client, advisor, django_capture_on_commit_callbacks
):
    invoice(VehicleFactory(), timezone.localdate() - timedelta(days=5))
    query = SavedQueryFactory()
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/followups/queries/{query.pk}/run/", {"kind": "csv"},
            content_type="application/json",
        )  # fmt: skip
    assert response.status_code == 201
    job = client.get(f"/api/v1/followups/jobs/{response.json()['id']}/").json()
    assert job["state"] == "done"
    assert job["total"] == 1
    assert job["file_url"].endswith("/download/file/")


def test_it_refuses_an_output_without_its_letter(client, advisor, technician):
    query = SavedQueryFactory()
    client.force_login(advisor)
    response = client.post(
        f"/api/v1/followups/queries/{query.pk}/run/", {"kind": "letters"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "saved letter" in str(response.json())
    client.force_login(technician)
    response = client.post(
        f"/api/v1/followups/queries/{query.pk}/run/", {"kind": "csv"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert not OutputJob.objects.exists()
