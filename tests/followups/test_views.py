from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import FollowUp, FollowUpSettings, LetterTemplate, OutputJob, SavedQuery
from tests.followups.factories import (
    FollowUpListFactory,
    LetterTemplateFactory,
    SavedQueryFactory,
    VehicleFactory,
    invoice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits():
    today = timezone.localdate()
    return [invoice(VehicleFactory(), today - timedelta(days=400 + i)) for i in range(3)]


@pytest.mark.parametrize(
    "name",
    ["followups:search_list", "followups:search_new", "followups:templates",
     "followups:lists", "followups:search_preview"],
)  # fmt: skip
def test_an_advisor_opens_the_pages_and_a_technician_is_refused(client, advisor, technician, name):
    client.force_login(advisor)
    assert client.get(reverse(name)).status_code == 200
    client.force_login(technician)
    assert client.get(reverse(name)).status_code == 403


def test_maintenance_and_settings_need_higher_levels(client, owner, advisor):
    client.force_login(advisor)
    assert client.get(reverse("followups:maintenance")).status_code == 403
    assert client.get(reverse("followups:settings")).status_code == 403
    client.force_login(owner)
    assert client.get(reverse("followups:maintenance")).status_code == 200
    assert client.get(reverse("followups:settings")).status_code == 200


def test_preview_shows_the_count_and_first_rows(
    client, advisor, visits, django_assert_max_num_queries
):
    client.force_login(advisor)
    url = reverse("followups:search_preview")
    params = {"collect": "customer", "last_visit_months_min": 12, "last_visit_months_max": 24,
              "fields": ["name", "city"]}  # fmt: skip
    with django_assert_max_num_queries(12):
        response = client.get(url, params)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="match-count">3<' in text
    assert visits[0].customer.first_name in text


def test_preview_explains_an_inverted_date_range(client, advisor):
    client.force_login(advisor)
    response = client.get(
        reverse("followups:search_preview"),
        {
            "collect": "customer",
            "last_visit_after": "2025-06-01",
            "last_visit_before": "2025-01-01",
        },
    )
    assert response.status_code == 422
    assert "empty or inverted" in response.content.decode()


def test_it_saves_a_query_and_reruns_it(client, advisor, visits):
    client.force_login(advisor)
    response = client.post(
        reverse("followups:search_new"),
        {"name": "Lapsed", "collect": "customer", "last_visit_months_min": 12,
         "last_visit_months_max": 24, "service_done": "done", "fields": ["name", "city"]},
    )  # fmt: skip
    query = SavedQuery.objects.get()
    assert response.status_code == 302
    assert query.criteria == {"last_visit_months_min": 12, "last_visit_months_max": 24}
    page = client.get(reverse("followups:search_edit", args=[query.pk]))
    assert 'value="24"' in page.content.decode()


def test_a_refused_employee_cannot_save_or_output(client, technician):
    query = SavedQueryFactory()
    client.force_login(technician)
    assert client.post(reverse("followups:search_new"), {"name": "X"}).status_code == 403
    url = reverse("followups:search_output", args=[query.pk])
    assert client.post(url, {"kind": "csv"}).status_code == 403
    assert not OutputJob.objects.exists()


def test_it_outputs_labels_and_downloads_the_pdf(
    client, advisor, visits, django_capture_on_commit_callbacks
):
    query = SavedQueryFactory()
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("followups:search_output", args=[query.pk]), {"kind": "labels"}
        )
    job = OutputJob.objects.get()
    assert response["Location"] == reverse("followups:job", args=[job.pk])
    progress = client.get(reverse("followups:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert progress.status_code == 286  # finished: htmx stops polling
    assert "100 %" in progress.content.decode()
    download = client.get(reverse("followups:job_download", args=[job.pk, "file"]) + "?download=1")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    last = client.get(reverse("followups:last", args=["labels"]))
    assert reverse("followups:job_download", args=[job.pk, "file"]) in last.content.decode()


def test_an_output_without_its_letter_is_refused_with_a_message(client, advisor):
    query = SavedQueryFactory()
    client.force_login(advisor)
    response = client.post(reverse("followups:search_output", args=[query.pk]), {"kind": "letters"})
    assert response.status_code == 422
    assert "Choose the saved letter" in response.content.decode()
    assert not OutputJob.objects.exists()


def test_cancel_stops_a_queued_job(client, advisor):
    job = OutputJob.objects.create(kind="labels", title="X")
    client.force_login(advisor)
    client.post(reverse("followups:job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == OutputJob.State.CANCELLED


def test_file_edit_refuses_an_unknown_merge_field_by_name(client, advisor):
    letter = LetterTemplateFactory()
    client.force_login(advisor)
    response = client.post(
        reverse("followups:template_edit", args=[letter.pk]),
        {"name": letter.name, "kind": "letter", "subject": "", "body": "Hi {{ nickname }}"},
    )
    assert response.status_code == 422
    assert "{{ nickname }}" in response.content.decode()
    letter.refresh_from_db()
    assert "nickname" not in letter.body
    response = client.post(
        reverse("followups:template_edit", args=[letter.pk]),
        {"name": letter.name, "kind": "letter", "subject": "", "body": "Hi {{ first_name }}"},
    )
    assert response.status_code == 302
    assert LetterTemplate.objects.get().body == "Hi {{ first_name }}"


def test_follow_up_lists_show_what_is_due_in_few_queries(
    client, advisor, django_assert_max_num_queries
):
    for _ in range(4):
        FollowUpListFactory(template=LetterTemplateFactory())
    client.force_login(advisor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("followups:lists"))
    assert response.status_code == 200
    assert "Follow Ups are not enabled" in response.content.decode()


def test_a_list_is_saved_with_its_rule(client, advisor):
    client.force_login(advisor)
    response = client.post(
        reverse("followups:list_new"),
        {"name": "Oil", "rule": "service_due", "category": "", "due_months": 6, "is_active": "on"},
    )
    assert response.status_code == 422
    assert "service category" in response.content.decode()


def test_maintenance_deletes_only_the_sent(
    client, owner, advisor, visits, django_assert_max_num_queries
):
    follow_up_list = FollowUpListFactory()
    today = timezone.localdate()
    for index, visit in enumerate(visits):
        FollowUp.objects.create(
            follow_up_list=follow_up_list, customer=visit.customer, vehicle=visit.vehicle,
            work_order=visit, visit_on=today, due_on=today,
            date_sent=today if index else None,
        )  # fmt: skip
    client.force_login(advisor)
    assert client.post(reverse("followups:maintenance")).status_code == 403
    assert FollowUp.objects.count() == 3
    client.force_login(owner)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("followups:maintenance")).status_code == 200
    client.post(reverse("followups:maintenance"))
    assert list(FollowUp.objects.values_list("date_sent", flat=True)) == [None]


def test_the_owner_enables_follow_ups(client, owner):
    client.force_login(owner)
    client.post(reverse("followups:settings"), {"enabled": "on", "min_days_between_mailings": 21})
    row = FollowUpSettings.objects.get()
    assert row.enabled and row.min_days_between_mailings == 21
