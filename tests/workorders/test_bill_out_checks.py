"""Bill-out checks (workorders.bill_out): other apps' conditions for billing out, asked by
name by the status service before anything is written, whatever path billed it out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shop.errors import ServiceError
from workorders import events, services
from workorders.bill_out import (
    BillOutRefusal,
    bill_out_check_names,
    bill_out_check_register,
    bill_out_check_unregister,
)
from workorders.models import Job, JobApproval, StatusChange, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    """Register checks for one test; they are gone after it, the app's own ones stay."""
    names: list[str] = []

    def register(name, check):
        names.append(name)
        bill_out_check_register(name, check)

    yield register
    for name in names:
        bill_out_check_unregister(name)


@pytest.fixture
def estimate_with_a_line(estimate, advisor):
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Diagnosis")
    services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="labor",
        description="Diagnose the noise",
        quantity="1",
        unit_price="90",
    )
    return WorkOrder.objects.get(pk=estimate.pk)


def over_the_limit(work_order, by):
    return BillOutRefusal("Over the customer's credit limit: take a payment first.", "ar_limit")


def snapshot(work_order):
    """Everything a bill-out writes, to compare before and after a refusal."""
    row = WorkOrder.objects.get(pk=work_order.pk)
    return {
        "work_order": (row.status_id, row.stage, row.version, row.closed_at, row.grand_total),
        "status_changes": StatusChange.objects.filter(work_order=work_order).count(),
        "approvals": JobApproval.objects.filter(work_order=work_order).count(),
        "pending": Job.objects.filter(work_order=work_order, approval="pending").count(),
    }


def test_it_registers_the_fleet_check_by_name_when_the_apps_are_ready():
    assert "fleet_approval" in bill_out_check_names()


def test_a_registered_check_refuses_the_bill_out_and_nothing_is_written(
    estimate_with_a_line, advisor, statuses, registered
):
    calls = []

    def check(work_order, by):
        calls.append((work_order.pk, work_order.stage, by))
        return over_the_limit(work_order, by)

    registered("test_credit_limit", check)
    before = snapshot(estimate_with_a_line)
    sent = []

    def closed(**kwargs):
        sent.append(kwargs)

    events.work_order_closed.connect(closed, dispatch_uid="test.closed")
    try:
        with pytest.raises(ServiceError, match="Over the customer's credit limit") as error:
            services.workorder_status_set(
                by=advisor,
                work_order=estimate_with_a_line,
                version=estimate_with_a_line.version,
                status=statuses[17],
            )
    finally:
        events.work_order_closed.disconnect(dispatch_uid="test.closed")
    assert error.value.code == "ar_limit"
    # Asked once, with the work order still an estimate and the employee billing it out.
    assert calls == [(estimate_with_a_line.pk, "estimate", advisor)]
    # Nothing was written: not the status, not the estimate's authorization, no event.
    assert snapshot(estimate_with_a_line) == before
    assert before["pending"] == 1 and sent == []


def test_a_check_that_raises_refuses_too(estimate_with_a_line, advisor, statuses, registered):
    def check(work_order, by):
        raise ServiceError("The parts are not received yet.", code="parts_open")

    registered("test_parts", check)
    with pytest.raises(ServiceError, match="parts are not received") as error:
        services.workorder_status_set(
            by=advisor, work_order=estimate_with_a_line, version=None, status=statuses[17]
        )
    assert error.value.code == "parts_open"
    assert WorkOrder.objects.get(pk=estimate_with_a_line.pk).closed_at is None


def test_checks_are_asked_in_order_and_the_first_refusal_wins(
    estimate_with_a_line, advisor, statuses, registered
):
    asked = []

    def passes(work_order, by):
        asked.append("first")

    def refuses(work_order, by):
        asked.append("second")
        return BillOutRefusal("Second says no.", "second")

    def never_asked(work_order, by):
        asked.append("third")
        return BillOutRefusal("Third says no.", "third")

    registered("test_first", passes)
    registered("test_second", refuses)
    registered("test_third", never_asked)
    names = bill_out_check_names()
    assert names[-3:] == ["test_first", "test_second", "test_third"]
    with pytest.raises(ServiceError, match="Second says no"):
        services.workorder_status_set(
            by=advisor, work_order=estimate_with_a_line, version=None, status=statuses[17]
        )
    assert asked == ["first", "second"]

    # Registering a name again replaces that check where it stood.
    registered("test_second", passes)
    assert bill_out_check_names() == names
    asked.clear()
    with pytest.raises(ServiceError, match="Third says no"):
        services.workorder_status_set(
            by=advisor, work_order=estimate_with_a_line, version=None, status=statuses[17]
        )
    assert asked == ["first", "first", "third"]

    # Gone: the bill-out goes through.
    bill_out_check_unregister("test_third")
    closed = services.workorder_status_set(
        by=advisor, work_order=estimate_with_a_line, version=None, status=statuses[17]
    )
    assert closed.closed_at is not None and "test_third" not in bill_out_check_names()


def test_a_check_is_asked_only_when_billing_out(
    estimate_with_a_line, advisor, statuses, registered
):
    asked = []
    registered("test_counting", lambda work_order, by: asked.append(work_order.stage))
    services.workorder_status_set(
        by=advisor, work_order=estimate_with_a_line, version=None, status=statuses[7]
    )
    assert asked == []
    closed = services.workorder_status_set(
        by=advisor, work_order=estimate_with_a_line, version=None, status=statuses[17]
    )
    assert asked == ["repair_order"] and closed.closed_at is not None


def test_a_check_needs_a_plain_name_and_a_function():
    with pytest.raises(ValueError):
        bill_out_check_register("", over_the_limit)
    with pytest.raises(ValueError):
        bill_out_check_register("credit limit!", over_the_limit)
    with pytest.raises(TypeError):
        bill_out_check_register("credit_limit", "over_the_limit")
    assert "credit_limit" not in bill_out_check_names()


def test_the_api_bills_out_through_the_same_checks(
    client, estimate_with_a_line, advisor, technician, statuses, registered
):
    registered("test_credit_limit", over_the_limit)
    url = reverse("workorder-detail", args=[estimate_with_a_line.pk])
    body = {"version": estimate_with_a_line.version, "status_number": 17}
    before = snapshot(estimate_with_a_line)
    # A technician may not change work orders at all; the advisor is refused by the check.
    client.force_login(technician)
    assert client.patch(url, body, content_type="application/json").status_code == 403
    client.force_login(advisor)
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Over the customer's credit limit: take a payment first."}
    assert snapshot(estimate_with_a_line) == before
    bill_out_check_unregister("test_credit_limit")
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["closed_at"]


def test_the_editor_shows_a_refusal_and_bills_nothing_out(
    client, estimate_with_a_line, advisor, statuses, registered
):
    registered("test_credit_limit", over_the_limit)
    before = snapshot(estimate_with_a_line)
    client.force_login(advisor)
    response = client.post(
        reverse("workorders:status_change", args=[estimate_with_a_line.pk]),
        {"status": statuses[17].pk, "version": estimate_with_a_line.version},
        follow=True,
    )
    assert response.status_code == 200
    assert "Over the customer&#x27;s credit limit: take a payment first." in (
        response.content.decode()
    )
    assert snapshot(estimate_with_a_line) == before
