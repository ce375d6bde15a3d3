"""Who may see estimates also decides who may write them: every write to a work order is
checked in one place (services.work_orders.work_order_claim), whatever the page or API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shop.errors import ServiceError
from shop.models import SecurityFunctionLevel
from tests.workorders.factories import brake_package
from workorders import services
from workorders.models import Job, Line, StatusChange, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(db):
    """The owner raised "See estimates" to level 3."""
    SecurityFunctionLevel.objects.update_or_create(code="view_estimates", defaults={"level": 3})


@pytest.fixture
def job(estimate, advisor):
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Front brakes")
    services.line_add(
        by=advisor, job=job, version=None, kind="labor", description="Pads", quantity="1"
    )
    return Job.objects.get(pk=job.pk)


def snapshot(work_order):
    wo = WorkOrder.objects.get(pk=work_order.pk)
    return (
        wo.version,
        wo.status_id,
        wo.concern,
        list(Job.objects.filter(work_order=wo).values_list("id", "title", "approval")),
        list(Line.objects.filter(work_order=wo).values_list("id", "quantity")),
    )


WRITES = {
    "header": lambda by, wo, job, s, pkg: services.workorder_update(
        by=by, work_order=wo, version=None, concern="Hidden"
    ),
    "status": lambda by, wo, job, s, pkg: services.workorder_status_set(
        by=by, work_order=wo, version=None, status=s[3]
    ),
    "job_add": lambda by, wo, job, s, pkg: services.job_add(
        by=by, work_order=wo, version=None, title="Wipers"
    ),
    "package": lambda by, wo, job, s, pkg: services.job_add_package(
        by=by, work_order=wo, version=None, package=pkg
    ),
    "job_update": lambda by, wo, job, s, pkg: services.job_update(
        by=by, job=job, version=None, title="Renamed"
    ),
    "line_add": lambda by, wo, job, s, pkg: services.line_add(
        by=by,
        job=job,
        version=None,
        kind="fee",
        description="Shop supplies",
        quantity="1",
        unit_price="5",
    ),
    "line_remove": lambda by, wo, job, s, pkg: services.line_remove(
        by=by, line=job.lines.first(), version=None
    ),
    "lines_replace": lambda by, wo, job, s, pkg: services.job_lines_replace(
        by=by, job=job, version=None, lines=[{"kind": "fee", "description": "X", "quantity": 1}]
    ),
    "approval": lambda by, wo, job, s, pkg: services.job_approval_set(
        job=job, version=None, approval="approved", method="in_person", by=by
    ),
    "priority": lambda by, wo, job, s, pkg: services.workorder_priority_set(
        by=by, work_order=wo, priority=4
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_level_4_employee_cannot_write_an_estimate_once_see_estimates_is_level_3(
    estimate, job, employee_at, statuses, raised, write
):
    before = snapshot(estimate)
    with pytest.raises(ServiceError) as refused:
        WRITES[write](employee_at(4), estimate, job, statuses, brake_package())
    assert refused.value.code == "hidden"
    assert "“See estimates” needs security level 3 and yours is level 4" in refused.value.message
    assert snapshot(estimate) == before


@pytest.mark.parametrize("write", ["header", "job_add", "line_add", "approval"])
def test_the_same_writes_pass_at_the_raised_level(
    estimate, job, employee_at, statuses, raised, write
):
    WRITES[write](employee_at(3), estimate, job, statuses, brake_package())


def test_a_repair_order_cannot_be_turned_into_a_hidden_estimate(
    estimate, job, advisor, employee_at, statuses, raised
):
    services.workorder_status_set(by=advisor, work_order=estimate, version=None, status=statuses[7])
    writer = employee_at(4)
    services.workorder_status_set(by=writer, work_order=estimate, version=None, status=statuses[9])
    with pytest.raises(ServiceError, match=r"turn Repair order #\d+ into an estimate"):
        services.workorder_status_set(
            by=writer, work_order=estimate, version=None, status=statuses[2]
        )
    assert WorkOrder.objects.get(pk=estimate.pk).status == statuses[9]


def test_reopening_into_an_estimate_needs_to_see_estimates(
    estimate, job, advisor, employee_at, statuses
):
    SecurityFunctionLevel.objects.update_or_create(code="view_estimates", defaults={"level": 1})
    services.workorder_status_set(
        by=advisor, work_order=estimate, version=None, status=statuses[17]
    )
    manager = employee_at(2)
    with pytest.raises(ServiceError) as refused:
        services.workorder_reopen(
            by=manager, work_order=estimate, version=None, status=statuses[1], reason="Fix"
        )
    assert refused.value.code == "hidden"
    assert WorkOrder.objects.get(pk=estimate.pk).closed_at is not None
    services.workorder_reopen(
        by=manager, work_order=estimate, version=None, status=statuses[13], reason="Fix"
    )
    assert WorkOrder.objects.get(pk=estimate.pk).closed_at is None


class TestTheEditorsWritesAnswer403:
    def posts(self, wo, job, statuses):
        version = WorkOrder.objects.get(pk=wo.pk).version
        line = job.lines.first()
        return {
            "header_save": (
                reverse("workorders:header_save", args=[wo.pk]),
                {"version": version, "priority": 2, "concern": "Hidden"},
            ),
            "status_change": (
                reverse("workorders:status_change", args=[wo.pk]),
                {"version": version, "status": statuses[3].pk},
            ),
            "job_add": (
                reverse("workorders:job_add", args=[wo.pk]),
                {"version": version, "title": "Wipers"},
            ),
            "line_add": (
                reverse("workorders:line_add", args=[wo.pk, job.pk]),
                {
                    "version": version,
                    "kind": "fee",
                    "description": "Supplies",
                    "quantity": "1",
                    "unit_price": "5",
                },
            ),
            "line_remove": (
                reverse("workorders:line_remove", args=[wo.pk, job.pk]),
                {"version": version, "line": line.pk},
            ),
            "job_notes": (
                reverse("workorders:job_notes", args=[wo.pk, job.pk]),
                {"version": version, "customer_notes": "Hidden", "internal_notes": ""},
            ),
            "job_approval": (
                reverse("workorders:job_approval", args=[wo.pk, job.pk]),
                {"version": version, "decision": "approved", "method": "in_person"},
            ),
        }

    @pytest.mark.parametrize(
        "name",
        [
            "header_save",
            "status_change",
            "job_add",
            "line_add",
            "line_remove",
            "job_notes",
            "job_approval",
        ],
    )
    def test_a_level_4_employee_is_refused_and_nothing_changes(
        self, client, estimate, job, employee_at, statuses, raised, name
    ):
        url, data = self.posts(estimate, job, statuses)[name]
        before = snapshot(estimate)
        client.force_login(employee_at(4))
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 403
        assert "needs security level 3" in response.content.decode()
        assert snapshot(estimate) == before

    def test_the_reopen_page_refuses_an_estimate_status(
        self, client, estimate, job, advisor, employee_at, statuses
    ):
        SecurityFunctionLevel.objects.update_or_create(code="view_estimates", defaults={"level": 1})
        services.workorder_status_set(
            by=advisor, work_order=estimate, version=None, status=statuses[17]
        )
        changes = StatusChange.objects.count()
        client.force_login(employee_at(2))
        version = WorkOrder.objects.get(pk=estimate.pk).version
        response = client.post(
            reverse("workorders:reopen", args=[estimate.pk]),
            {"version": version, "status": statuses[1].pk, "reason": "Fix"},
        )
        assert response.status_code == 403
        assert StatusChange.objects.count() == changes


def test_the_api_answers_403_for_turning_a_repair_order_into_a_hidden_estimate(
    client, estimate, job, advisor, employee_at, statuses, raised
):
    services.workorder_status_set(by=advisor, work_order=estimate, version=None, status=statuses[7])
    client.force_login(employee_at(4))
    version = WorkOrder.objects.get(pk=estimate.pk).version
    response = client.patch(
        reverse("workorder-detail", args=[estimate.pk]),
        {"version": version, "status_number": 2},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "needs security level 3" in str(response.json())
    assert WorkOrder.objects.get(pk=estimate.pk).status == statuses[7]


def test_a_new_estimate_is_refused_below_see_estimates(
    client, vehicle, statuses, employee_at, raised
):
    with pytest.raises(ServiceError, match="you may not write an estimate"):
        services.workorder_create(by=employee_at(4), vehicle=vehicle)
    client.force_login(employee_at(4))
    response = client.post(reverse("workorders:new"), {"vehicle": vehicle.pk, "concern": "Noise"})
    assert response.status_code == 403
    assert not WorkOrder.objects.exists()
