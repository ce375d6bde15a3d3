"""The editor's approval form, the trail on the job and in the status history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workorders import services
from workorders.models import Job, JobApproval, WorkOrder

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def repair_order(estimate, advisor, statuses):
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Front brakes")
    services.line_add(
        by=advisor, job=job, version=None, kind="labor", description="Pads", quantity="1"
    )
    return services.workorder_status_set(
        by=advisor, work_order=estimate, version=None, status=statuses[7]
    )


@pytest.fixture
def belt(repair_order, advisor):
    job = services.job_add(by=advisor, work_order=repair_order, version=None, title="Belt")
    services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="part",
        description="Belt",
        quantity="1",
        unit_price="48",
    )
    return Job.objects.get(pk=job.pk)


def post(client, job, **fields):
    data = {
        "version": WorkOrder.objects.get(pk=job.work_order_id).version,
        "decision": "approved",
        "method": "phone",
        "by_name": "Carlos Diaz",
        "at": "",
        "note": "",
        **fields,
    }
    return client.post(
        reverse("workorders:job_approval", args=[job.work_order_id, job.pk]), data, **HTMX
    )


def test_an_advisor_records_a_phone_approval_and_the_job_shows_it(client, advisor, belt):
    client.force_login(advisor)
    response = post(client, belt)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phone · Carlos Diaz" in html and f"recorded by {advisor}" in html
    assert 'id="wo-version"' in html  # the page keeps the new version
    row = JobApproval.objects.get(job=belt)
    assert (row.method, row.approved_by_name, row.recorded_by) == ("phone", "Carlos Diaz", advisor)


def test_the_status_historys_list_of_approvals_follows_a_recorded_approval(client, advisor, belt):
    client.force_login(advisor)
    html = post(client, belt).content.decode()
    # The list beside the job is re-sent out of band, so it never lags behind the job.
    assert '<div id="approval-list" hx-swap-oob="true">' in html
    assert f"{belt.title}: approved" in html


def test_a_technician_may_not_record_an_approval(client, technician, belt):
    client.force_login(technician)
    assert post(client, belt).status_code == 403
    assert not JobApproval.objects.filter(job=belt).exists()


def test_a_phone_approval_without_a_name_is_refused_with_a_message(client, advisor, belt):
    client.force_login(advisor)
    response = post(client, belt, by_name="")
    assert response.status_code == 200
    assert "Say who gave it on the phone." in response.content.decode()
    assert Job.objects.get(pk=belt.pk).approval == Job.Approval.PENDING
    plain = client.post(
        reverse("workorders:job_approval", args=[belt.work_order_id, belt.pk]),
        {"version": 1, "decision": "approved", "method": "link"},
        follow=True,
    )
    assert "Check the approval" in plain.content.decode()  # the link is not the shop's to record
    assert not JobApproval.objects.filter(job=belt).exists()


def test_a_stale_page_is_told_and_nothing_is_recorded(client, advisor, belt):
    client.force_login(advisor)
    response = post(client, belt, version=1)
    assert "changed by someone else" in response.content.decode()
    assert not JobApproval.objects.filter(job=belt).exists()


def test_the_editor_and_the_status_history_show_each_jobs_approval(
    client, advisor, repair_order, belt, django_assert_max_num_queries
):
    services.job_approval_set(
        job=belt, version=None, approval="declined", method="text", by=advisor
    )
    client.force_login(advisor)
    url = reverse("workorders:editor", args=[repair_order.pk])
    with django_assert_max_num_queries(42) as few:
        html = client.get(url).content.decode()
    customer = repair_order.customer.display_name
    assert f"Estimate authorized · {customer}" in html  # the brakes, with the estimate
    assert f"Text · {customer}" in html
    assert "Belt: declined" in html  # the history's list
    for index in range(5):
        job = services.job_add(by=advisor, work_order=repair_order, version=None, title=f"J{index}")
        services.job_approval_set(
            job=job, version=None, approval="approved", method="in_person", by=advisor
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    history = client.get(reverse("workorders:board_history", args=[repair_order.pk]))
    text = history.content.decode()
    assert "Belt: declined" in text and "Front brakes: approved" in text
    assert "Estimate authorized" in text


def test_a_declined_jobs_lines_are_struck_through_and_not_charged_in_the_editor(
    client, advisor, repair_order, belt, django_assert_max_num_queries
):
    services.job_approval_set(
        job=belt, version=None, approval="declined", method="phone", by=advisor, by_name="Al"
    )
    client.force_login(advisor)
    url = reverse("workorders:editor", args=[repair_order.pk])
    with django_assert_max_num_queries(42) as few:
        html = client.get(url).content.decode()
    # The belt's part and the labor line it brought; not the approved brakes' line.
    assert html.count('class="line--declined"') == belt.lines.count() == 2
    assert "<del>$48.00</del>" in html and "(declined, not charged)" in html
    for index in range(3):
        job = services.job_add(by=advisor, work_order=repair_order, version=None, title=f"J{index}")
        services.line_add(
            by=advisor,
            job=job,
            version=None,
            kind="part",
            description="P",
            quantity="1",
            unit_price="10",
        )
        services.job_approval_set(
            job=job, version=None, approval="declined", method="in_person", by=advisor
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    declined = Job.objects.filter(work_order=repair_order, approval="declined")
    assert html.count('class="line--declined"') == sum(j.lines.count() for j in declined) > 2
