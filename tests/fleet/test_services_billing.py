"""Billing out a fleet work order: approved → approved invoice; unapproved → its own
security function, recorded; refused otherwise with nothing saved."""

import pytest

from fleet import services
from fleet.models import FleetRequest, UnapprovedBillOut
from shop.errors import ServiceError
from shop.models import SecurityFunctionLevel
from tests.fleet.conftest import line_keys
from workorders import services as workorder_services
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db


def bill_out(work_order, by, statuses):
    work_order.refresh_from_db()
    return workorder_services.workorder_status_set(
        by=by, work_order=work_order, version=work_order.version, status=statuses[17]
    )


def approve_all(work_order, advisor):
    request = services.fleet_request_submit(by=advisor, work_order=work_order)
    return services.fleet_request_decide(
        request=request,
        version=request.current_version,
        decisions=[{"line": k, "decision": "approved"} for k in line_keys(work_order)],
        by_name="Fleet",
    )


def test_the_invoice_of_an_approved_request_is_approved(fleet_work_order, advisor, statuses):
    approve_all(fleet_work_order, advisor)
    bill_out(fleet_work_order, advisor, statuses)
    request = FleetRequest.objects.get()
    assert request.invoice_approved_at is not None
    assert not UnapprovedBillOut.objects.exists()


def test_an_unapproved_bill_out_is_refused_below_the_function_level(
    fleet_work_order, advisor, statuses
):
    services.fleet_request_submit(by=advisor, work_order=fleet_work_order)
    with pytest.raises(ServiceError, match="has not approved") as error:
        bill_out(fleet_work_order, advisor, statuses)
    assert error.value.code == "fleet_unapproved"
    assert WorkOrder.objects.get(pk=fleet_work_order.pk).closed_at is None
    assert not UnapprovedBillOut.objects.exists()


def test_an_unapproved_bill_out_with_the_function_is_recorded(fleet_work_order, owner, statuses):
    bill_out(fleet_work_order, owner, statuses)
    record = UnapprovedBillOut.objects.get()
    assert record.by == owner and record.request_state == "Draft"
    assert WorkOrder.objects.get(pk=fleet_work_order.pk).closed_at is not None


def test_the_level_follows_set_security(fleet_work_order, advisor, statuses):
    SecurityFunctionLevel.objects.filter(code="bill_out_unapproved_fleet").update(level=3)
    bill_out(fleet_work_order, advisor, statuses)
    assert UnapprovedBillOut.objects.get().by == advisor


def test_a_change_after_approval_makes_the_bill_out_unapproved(
    fleet_work_order, advisor, owner, statuses
):
    approve_all(fleet_work_order, advisor)
    from tests.fleet.conftest import add_line

    add_line(fleet_work_order, fleet_work_order.test_job, advisor, "Cabin filter", "30.00")
    with pytest.raises(ServiceError, match="changed since it was approved"):
        bill_out(fleet_work_order, advisor, statuses)
    bill_out(fleet_work_order, owner, statuses)
    assert UnapprovedBillOut.objects.get().request_state == "needs approval again"
    assert FleetRequest.objects.get().invoice_approved_at is None


def test_reopening_the_invoice_takes_the_approval_off_it(
    fleet_work_order, advisor, owner, statuses
):
    approve_all(fleet_work_order, advisor)
    work_order = bill_out(fleet_work_order, advisor, statuses)
    workorder_services.workorder_reopen(
        by=owner, work_order=work_order, version=work_order.version, status=statuses[7], reason="x"
    )
    assert FleetRequest.objects.get().invoice_approved_at is None


def test_ordinary_work_orders_bill_out_as_before(statuses, shop_rates, advisor):
    from tests.workorders.factories import VehicleFactory

    work_order = workorder_services.workorder_create(by=advisor, vehicle=VehicleFactory())
    job = workorder_services.job_add(
        by=advisor, work_order=work_order, version=work_order.version, title="Oil", category="Oil"
    )
    from tests.fleet.conftest import add_line

    add_line(work_order, job, advisor, "Oil change", "40.00")
    bill_out(work_order, advisor, statuses)
    assert not UnapprovedBillOut.objects.exists()


def test_the_api_refuses_an_unapproved_bill_out_through_the_fleet_check(
    client, fleet_work_order, advisor, owner, statuses
):
    from django.urls import reverse

    services.fleet_request_submit(by=advisor, work_order=fleet_work_order)
    fleet_work_order.refresh_from_db()
    url = reverse("workorder-detail", args=[fleet_work_order.pk])
    body = {"version": fleet_work_order.version, "status_number": 17}
    client.force_login(advisor)
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "Rapid Rentals has not approved this work order" in response.json()["detail"]
    assert WorkOrder.objects.get(pk=fleet_work_order.pk).closed_at is None
    assert not UnapprovedBillOut.objects.exists()
    # Someone allowed to bill out unapproved fleet work does, and it is recorded.
    client.force_login(owner)
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["closed_at"]
    assert UnapprovedBillOut.objects.get().by == owner


# The fleet status is worked out once per bill-out: the check's, taken up by the
# receiver that records it. These counts are the whole bill-out (every app's check and
# receivers). Working the status out again in the receiver cost 5 more queries (57)
# for an approved request and 3 more (57) for a work order never sent to the fleet.
def test_an_approved_bill_out_runs_a_fixed_number_of_queries(
    fleet_work_order, advisor, statuses, django_assert_num_queries
):
    approve_all(fleet_work_order, advisor)
    fleet_work_order.refresh_from_db()
    with django_assert_num_queries(52):
        workorder_services.workorder_status_set(
            by=advisor,
            work_order=fleet_work_order,
            version=fleet_work_order.version,
            status=statuses[17],
        )
    assert FleetRequest.objects.get().invoice_approved_at is not None


def test_an_unapproved_bill_out_runs_a_fixed_number_of_queries(
    fleet_work_order, owner, statuses, django_assert_num_queries
):
    fleet_work_order.refresh_from_db()
    with django_assert_num_queries(54):
        workorder_services.workorder_status_set(
            by=owner,
            work_order=fleet_work_order,
            version=fleet_work_order.version,
            status=statuses[17],
        )
    assert UnapprovedBillOut.objects.get().request_state == "Draft"
