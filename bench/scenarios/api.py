"""The integration API: a cursor page of work orders for a poller, and an upsert by external id."""

from __future__ import annotations

import itertools
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


def _upsert_sender(client, headers):
    """PUT one work order with 10 lines under a new external id; `send(payload)`."""
    from customers.models import Vehicle

    vehicle = Vehicle.objects.filter(is_active=True).order_by("id").first()
    url = f"/api/v1/sync/work-orders/bench-{uuid.uuid4().hex[:8]}/"

    def payload(price: str) -> dict:
        lines = [
            {"kind": "part", "description": f"Part {n}", "quantity": "1", "unit_price": price}
            for n in range(9)
        ] + [{"kind": "labor", "description": "Labor", "quantity": "1.5"}]
        return {
            "vehicle": vehicle.pk,
            "status_number": 3,
            "concern": "Bench upsert",
            "jobs": [{"external_id": "J-1", "title": "Service", "lines": lines}],
        }

    def send(price: str):
        return client.put(url, payload(price), content_type="application/json", **headers)

    first = send("12.50")
    assert first.status_code == 201, first.content
    return send


@scenario("api.upsert")
def upsert(bench: Bench) -> None:
    """One work order with 10 lines sent again by its external id, its prices changed each time
    (the update path that writes: the lines are replaced and the totals recomputed)."""
    from django.test import Client

    client = Client()
    send = _upsert_sender(client, {"HTTP_AUTHORIZATION": f"Bearer {_token()}"})
    prices = itertools.cycle(["14.00", "12.50"])  # each call differs from the one before
    bench.measure(lambda i: send(next(prices)), n=100)


@scenario("api.upsert.unchanged")
def upsert_unchanged(bench: Bench) -> None:
    """The same work order sent again exactly as it was (a point of sale resending): no writes."""
    from django.test import Client

    client = Client()
    send = _upsert_sender(client, {"HTTP_AUTHORIZATION": f"Bearer {_token()}"})
    bench.measure(lambda i: send("12.50"), n=100)
