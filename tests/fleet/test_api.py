"""The fleet API: a fleet user's login, its fleet only; conflicts are 409s."""

import pytest
from rest_framework.test import APIClient

from fleet import services
from fleet.models import FleetRequest, RequestState
from tests.fleet.conftest import line_keys

pytestmark = pytest.mark.django_db
BASE = "/api/v1/fleet/requests/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def submitted(fleet_work_order, advisor):
    return services.fleet_request_submit(by=advisor, work_order=fleet_work_order)


def test_a_fleet_user_lists_and_reads_its_requests(
    api, fleet_user, submitted, django_assert_max_num_queries
):
    api.force_authenticate(fleet_user)
    with django_assert_max_num_queries(3):
        rows = api.get(BASE).json()["results"]
    assert [row["id"] for row in rows] == [submitted.pk]
    detail = api.get(f"{BASE}{submitted.pk}/").json()
    assert detail["state"] == "awaiting" and detail["version"] == 1
    assert detail["repair_order"]["vehicle"]["vin"] == "1FTFW1E50JFA12345"
    assert [line["decision"] for line in detail["lines"]] == ["pending", "pending"]


def test_employees_are_refused(api, owner, submitted):
    api.force_authenticate(owner)
    assert api.get(BASE).status_code == 403


def test_another_fleet_gets_404s(api, other_fleet_user, submitted, fleet_work_order):
    api.force_authenticate(other_fleet_user)
    assert api.get(BASE).json()["results"] == []
    assert api.get(f"{BASE}{submitted.pk}/").status_code == 404
    decisions = [{"line": k, "decision": "approved"} for k in line_keys(fleet_work_order)]
    response = api.post(
        f"{BASE}{submitted.pk}/decisions/", {"version": 1, "decisions": decisions}, format="json"
    )
    assert response.status_code == 404
    assert api.post(f"{BASE}{submitted.pk}/notes/", {"body": "x"}, format="json").status_code == 404
    assert FleetRequest.objects.get().state == RequestState.AWAITING


def test_deciding_through_the_api_twice_gives_the_same_result_once(
    api, fleet_user, submitted, fleet_work_order
):
    api.force_authenticate(fleet_user)
    decisions = [{"line": k, "decision": "approved"} for k in line_keys(fleet_work_order)]
    url = f"{BASE}{submitted.pk}/decisions/"
    first = api.post(url, {"version": 1, "decisions": decisions}, format="json")
    second = api.post(url, {"version": 1, "decisions": decisions}, format="json")
    assert first.status_code == second.status_code == 200
    assert first.json()["state"] == second.json()["state"] == "approved"
    assert first.json()["lines"] == second.json()["lines"]


def test_a_superseded_version_is_a_409(api, fleet_user, submitted, fleet_work_order):
    api.force_authenticate(fleet_user)
    decisions = [{"line": line_keys(fleet_work_order)[0], "decision": "approved"}]
    response = api.post(
        f"{BASE}{submitted.pk}/decisions/", {"version": 9, "decisions": decisions}, format="json"
    )
    assert response.status_code == 409


def test_bad_input_is_a_400(api, fleet_user, submitted, fleet_work_order):
    api.force_authenticate(fleet_user)
    url = f"{BASE}{submitted.pk}/decisions/"
    assert api.post(url, {"decisions": []}, format="json").status_code == 400
    brakes = line_keys(fleet_work_order)[0]
    response = api.post(
        url, {"version": 1, "decisions": [{"line": brakes, "decision": "denied"}]}, format="json"
    )
    assert response.status_code == 400 and "Say why" in str(response.json())
    response = api.post(
        f"{BASE}{submitted.pk}/notes/", {"body": "Please call", "line": brakes}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["notes"][0]["body"] == "Please call"


def test_a_fleet_walks_its_requests_while_deciding_them_and_sees_each_once(
    api, fleet_user, advisor, company, statuses, shop_rates, django_assert_max_num_queries
):
    from tests.fleet.test_shop_api import submitted_for

    requests = submitted_for(company, advisor, count=4)
    services.fleet_request_cancel(by=advisor, work_order=requests[0].work_order)
    api.force_authenticate(fleet_user)
    seen, url = [], f"{BASE}?state=awaiting&page_size=2"
    while url:
        with django_assert_max_num_queries(4):
            page = api.get(url).json()
        for row in page["results"]:
            seen.append(row["id"])
            request = FleetRequest.objects.get(pk=row["id"])
            keys = [line.line_key for line in request.versions.get(number=1).lines.all()]
            services.fleet_request_decide(
                request=request,
                version=1,
                decisions=[{"line": key, "decision": "approved"} for key in keys],
                by_name="Fran Fleet",
            )
        url = page["next"]
    assert sorted(seen) == sorted(r.pk for r in requests[1:])
    everything = api.get(BASE).json()["results"]
    assert [row["id"] for row in everything] == sorted((r.pk for r in requests), reverse=True)
    assert api.get(f"{BASE}?state=maybe").status_code == 400
