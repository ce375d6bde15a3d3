"""The technician's tablet view: my jobs (repair orders only, in priority order), notes, done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.models import Job

pytestmark = pytest.mark.django_db


def job_for(advisor, statuses, technician, *, stage_number=7, priority=2, title="Front brakes"):
    work_order = services.workorder_create(
        by=advisor, vehicle=VehicleFactory(), default_technician=technician
    )
    job = services.job_add(by=advisor, work_order=work_order, version=None, title=title)
    services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[stage_number]
    )
    services.workorder_priority_set(by=advisor, work_order=work_order, priority=priority)
    return job


def test_my_jobs_lists_repair_orders_in_priority_order_never_estimates(
    client, advisor, technician, statuses, shop_rates, employee_at, django_assert_max_num_queries
):
    normal = job_for(advisor, statuses, technician, title="Oil change")
    urgent = job_for(advisor, statuses, technician, priority=4, title="No brakes")
    estimate = job_for(advisor, statuses, technician, stage_number=2, title="Timing belt")
    someone_else = job_for(advisor, statuses, employee_at(5), title="Alignment")
    client.force_login(technician)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("workorders:my_jobs")).content.decode()
    assert html.index("No brakes") < html.index("Oil change")
    assert "Timing belt" not in html and "Alignment" not in html
    assert client.get(reverse("workorders:tech_job", args=[urgent.pk])).status_code == 200
    assert client.get(reverse("workorders:tech_job", args=[normal.pk])).status_code == 200
    assert client.get(reverse("workorders:tech_job", args=[estimate.pk])).status_code == 404
    assert client.get(reverse("workorders:tech_job", args=[someone_else.pk])).status_code == 404


def test_the_list_keeps_its_queries_whatever_the_jobs(
    client, advisor, technician, statuses, shop_rates, django_assert_max_num_queries
):
    job_for(advisor, statuses, technician)
    client.force_login(technician)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("workorders:my_jobs"))
    for _ in range(4):
        job_for(advisor, statuses, technician)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("workorders:my_jobs"))


def test_an_employee_without_the_function_is_refused(client, advisor, technician, statuses):
    from shop.models import SecurityFunctionLevel

    SecurityFunctionLevel.objects.update_or_create(code="technician_jobs", defaults={"level": 4})
    client.force_login(technician)
    assert client.get(reverse("workorders:my_jobs")).status_code == 403


def test_a_technician_adds_notes_and_marks_the_job_done(
    client, advisor, technician, statuses, shop_rates
):
    job = job_for(advisor, statuses, technician)
    client.force_login(technician)
    client.post(
        reverse("workorders:tech_job_note", args=[job.pk]),
        {"text": "Pads at 2 mm", "audience": "customer"},
    )
    client.post(
        reverse("workorders:tech_job_note", args=[job.pk]),
        {"text": "Caliper bolt seized", "audience": "shop"},
    )
    job.refresh_from_db()
    assert job.customer_notes == "Pads at 2 mm"
    assert job.internal_notes.startswith("Caliper bolt seized (")
    html = client.get(reverse("workorders:tech_job", args=[job.pk])).content.decode()
    assert "Pads at 2 mm" in html
    response = client.post(reverse("workorders:tech_job_done", args=[job.pk]), {"done": "1"})
    assert response["Location"] == reverse("workorders:my_jobs")
    assert Job.objects.get(pk=job.pk).done_at is not None


def test_an_empty_note_is_refused_and_another_technicians_job_is_not_touched(
    client, advisor, technician, statuses, shop_rates, employee_at
):
    job = job_for(advisor, statuses, technician)
    client.force_login(technician)
    client.post(reverse("workorders:tech_job_note", args=[job.pk]), {"text": "  "}, follow=True)
    assert Job.objects.get(pk=job.pk).customer_notes == ""
    client.force_login(employee_at(5))
    response = client.post(reverse("workorders:tech_job_done", args=[job.pk]))
    assert response.status_code == 404
    assert Job.objects.get(pk=job.pk).done_at is None


class TestTechniciansSeeWhatTheyMayWorkOn:
    @pytest.fixture
    def jobs(self, advisor, technician, statuses, shop_rates):
        approved = job_for(advisor, statuses, technician, title="Oil change")
        work_order = approved.work_order
        waiting = services.job_add(by=advisor, work_order=work_order, version=None, title="Belt")
        services.line_add(
            by=advisor,
            job=waiting,
            version=None,
            kind="labor",
            description="Replace belt",
            quantity="0.8",
        )
        services.line_add(
            by=advisor,
            job=waiting,
            version=None,
            kind="part",
            part_number="BLT-6",
            description="Serpentine belt",
            quantity="1",
            unit_price="48",
        )
        declined = services.job_add(by=advisor, work_order=work_order, version=None, title="Wax")
        services.job_approval_set(
            job=declined,
            version=None,
            approval="declined",
            method="phone",
            by=advisor,
            by_name="Rosa Diaz",
        )
        return approved, waiting, declined

    def test_my_jobs_lists_only_approved_work_to_do_and_marks_the_others(
        self, client, technician, jobs, django_assert_max_num_queries
    ):
        client.force_login(technician)
        with django_assert_max_num_queries(12):
            html = client.get(reverse("workorders:my_jobs")).content.decode()
        to_do, not_approved = html.split("Not approved: do not start")
        assert "Oil change" in to_do and "Approved" in to_do
        assert "Belt" not in to_do and "Wax" not in to_do
        assert "Belt" in not_approved and "Waiting for approval" in not_approved
        assert "Wax" in not_approved and "Declined" in not_approved

    def test_the_job_page_lists_its_lines_and_offers_done_only_when_approved(
        self, client, technician, jobs
    ):
        approved, waiting, declined = jobs
        client.force_login(technician)
        html = client.get(reverse("workorders:tech_job", args=[waiting.pk])).content.decode()
        assert "Waiting for the customer's approval: do not start" in html
        assert "Replace belt" in html and "0.80 h" in html
        assert "Serpentine belt" in html and "BLT-6" in html
        assert "Mark job done" not in html
        html = client.get(reverse("workorders:tech_job", args=[declined.pk])).content.decode()
        assert "declined this job" in html and "Mark job done" not in html
        html = client.get(reverse("workorders:tech_job", args=[approved.pk])).content.decode()
        assert "Mark job done" in html and "do not start" not in html

    def test_marking_a_waiting_job_done_is_refused_with_a_message(self, client, technician, jobs):
        _approved, waiting, _declined = jobs
        client.force_login(technician)
        response = client.post(
            reverse("workorders:tech_job_done", args=[waiting.pk]), {"done": "1"}, follow=True
        )
        assert "“Belt” waits for approval: it is not work to do." in response.content.decode()
        assert Job.objects.get(pk=waiting.pk).done_at is None
