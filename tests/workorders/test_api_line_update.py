"""PATCH /api/v1/work-orders/{id}/lines/{line_id}/: a line changed in place through the API."""

from decimal import Decimal

import pytest
from django.urls import reverse

from workorders import services
from workorders.models import Line, WorkOrder

pytestmark = pytest.mark.django_db


def fresh(work_order) -> WorkOrder:
    return WorkOrder.objects.get(pk=work_order.pk)


@pytest.fixture
def part(estimate, advisor):
    job = services.job_add(
        by=advisor, work_order=estimate, version=None, title="Front brakes", category="Brakes"
    )
    return services.line_add(
        by=advisor,
        job=job,
        version=None,
        kind="part",
        description="Brake pads",
        quantity="1",
        unit_price="64.99",
    )


def url(line) -> str:
    return reverse("workorder-line-update", args=[line.work_order_id, line.pk])


def patch(client, line, body):
    return client.patch(url(line), body, content_type="application/json")


def test_the_automatic_labor_line_takes_new_hours_and_the_totals_follow(
    client, advisor, technician, estimate, part
):
    automatic = Line.objects.get(work_order=estimate, kind="labor")
    client.force_login(advisor)
    version = fresh(estimate).version
    response = patch(
        client, automatic, {"version": version, "quantity": "2.5", "technician": technician.pk}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == version + 1
    assert Decimal(body["labor_total"]) == Decimal("347.50")
    line = Line.objects.get(pk=automatic.pk)
    assert (line.quantity, line.technician, line.description) == (
        Decimal("2.50"),
        technician,
        "Labor",
    )


def test_a_stale_version_is_a_409_and_a_bad_value_a_400_and_neither_changes_anything(
    client, advisor, estimate, part
):
    client.force_login(advisor)
    version = fresh(estimate).version
    response = patch(client, part, {"version": version - 1, "quantity": "3"})
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    response = patch(client, part, {"version": version, "quantity": "-3"})
    assert response.status_code == 400
    assert response.json() == {"quantity": ["Quantity cannot be negative."]}
    response = patch(client, part, {"version": version, "kind": "labor", "quantity": "2"})
    assert response.status_code == 200  # an unknown field is ignored, as DRF does
    assert Line.objects.get(pk=part.pk).kind == "part"
    assert fresh(estimate).version == version + 1


def test_a_billed_out_invoice_is_a_409(client, advisor, estimate, part, statuses):
    services.workorder_status_set(
        by=advisor, work_order=estimate, version=None, status=statuses[17]
    )
    client.force_login(advisor)
    before = fresh(estimate).version
    response = patch(client, part, {"version": before, "quantity": "2"})
    assert response.status_code == 409
    assert "billed out and locked" in response.json()["detail"]
    assert Line.objects.get(pk=part.pk).quantity == Decimal("1.00")


def test_a_technician_is_refused_and_another_work_orders_line_is_not_found(
    client, advisor, technician, estimate, part, statuses, vehicle
):
    services.workorder_status_set(by=advisor, work_order=estimate, version=None, status=statuses[7])
    client.force_login(technician)
    response = patch(client, part, {"version": fresh(estimate).version, "quantity": "2"})
    assert response.status_code == 403
    other = services.workorder_create(by=advisor, vehicle=vehicle)
    client.force_login(advisor)
    response = client.patch(
        reverse("workorder-line-update", args=[other.pk, part.pk]),
        {"version": other.version, "quantity": "2"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Line.objects.get(pk=part.pk).quantity == Decimal("1.00")
