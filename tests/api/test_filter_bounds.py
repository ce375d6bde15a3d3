"""A number too large for any database column, in any list's filter: a 400 that says so, on
SQLite as on PostgreSQL (SQLite cannot even bind it), never a server error."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
TOO_BIG = "99999999999999999999"

FILTERS = [
    "/api/v1/customers/?source={}",
    "/api/v1/vehicles/?customer={}",
    "/api/v1/vehicles/?year={}",
    "/api/v1/work-orders/?customer={}",
    "/api/v1/work-orders/?vehicle={}",
    "/api/v1/work-orders/?status={}",
    "/api/v1/work-orders/?status_number={}",
    "/api/v1/work-orders/?advisor={}",
    "/api/v1/messages/?customer={}",
    "/api/v1/inbound-messages/?customer={}",
    "/api/v1/fleet-requests/?work_order={}",
    "/api/v1/fleet-requests/?company={}",
    "/api/v1/employees/?security_level={}",
    "/api/v1/inspections/?work_order={}",
    "/api/v1/inspections/?vehicle={}",
]


@pytest.mark.parametrize("url", FILTERS)
def test_a_number_too_large_is_a_400(owner, url):
    api = APIClient()
    api.force_authenticate(owner)
    response = api.get(url.format(TOO_BIG))
    assert response.status_code == 400
    name = url.split("?")[1].split("=")[0]
    assert name in response.json()


@pytest.mark.parametrize("url", ["/workorders/?customer={}", "/workorders/?vehicle={}"])
def test_the_work_order_page_shrugs_off_a_number_too_large(client, owner, url):
    client.force_login(owner)
    assert client.get(url.format(TOO_BIG)).status_code == 200
