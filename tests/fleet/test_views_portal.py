"""The fleet portal: only fleet users, only their fleet's requests."""

import pytest
from django.urls import reverse

from fleet import services
from fleet.models import FleetRequest, RequestState
from tests.fleet.conftest import line_keys
from tests.fleet.factories import FleetAccountFactory
from tests.workorders.factories import VehicleFactory
from workorders import services as workorder_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(fleet_work_order, advisor):
    return services.fleet_request_submit(
        by=advisor, work_order=fleet_work_order, line_notes={line_keys(fleet_work_order)[0]: "2mm"}
    )


def test_a_fleet_user_sees_its_requests(client, fleet_user, submitted, fleet_work_order):
    client.force_login(fleet_user)
    page = client.get(reverse("fleet:portal")).content.decode()
    assert f"#{fleet_work_order.pk}" in page and "Awaiting approval" in page
    page = client.get(reverse("fleet:portal_detail", args=[submitted.pk])).content.decode()
    for text in ("1FTFW1E50JFA12345", "Replace front pads", "$100.00", "Approve", "Deny", "2mm"):
        assert text in page


def test_employees_and_strangers_are_refused(client, owner, submitted):
    client.force_login(owner)  # an employee is not a fleet user
    assert client.get(reverse("fleet:portal")).status_code == 403
    client.logout()
    response = client.get(reverse("fleet:portal"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_fleets_request_is_a_404(client, other_fleet_user, submitted, fleet_work_order):
    client.force_login(other_fleet_user)
    assert f"#{fleet_work_order.pk}" not in client.get(reverse("fleet:portal")).content.decode()
    assert client.get(reverse("fleet:portal_detail", args=[submitted.pk])).status_code == 404
    brakes, _ = line_keys(fleet_work_order)
    response = client.post(
        reverse("fleet:portal_decide", args=[submitted.pk]),
        {"version": 1, f"decision_{brakes}": "approved"},
    )
    assert response.status_code == 404
    assert (
        client.post(reverse("fleet:portal_note", args=[submitted.pk]), {"body": "x"}).status_code
        == 404
    )
    assert FleetRequest.objects.get().state == RequestState.AWAITING


def test_deciding_in_the_portal(client, fleet_user, submitted, fleet_work_order):
    brakes, wipers = line_keys(fleet_work_order)
    client.force_login(fleet_user)
    url = reverse("fleet:portal_decide", args=[submitted.pk])
    response = client.post(
        url,
        {
            "version": 1,
            f"decision_{brakes}": "denied",
            f"reason_{brakes}": "Pads at 6mm",
            f"decision_{wipers}": "approved",
            f"reason_{wipers}": "",
            "note": "Call us",
        },
    )
    assert response.status_code == 302
    request = FleetRequest.objects.get()
    assert request.state == RequestState.PARTIAL
    assert request.notes.filter(side="fleet").count() == 2


def test_a_denial_without_reason_is_a_400(client, fleet_user, submitted, fleet_work_order):
    brakes, _ = line_keys(fleet_work_order)
    client.force_login(fleet_user)
    response = client.post(
        reverse("fleet:portal_decide", args=[submitted.pk]),
        {"version": 1, f"decision_{brakes}": "denied", f"reason_{brakes}": ""},
    )
    assert response.status_code == 400
    assert "Say why" in response.content.decode()


def test_a_decision_on_a_superseded_version_is_a_409(
    client, fleet_user, submitted, fleet_work_order, advisor
):
    from tests.fleet.conftest import add_line

    add_line(fleet_work_order, fleet_work_order.test_job, advisor, "Cabin filter", "30.00")
    services.fleet_request_submit(by=advisor, work_order=fleet_work_order)
    brakes, _wipers, _filter = line_keys(fleet_work_order)
    client.force_login(fleet_user)
    response = client.post(
        reverse("fleet:portal_decide", args=[submitted.pk]),
        {"version": 1, f"decision_{brakes}": "approved"},
    )
    assert response.status_code == 409
    assert "replaced by version 2" in response.content.decode()


def test_the_list_costs_the_same_queries_whatever_the_rows(
    client, fleet_user, company, advisor, statuses, shop_rates, django_assert_max_num_queries
):
    client.force_login(fleet_user)
    for _ in range(6):
        account = FleetAccountFactory(company=company)
        work_order = workorder_services.workorder_create(
            by=advisor, vehicle=VehicleFactory(customer=account.customer)
        )
        job = workorder_services.job_add(
            by=advisor, work_order=work_order, version=work_order.version, title="Job"
        )
        from tests.fleet.conftest import add_line

        add_line(work_order, job, advisor, "Labor", "10.00")
        services.fleet_request_submit(by=advisor, work_order=work_order)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("fleet:portal"))
    assert response.content.decode().count("Awaiting approval") == 6


def test_an_employee_tied_to_a_fleet_is_still_refused(client, advisor, company, submitted):
    from django.core.exceptions import ValidationError

    from fleet.models import FleetUser

    link = FleetUser(user=advisor, company=company)
    with pytest.raises(ValidationError):
        link.full_clean()
    link.save()
    client.force_login(advisor)
    assert client.get(reverse("fleet:portal")).status_code == 403


def test_the_list_puts_requests_waiting_on_the_fleet_first(
    client, fleet_user, submitted, fleet_work_order, company, advisor
):
    from fleet.selectors import portal_requests

    assert list(portal_requests(company.pk)) == [submitted]


def test_it_lands_a_fleet_login_on_its_portal_and_employees_elsewhere(client, fleet_user, owner):
    client.force_login(fleet_user)
    assert client.get(reverse("home"))["Location"] == reverse("fleet:portal")
    client.force_login(owner)
    assert client.get(reverse("home"))["Location"] == reverse("workorders:board")
