"""Every fleet's requests as the shop's employees and outside systems read them."""

import pytest
from rest_framework.test import APIClient

from fleet import services
from fleet.models import RequestState
from tests.fleet.conftest import add_line, line_keys
from tests.fleet.factories import FleetAccountFactory
from tests.integrations.factories import bearer, make_integration
from tests.workorders.factories import VehicleFactory
from workorders import services as workorder_services

pytestmark = pytest.mark.django_db
BASE = "/api/v1/fleet-requests/"


@pytest.fixture
def api():
    return APIClient()


def submitted_for(company, advisor, count=1):
    """`count` submitted requests of this fleet company, each with one $80 line."""
    requests = []
    for _ in range(count):
        account = FleetAccountFactory(company=company)
        vehicle = VehicleFactory(customer=account.customer)
        work_order = workorder_services.workorder_create(by=advisor, vehicle=vehicle)
        job = workorder_services.job_add(
            by=advisor, work_order=work_order, version=work_order.version, title="Oil change"
        )
        add_line(work_order, job, advisor, "Oil and filter", "80.00")
        requests.append(services.fleet_request_submit(by=advisor, work_order=work_order))
    return requests


def test_an_advisor_lists_every_fleets_requests_in_fixed_queries(
    api, advisor, statuses, shop_rates, company, other_company, django_assert_max_num_queries
):
    few = submitted_for(company, advisor) + submitted_for(other_company, advisor)
    api.force_authenticate(advisor)
    with django_assert_max_num_queries(4) as captured:
        rows = api.get(BASE).json()["results"]
    assert {row["id"] for row in rows} == {r.pk for r in few}
    assert {row["fleet_company_id"] for row in rows} == {"RR-100", "OF-200"}
    submitted_for(company, advisor, count=6)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert len(api.get(BASE).json()["results"]) == 8


def test_it_filters_and_walks_cursor_pages_without_repeats(
    api, advisor, statuses, shop_rates, company, other_company
):
    mine = submitted_for(company, advisor, count=3)
    submitted_for(other_company, advisor, count=2)
    api.force_authenticate(advisor)
    seen, url = [], f"{BASE}?page_size=2"
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == 5 and len(set(seen)) == 5
    ours = api.get(f"{BASE}?company={company.pk}").json()["results"]
    assert {row["id"] for row in ours} == {r.pk for r in mine}
    awaiting = api.get(f"{BASE}?state={RequestState.AWAITING}").json()["results"]
    assert len(awaiting) == 5
    assert api.get(f"{BASE}?updated_since=2999-01-01T00:00:00Z").json()["results"] == []
    assert api.get(f"{BASE}?updated_since=yesterday").status_code == 400


def test_one_request_shows_what_was_sent_and_each_decision(
    api, advisor, statuses, shop_rates, fleet_work_order
):
    request = services.fleet_request_submit(by=advisor, work_order=fleet_work_order)
    first, second = line_keys(fleet_work_order)
    services.fleet_request_decide(
        request=request,
        version=1,
        by_name="Rapid Rentals",
        decisions=[
            {"line": first, "decision": "approved"},
            {"line": second, "decision": "denied", "reason": "Not in the contract"},
        ],
    )
    api.force_authenticate(advisor)
    detail = api.get(f"{BASE}{request.pk}/").json()
    assert detail["state"] == RequestState.PARTIAL
    assert [(line["decision"], line["reason"]) for line in detail["lines"]] == [
        ("approved", ""),
        ("denied", "Not in the contract"),
    ]


def test_a_token_reads_them_and_those_below_send_to_fleet_do_not(
    api, advisor, technician, fleet_user, statuses, shop_rates, company
):
    submitted_for(company, advisor)
    _integration, token = make_integration(security_level=3)
    assert api.get(BASE, **bearer(token)).status_code == 200
    _integration, low = make_integration(name="Bay tablet", security_level=5)
    assert api.get(BASE, **bearer(low)).status_code == 403
    api.force_authenticate(technician)
    assert api.get(BASE).status_code == 403
    api.force_authenticate(fleet_user)
    assert api.get(BASE).status_code == 403
    assert api.post(BASE, {}).status_code in (403, 405)
