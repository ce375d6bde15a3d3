"""The approval rule: a status change approves nothing by itself; the estimate's
authorization, the shop's own approvals with their trail, and bill-out with pending jobs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.errors import ServiceError
from tests.workorders.factories import VehicleFactory, inspection_sheet
from workorders import selectors, services
from workorders.models import Job, JobApproval, StatusChange, WorkOrder

pytestmark = pytest.mark.django_db


def fresh(work_order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.get(pk=work_order.pk)


def priced_job(by, work_order, title="Front brakes", price="120.00") -> Job:
    job = services.job_add(by=by, work_order=work_order, version=None, title=title)
    services.line_add(
        by=by,
        job=job,
        version=None,
        kind="labor",
        description=title,
        quantity="1",
        unit_price=price,
    )
    return Job.objects.get(pk=job.pk)


def to_status(by, work_order, status) -> WorkOrder:
    return services.workorder_status_set(by=by, work_order=work_order, version=None, status=status)


def approve(job, *, method="phone", by=None, by_name="Rosa Diaz", decision="approved", **kw):
    return services.job_approval_set(
        job=job, version=None, approval=decision, method=method, by=by, by_name=by_name, **kw
    )


@pytest.fixture
def repair_order(estimate, advisor, technician, statuses):
    services.workorder_update(
        by=advisor, work_order=estimate, version=None, default_technician=technician
    )
    priced_job(advisor, estimate)
    return to_status(advisor, estimate, statuses[7])


class TestAStatusChangeApprovesNothing:
    def test_a_recommendation_from_the_inspection_stays_pending_through_status_changes(
        self, repair_order, advisor, technician, statuses
    ):
        inspection = services.inspection_start(
            by=technician, work_order=repair_order, sheet=inspection_sheet()
        )
        result = inspection.results.get(label="Front brake pads")
        services.inspection_result_set(by=technician, result=result, rating="red")
        recommended = services.inspection_recommend(by=technician, result=result)
        for number in (9, 13):
            to_status(advisor, repair_order, statuses[number])
        recommended.refresh_from_db()
        assert recommended.approval == Job.Approval.PENDING
        assert not recommended.approvals.exists()

    def test_a_job_added_to_a_repair_order_stays_pending(self, repair_order, advisor, statuses):
        added = priced_job(advisor, repair_order, title="Wiper blades", price="24.00")
        to_status(advisor, repair_order, statuses[13])
        assert Job.objects.get(pk=added.pk).approval == Job.Approval.PENDING

    def test_the_estimate_becoming_a_repair_order_is_the_customers_authorization(
        self, estimate, advisor, statuses
    ):
        brakes = priced_job(advisor, estimate)
        wipers = priced_job(advisor, estimate, title="Wiper blades")
        approve(wipers, decision="declined", method="in_person", by=advisor, by_name="")
        to_status(advisor, estimate, statuses[7])
        brakes.refresh_from_db()
        wipers.refresh_from_db()
        assert (brakes.approval, brakes.approval_method) == ("approved", "estimate")
        assert brakes.approval_by == estimate.customer.display_name
        row = brakes.approvals.get()
        assert (row.method, row.recorded_by, row.decision) == ("estimate", advisor, "approved")
        assert wipers.approval == "declined"  # a decline is not overruled by the estimate
        assert wipers.approvals.count() == 1

    def test_a_status_change_within_the_estimate_stage_approves_nothing(
        self, estimate, advisor, statuses
    ):
        job = priced_job(advisor, estimate)
        to_status(advisor, estimate, statuses[3])
        assert Job.objects.get(pk=job.pk).approval == Job.Approval.PENDING


class TestBillingOut:
    def test_it_refuses_while_jobs_with_lines_wait_naming_them(
        self, repair_order, advisor, statuses
    ):
        priced_job(advisor, repair_order, title="Wiper blades")
        priced_job(advisor, repair_order, title="Cabin filter")
        before = fresh(repair_order)
        with pytest.raises(ServiceError) as refused:
            to_status(advisor, repair_order, statuses[17])
        assert refused.value.message == (
            "2 jobs wait for approval (“Wiper blades”, “Cabin filter”): approve, decline or "
            "remove them before billing out."
        )
        after = fresh(repair_order)
        assert (after.status_id, after.closed_at, after.version) == (
            before.status_id,
            None,
            before.version,
        )
        assert not StatusChange.objects.filter(work_order=repair_order, to_status=statuses[17])

    def test_one_pending_job_is_named_alone(self, repair_order, advisor, statuses):
        priced_job(advisor, repair_order, title="Wiper blades")
        with pytest.raises(ServiceError, match=r"^1 job waits for approval \(“Wiper blades”\)"):
            to_status(advisor, repair_order, statuses[17])

    def test_a_declined_job_stays_on_the_invoice_at_zero_and_an_empty_pending_job_is_no_bar(
        self, repair_order, advisor, statuses
    ):
        wipers = priced_job(advisor, repair_order, title="Wiper blades", price="24.00")
        services.job_add(by=advisor, work_order=repair_order, version=None, title="Look at")
        approve(wipers, decision="declined", method="text", by=advisor, by_name="")
        invoice = to_status(advisor, repair_order, statuses[17])
        assert invoice.closed_at is not None
        assert invoice.labor_total == Decimal("120.00")  # the brakes only
        assert Job.objects.get(pk=wipers.pk).approval == Job.Approval.DECLINED


class TestTheShopRecordsApprovals:
    def test_a_phone_approval_is_recorded_with_its_method_name_and_time(
        self, repair_order, advisor
    ):
        written = timezone.now() - timedelta(hours=2)
        WorkOrder.objects.filter(pk=repair_order.pk).update(created_at=written)
        job = priced_job(advisor, repair_order, title="Wiper blades", price="24.00")
        called = timezone.now() - timedelta(minutes=20)
        approve(job, by=advisor, by_name="  Carlos   Diaz ", at=called, note="Wife of the owner")
        job.refresh_from_db()
        row = job.approvals.get()
        assert (row.decision, row.method, row.approved_by_name, row.recorded_by) == (
            "approved",
            "phone",
            "Carlos Diaz",
            advisor,
        )
        assert row.at == called and row.note == "Wife of the owner"
        assert row.recorded_at >= called
        assert (job.approval, job.approval_method, job.approval_by, job.approval_at) == (
            "approved",
            "phone",
            "Carlos Diaz",
            called,
        )

    def test_a_phone_approval_needs_who_gave_it(self, repair_order, advisor):
        job = priced_job(advisor, repair_order, title="Wiper blades")
        with pytest.raises(ServiceError, match="who gave it on the phone") as refused:
            approve(job, by=advisor, by_name=" ")
        assert refused.value.field == "by_name"
        assert Job.objects.get(pk=job.pk).approval == Job.Approval.PENDING
        assert not JobApproval.objects.filter(job=job).exists()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"method": "carrier pigeon"}, "Choose how"),
            ({"decision": "maybe"}, "Choose approve or decline"),
            ({"decision": "pending"}, "Choose approve or decline"),
            ({"at": "future"}, "in the future"),
            ({"at": "before"}, "older than the work order"),
            ({"note": "x" * 301}, "at most 300"),
        ],
    )
    def test_bad_approvals_are_refused_and_change_nothing(
        self, repair_order, advisor, fields, message
    ):
        job = priced_job(advisor, repair_order, title="Wiper blades")
        version = fresh(repair_order).version
        if fields.get("at") == "future":
            fields["at"] = timezone.now() + timedelta(hours=1)
        elif fields.get("at") == "before":
            fields["at"] = repair_order.created_at - timedelta(days=2)
        with pytest.raises(ServiceError, match=message):
            approve(job, by=advisor, **fields)
        assert Job.objects.get(pk=job.pk).approval == Job.Approval.PENDING
        assert fresh(repair_order).version == version
        assert not JobApproval.objects.filter(job=job).exists()

    def test_a_declined_job_can_be_approved_again_and_both_are_kept(self, repair_order, advisor):
        job = priced_job(advisor, repair_order, title="Wiper blades", price="24.00")
        approve(job, decision="declined", method="link", by_name="Rosa Diaz")
        assert fresh(repair_order).labor_total == Decimal("120.00")
        approve(job, method="in_person", by=advisor, by_name="")
        job.refresh_from_db()
        assert [(r.decision, r.method) for r in job.approvals.all()] == [
            ("declined", "link"),
            ("approved", "in_person"),
        ]
        assert (job.approval, job.approval_method) == ("approved", "in_person")
        assert fresh(repair_order).labor_total == Decimal("144.00")

    def test_the_same_decision_twice_is_recorded_once(self, repair_order, advisor):
        job = priced_job(advisor, repair_order, title="Wiper blades")
        approve(job, by=advisor)
        version = fresh(repair_order).version
        approve(job, by=advisor)
        assert job.approvals.count() == 1
        assert fresh(repair_order).version == version

    def test_a_stale_page_is_a_conflict(self, repair_order, advisor):
        job = priced_job(advisor, repair_order, title="Wiper blades")
        with pytest.raises(ServiceError) as refused:
            services.job_approval_set(
                job=job, version=1, approval="approved", method="in_person", by=advisor
            )
        assert refused.value.code == "conflict"
        assert not job.approvals.exists()

    def test_a_billed_out_invoice_is_locked(self, repair_order, advisor, statuses):
        job = repair_order.jobs.get()
        to_status(advisor, repair_order, statuses[17])
        with pytest.raises(ServiceError, match="locked"):
            approve(job, decision="declined", method="in_person", by=advisor)
        assert job.approvals.count() == 1  # the estimate's authorization only


class TestTechniciansWorkOnApprovedJobsOnly:
    def test_a_pending_or_declined_job_cannot_be_marked_done(
        self, repair_order, advisor, technician
    ):
        pending = priced_job(advisor, repair_order, title="Wiper blades")
        with pytest.raises(ServiceError, match="waits for approval"):
            services.job_done_set(by=technician, job=pending)
        approve(pending, decision="declined", method="in_person", by=advisor)
        with pytest.raises(ServiceError, match="was declined"):
            services.job_done_set(by=technician, job=pending)
        assert Job.objects.get(pk=pending.pk).done_at is None
        approved = repair_order.jobs.get(title="Front brakes")
        assert services.job_done_set(by=technician, job=approved).done_at is not None


class TestReopen:
    def test_the_reopen_form_offers_the_last_repair_order_status(
        self, client, repair_order, advisor, owner, statuses
    ):
        to_status(advisor, repair_order, statuses[13])
        to_status(advisor, repair_order, statuses[17])
        client.force_login(owner)
        page = client.get(reverse("workorders:editor", args=[repair_order.pk]))
        form = page.context["reopen_form"]
        assert form.initial["status"] == statuses[13].pk
        assert f'<option value="{statuses[13].pk}" selected>' in page.content.decode()

    def test_an_estimate_billed_straight_out_offers_the_first_repair_order_status(
        self, client, estimate, advisor, owner, statuses
    ):
        priced_job(advisor, estimate)
        to_status(advisor, estimate, statuses[17])
        client.force_login(owner)
        page = client.get(reverse("workorders:editor", args=[estimate.pk]))
        assert page.context["reopen_form"].initial["status"] == statuses[6].pk


def test_the_trail_belongs_to_its_work_order(advisor, statuses, shop_rates):
    first = services.workorder_create(by=advisor, vehicle=VehicleFactory())
    second = services.workorder_create(by=advisor, vehicle=VehicleFactory())
    approve(priced_job(advisor, first), by=advisor)
    priced_job(advisor, second)
    assert len(selectors.approval_trail(first)) == 1
    assert not selectors.approval_trail(second).exists()
