"""The integration API: a cursor page of work orders for a poller, and an upsert by external id."""

from __future__ import annotations

import uuid

from bench.harness import Bench, scenario


def _token(level: int = 1) -> str:
    from integrations.services import integration_create
    from shop.models import User

    owner = User.objects.filter(security_level=1, is_active=True).exclude(role="").first()
    _integration, token = integration_create(
        by=owner,
        name=f"bench {uuid.uuid4().hex[:8]}",
        access="read_write",
        security_level=level,
    )
    return token


@scenario("api.workorders_list")
def workorders_list(bench: Bench) -> None:
    """A cursor page of 100 work orders with their jobs and lines, as a poller reads it."""
    from django.test import Client

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token()}"}
    url = "/api/v1/sync/changes/work-orders/?page_size=100"
    first = client.get(url, **headers).json()
    pages = [url, first["next"] or url]
    bench.measure(lambda i: client.get(pages[i % 2], **headers), n=100)


@scenario("api.upsert")
def upsert(bench: Bench) -> None:
    """One work order with 10 lines sent again by its external id (the update path)."""
    from django.test import Client

    from customers.models import Vehicle

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token()}"}
    vehicle = Vehicle.objects.filter(is_active=True).order_by("id").first()
    lines = [
        {"kind": "part", "description": f"Part {n}", "quantity": "1", "unit_price": "12.50"}
        for n in range(9)
    ] + [{"kind": "labor", "description": "Labor", "quantity": "1.5"}]
    payload = {
        "vehicle": vehicle.pk,
        "status_number": 3,
        "concern": "Bench upsert",
        "jobs": [{"external_id": "J-1", "title": "Service", "lines": lines}],
    }
    external_id = f"bench-{uuid.uuid4().hex[:8]}"
    url = f"/api/v1/sync/work-orders/{external_id}/"

    def send(i: int):
        return client.put(url, payload, content_type="application/json", **headers)

    first = send(0)
    assert first.status_code == 201, first.content
    bench.measure(send, n=50)
