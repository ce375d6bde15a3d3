"""The customer's signed, expiring link: status, estimate, and a decision per job."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.urls import reverse

from messaging.models import ApprovalDecision
from messaging.services.customer_link import customer_link_token_make, customer_link_url_make
from workorders.models import Job, WorkOrder

pytestmark = pytest.mark.django_db

PHONE_BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"


def link(work_order) -> str:
    return reverse("messaging:customer_link", args=[customer_link_token_make(work_order)])


def decide_url(work_order, job) -> str:
    token = customer_link_token_make(work_order)
    return reverse("messaging:customer_link_decide", args=[token, job.pk])


def test_the_link_opens_without_a_login(client, estimate_with_jobs):
    response = client.get(link(estimate_with_jobs))
    assert response.status_code == 200
    text = response.content.decode()
    assert "2016 Honda Civic" in text
    assert estimate_with_jobs.status.name in text
    assert "Front brakes" in text and "Wipers" in text
    assert "$208.50" in text  # 1.5 h × $139.00


def test_the_link_is_a_full_url_for_texts(estimate):
    assert customer_link_url_make(estimate).startswith("http://testserver/messages/l/")


def test_the_link_page_costs_the_same_queries_whatever_the_jobs(
    client, estimate_with_jobs, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert client.get(link(estimate_with_jobs)).status_code == 200


def test_a_tampered_link_is_refused(client, estimate):
    token = customer_link_token_make(estimate)
    url = reverse("messaging:customer_link", args=[token[:-2] + "xx"])
    response = client.get(url)
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_an_expired_link_is_refused(client, estimate, settings):
    settings.MESSAGING_CUSTOMER_LINK_DAYS = 30
    url = link(estimate)
    later = time.time() + 31 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_the_customer_approves_one_job_and_declines_another(client, estimate_with_jobs):
    brakes, wipers = estimate_with_jobs.jobs.order_by("position")
    response = client.post(
        decide_url(estimate_with_jobs, brakes),
        {"decision": "approved"},
        HTTP_USER_AGENT=PHONE_BROWSER,
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#job-{brakes.pk}")
    client.post(decide_url(estimate_with_jobs, wipers), {"decision": "declined"})

    brakes.refresh_from_db()
    wipers.refresh_from_db()
    assert brakes.approval == Job.Approval.APPROVED
    assert wipers.approval == Job.Approval.DECLINED
    assert brakes.approval_by == "Rosa Diaz"
    assert brakes.approval_method == "link"
    assert brakes.approval_at is not None
    decision = ApprovalDecision.objects.get(job=brakes)
    assert decision.decision == "approved"
    assert decision.ip_address == "203.0.113.9"
    assert decision.user_agent == PHONE_BROWSER
    # Declined work is not charged.
    assert WorkOrder.objects.get(pk=estimate_with_jobs.pk).subtotal == brakes.lines.get().amount


def test_the_advisor_sees_the_decisions_on_the_work_order(client, estimate_with_jobs, advisor):
    brakes, wipers = estimate_with_jobs.jobs.order_by("position")
    client.post(decide_url(estimate_with_jobs, brakes), {"decision": "approved"})
    client.post(decide_url(estimate_with_jobs, wipers), {"decision": "declined"})
    client.force_login(advisor)
    text = client.get(reverse("workorders:editor", args=[estimate_with_jobs.pk])).content.decode()
    assert "Approved" in text and "Declined" in text
    assert "Customer link · Rosa Diaz" in text


def test_a_job_of_another_work_order_is_refused(client, estimate_with_jobs, statuses, advisor):
    from tests.workorders.factories import VehicleFactory
    from workorders import services

    other = services.workorder_create(by=advisor, vehicle=VehicleFactory())
    job = estimate_with_jobs.jobs.first()
    url = reverse("messaging:customer_link_decide", args=[customer_link_token_make(other), job.pk])
    assert client.post(url, {"decision": "approved"}).status_code == 404
    job.refresh_from_db()
    assert job.approval == Job.Approval.PENDING
    assert not ApprovalDecision.objects.exists()


def test_a_bad_decision_changes_nothing(client, estimate_with_jobs):
    job = estimate_with_jobs.jobs.first()
    response = client.post(decide_url(estimate_with_jobs, job), {"decision": "maybe"}, follow=True)
    assert "Choose approve or decline." in response.content.decode()
    job.refresh_from_db()
    assert job.approval == Job.Approval.PENDING
    assert not ApprovalDecision.objects.exists()


def test_a_forged_link_cannot_decide(client, estimate_with_jobs):
    job = estimate_with_jobs.jobs.first()
    url = reverse("messaging:customer_link_decide", args=["forged:token", job.pk])
    assert client.post(url, {"decision": "approved"}).status_code == 404
    job.refresh_from_db()
    assert job.approval == Job.Approval.PENDING


def test_a_billed_out_work_order_takes_no_more_decisions(
    client, estimate_with_jobs, statuses, advisor
):
    from workorders import services

    services.workorder_status_set(
        by=advisor,
        work_order=estimate_with_jobs,
        version=WorkOrder.objects.get(pk=estimate_with_jobs.pk).version,
        status=statuses[17],
    )
    job = estimate_with_jobs.jobs.first()
    page = client.get(link(estimate_with_jobs)).content.decode()
    assert "Approve “" not in page
    response = client.post(decide_url(estimate_with_jobs, job), {"decision": "declined"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.approval == Job.Approval.APPROVED  # approved when it became a repair order
    assert not ApprovalDecision.objects.exists()


def test_the_owner_reads_the_decisions_in_the_admin_site(client, estimate_with_jobs, owner):
    job = estimate_with_jobs.jobs.first()
    client.post(
        decide_url(estimate_with_jobs, job), {"decision": "approved"}, REMOTE_ADDR="198.51.100.7"
    )
    client.force_login(owner)
    response = client.get(reverse("admin:messaging_approvaldecision_changelist"))
    assert response.status_code == 200
    assert "198.51.100.7" in response.content.decode()


def test_a_job_not_priced_yet_can_be_declined_but_not_approved(client, estimate, advisor):
    from workorders import services

    job = services.job_add(
        by=advisor, work_order=estimate, version=None, title="Rear brake pads (from inspection)"
    )
    html = client.get(link(estimate)).content.decode()
    assert "Being priced" in html and "Approve “Rear brake pads" not in html
    response = client.post(decide_url(estimate, job), {"decision": "approved"}, follow=True)
    assert "is not priced yet" in response.content.decode()
    job.refresh_from_db()
    assert job.approval == Job.Approval.PENDING and not ApprovalDecision.objects.exists()
    declined = client.post(decide_url(estimate, job), {"decision": "declined"})
    assert declined.status_code == 302
    job.refresh_from_db()
    assert job.approval == Job.Approval.DECLINED


class TestTheLinkCannotUndoDoneOrApprovedWork:
    @pytest.fixture
    def repair_order(self, estimate_with_jobs, statuses, advisor, technician):
        from workorders import services

        services.workorder_update(
            by=advisor, work_order=estimate_with_jobs, version=None, default_technician=technician
        )
        return services.workorder_status_set(
            by=advisor, work_order=estimate_with_jobs, version=None, status=statuses[7]
        )

    def test_a_done_job_cannot_be_declined_and_the_invoice_keeps_it(
        self, client, repair_order, technician
    ):
        from workorders import services

        brakes = repair_order.jobs.get(title="Front brakes")
        services.job_done_set(by=technician, job=brakes)
        total = WorkOrder.objects.get(pk=repair_order.pk).grand_total
        page = client.get(link(repair_order)).content.decode()
        assert "Decline “Front brakes”" not in page
        response = client.post(
            decide_url(repair_order, brakes), {"decision": "declined"}, follow=True
        )
        assert "already done, so it cannot be declined" in response.content.decode()
        brakes.refresh_from_db()
        assert brakes.approval == Job.Approval.APPROVED
        assert WorkOrder.objects.get(pk=repair_order.pk).grand_total == total
        assert not ApprovalDecision.objects.exists()

    def test_a_job_the_shop_approved_by_phone_cannot_be_declined_and_says_how(
        self, client, repair_order, advisor
    ):
        from workorders import services

        added = services.job_add(by=advisor, work_order=repair_order, version=None, title="Belt")
        services.line_add(
            by=advisor,
            job=added,
            version=None,
            kind="part",
            description="Serpentine belt",
            quantity="1",
            unit_price="48.00",
        )
        services.job_approval_set(
            job=added,
            version=None,
            approval="approved",
            method="phone",
            by=advisor,
            by_name="Carlos Diaz",
        )
        page = client.get(link(repair_order)).content.decode()
        assert "Decline “Belt”" not in page
        assert "Phone, Carlos Diaz" in page
        response = client.post(
            decide_url(repair_order, added), {"decision": "declined"}, follow=True
        )
        assert "already approved (phone)" in response.content.decode()
        assert Job.objects.get(pk=added.pk).approval == Job.Approval.APPROVED

    def test_a_pending_job_can_still_be_approved_or_declined_and_writes_the_trail(
        self, client, repair_order, advisor
    ):
        from workorders import services

        added = services.job_add(by=advisor, work_order=repair_order, version=None, title="Belt")
        services.line_add(
            by=advisor,
            job=added,
            version=None,
            kind="part",
            description="Serpentine belt",
            quantity="1",
            unit_price="48.00",
        )
        page = client.get(link(repair_order)).content.decode()
        assert "Approve “Belt”" in page and "Decline “Belt”" in page
        client.post(decide_url(repair_order, added), {"decision": "declined"})
        client.post(decide_url(repair_order, added), {"decision": "approved"})
        rows = list(Job.objects.get(pk=added.pk).approvals.all())
        assert [(r.decision, r.method, r.recorded_by) for r in rows] == [
            ("declined", "link", None),
            ("approved", "link", None),
        ]
        assert rows[0].approved_by_name == "Rosa Diaz"
