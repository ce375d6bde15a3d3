"""Done when: a full sync round trip as an outside system would make it, over HTTP with a
token, with the webhooks received by a local receiver and their signatures checked.

Real commits (transaction=True): each request commits, and its webhook deliveries are
sent after commit by the task (inline here, as on the embedded default). An inspection
tablet inspects the vehicle on the way, and the completed inspection is heard of too.
"""

from __future__ import annotations

import pytest

from integrations import services as integration_services
from integrations.models import Integration, WebhookEvent
from integrations.webhooks import verify
from shop.models import User
from tests.integrations.factories import bearer, make_integration
from tests.integrations.receiver import running_receiver
from tests.workorders.factories import VehicleFactory, inspection_sheet
from workorders import services as workorder_services
from workorders.models import Job
from workorders.seeding import statuses_ensure

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_point_of_sale_syncs_a_work_order_from_estimate_to_invoice(client, owner):
    statuses_ensure()
    vehicle = VehicleFactory(vin="1HGCM82633A004352", plate="7ABC123")
    integration, token = make_integration(
        by=owner, name="Counter POS", access=Integration.Access.READ_WRITE, security_level=1
    )
    auth = bearer(token)

    def put(url, data):
        response = client.put(url, data, content_type="application/json", **auth)
        assert response.status_code in (200, 201), response.content
        return response.json()

    with running_receiver() as receiver:
        subscription = integration_services.webhook_subscription_create(
            by=owner,
            integration=integration,
            url=receiver.url,
            events=[
                WebhookEvent.WORK_ORDER_STATUS_CHANGED,
                WebhookEvent.WORK_ORDER_CLOSED,
                WebhookEvent.INSPECTION_COMPLETED,
            ],
        )
        # Employees go one way.
        for external_id, role, level, name in [
            ("E-ADV", "advisor", 3, "Andy"),
            ("E-TECH", "technician", 5, "Tess"),
        ]:
            put(
                f"/api/v1/sync/employees/{external_id}/",
                {"first_name": name, "last_name": "Synced", "role": role, "security_level": level},
            )
        technician = User.objects.get(first_name="Tess", last_name="Synced")

        # An appointment, then the estimate at status 3: technicians do not see it.
        put(
            "/api/v1/sync/appointments/APT-1/",
            {
                "vehicle": vehicle.pk,
                "starts_at": "2026-12-01T08:00:00Z",
                "concern": "Brakes squeal",
                "advisor_external_id": "E-ADV",
            },
        )
        payload = {
            "vehicle": vehicle.pk,
            "status_number": 3,
            "concern": "Brakes squeal",
            "odometer_in": 84210,
            "advisor_external_id": "E-ADV",
            "jobs": [
                {
                    "external_id": "J-1",
                    "title": "Front brakes",
                    "technician_external_id": "E-TECH",
                    "lines": [
                        {"kind": "labor", "description": "Pads and rotors", "quantity": "1.5"},
                        {
                            "kind": "part",
                            "description": "Pads",
                            "quantity": "1",
                            "unit_price": "80",
                        },
                    ],
                }
            ],
        }
        estimate = put("/api/v1/sync/work-orders/RO-1001/", payload)
        assert estimate["stage"] == "estimate"
        client.force_login(technician)
        seen = client.get("/api/v1/work-orders/").json()["results"]
        assert estimate["id"] not in [row["id"] for row in seen]
        client.logout()

        # Status 8: a repair order, its job approved, and the technician sees it.
        repair = put("/api/v1/sync/work-orders/RO-1001/", {**payload, "status_number": 8})
        assert repair["stage"] == "repair_order" and repair["id"] == estimate["id"]
        assert [job["approval"] for job in repair["jobs"]] == ["approved"]
        client.force_login(technician)
        seen = client.get("/api/v1/work-orders/").json()["results"]
        assert estimate["id"] in [row["id"] for row in seen]
        client.logout()

        # The technician writes a customer-facing note on their job (the tablet).
        job = Job.objects.get(work_order_id=estimate["id"])
        workorder_services.job_note_add(
            by=technician, job=job, text="Rotors scored; replaced.", customer_facing=True
        )

        # The inspection tablet inspects the vehicle through the API: the last rating
        # completes the inspection, and the point of sale hears of it.
        sheet = inspection_sheet()
        inspection = client.post(
            "/api/v1/inspections/",
            {"work_order": estimate["id"], "sheet": sheet.pk},
            content_type="application/json",
            **auth,
        )
        assert inspection.status_code == 201, inspection.content
        inspection = inspection.json()
        for item, rating in zip(inspection["results"], ["green", "yellow", "red"], strict=True):
            rated = client.patch(
                f"/api/v1/inspections/{inspection['id']}/results/{item['id']}/",
                {"rating": rating},
                content_type="application/json",
                **auth,
            )
            assert rated.status_code == 200, rated.content
        assert rated.json()["completed_at"] is not None

        # Read back by the POS: odometer, VIN, plate, technician per job, job notes.
        detail = client.get(f"/api/v1/work-orders/{estimate['id']}/", **auth).json()
        assert detail["odometer_in"] == 84210
        assert detail["jobs"][0]["technician"] == technician.pk
        assert "Rotors scored" in detail["jobs"][0]["customer_notes"]
        car = client.get(f"/api/v1/vehicles/{vehicle.pk}/", **auth).json()
        assert car["vin"] == "1HGCM82633A004352" and car["plate"] == "7ABC123"

        # Status 17 closes it.
        closed = put(
            "/api/v1/sync/work-orders/RO-1001/",
            {"vehicle": vehicle.pk, "status_number": 17, "odometer_out": 84230},
        )
        assert closed["stage"] == "invoice" and closed["closed_at"] is not None
        assert closed["odometer_out"] == 84230

    # The webhooks that came, each signed with the subscription's secret.
    assert receiver.received, "no webhook was delivered"
    for delivery in receiver.received:
        assert verify(
            subscription.secret,
            timestamp=delivery.headers["X-Shop-Timestamp"],
            body=delivery.body,
            signature=delivery.headers["X-Shop-Signature"],
        )
    moves = [d.json["data"]["status_number"] for d in receiver.events("work_order.status_changed")]
    assert moves == [8, 17]
    [closing] = receiver.events("work_order.closed")
    assert closing.json["data"]["id"] == estimate["id"]
    [completed] = receiver.events("inspection.completed")
    assert completed.json["data"]["id"] == inspection["id"]
    assert completed.json["data"]["work_order_id"] == estimate["id"]
    assert completed.json["data"]["counts"] == {"green": 1, "yellow": 1, "red": 1}
    assert completed.json["data"]["completed_at"] is not None
