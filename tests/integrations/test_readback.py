"""Read-back for polling: changes since a time, cursor pages, a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration
from tests.integrations.factories import bearer, make_integration
from tests.workorders.factories import VehicleFactory
from workorders import services
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db

URL = "/api/v1/sync/changes/work-orders/"


def write_work_orders(advisor, count):
    made = []
    for _ in range(count):
        work_order = services.workorder_create(
            by=advisor, vehicle=VehicleFactory(), odometer_in=1000
        )
        job = services.job_add(
            by=advisor,
            work_order=work_order,
            version=None,
            title="Oil change",
            customer_notes="Oil was black",
        )
        services.line_add(
            by=advisor, job=job, version=None, kind="labor", description="Oil", quantity="1"
        )
        made.append(work_order)
    return made


def test_it_lists_changes_since_a_time_oldest_first(client, advisor, statuses, shop_rates):
    _integration, token = make_integration(access=Integration.Access.READ)
    old, new = write_work_orders(advisor, 2)
    WorkOrder.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    response = client.get(URL, {"updated_since": since}, **bearer(token))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [new.pk]
    row = rows[0]
    assert row["odometer_in"] == 1000 and row["vin"] == new.vehicle.vin
    assert row["jobs"][0]["customer_notes"] == "Oil was black"
    assert [line["description"] for line in row["jobs"][0]["lines"]] == ["Oil"]
    assert row["external_id"] is None


def test_it_walks_cursor_pages_in_fixed_queries(
    client, advisor, statuses, shop_rates, django_assert_max_num_queries
):
    _integration, token = make_integration(access=Integration.Access.READ)
    write_work_orders(advisor, 5)
    seen = []
    url = URL + "?page_size=2"
    while url:
        with django_assert_max_num_queries(8):
            page = client.get(url, **bearer(token)).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == 5 == len(set(seen))


def test_it_refuses_a_bad_time_and_the_technician_sees_no_estimates(
    client, technician, advisor, statuses, shop_rates
):
    write_work_orders(advisor, 1)
    _integration, token = make_integration(access=Integration.Access.READ)
    assert client.get(URL, {"updated_since": "yesterday"}, **bearer(token)).status_code == 400
    client.force_login(technician)
    response = client.get(URL)
    assert response.status_code == 200 and response.json()["results"] == []


def test_it_lists_vehicle_changes(client, advisor):
    _integration, token = make_integration(access=Integration.Access.READ, security_level=3)
    vehicle = VehicleFactory(plate="XYZ9")
    response = client.get("/api/v1/sync/changes/vehicles/", **bearer(token))
    assert response.status_code == 200
    assert [row["plate"] for row in response.json()["results"]] == ["XYZ9"]
    assert vehicle.pk == response.json()["results"][0]["id"]


def test_the_fast_rows_match_the_documented_serializer(client, advisor, statuses, shop_rates):
    from integrations.api.readback import WorkOrderChangeSerializer, WorkOrderChangesView

    _integration, token = make_integration(access=Integration.Access.READ)
    write_work_orders(advisor, 2)
    rows = client.get(URL, **bearer(token)).json()["results"]
    view = WorkOrderChangesView()
    view.request = type("R", (), {"user": advisor, "auth": None})()
    expected = WorkOrderChangeSerializer(
        view.get_queryset().order_by("updated_at", "id"), many=True
    ).data
    assert rows == [dict(row) for row in expected]


def test_rows_changed_in_the_same_instant_are_each_read_once(client, advisor, statuses, shop_rates):
    _integration, token = make_integration(access=Integration.Access.READ)
    write_work_orders(advisor, 5)
    WorkOrder.objects.update(updated_at="2026-11-20T10:00:00Z")
    seen, url = [], f"{URL}?page_size=2&updated_since=2026-11-20T11:00:00%2B01:00"
    while url:
        page = client.get(url, **bearer(token)).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(WorkOrder.objects.values_list("id", flat=True))
    assert client.get(f"{URL}?cursor=forged", **bearer(token)).status_code == 404
