"""Sync by external id: upserts of employees, appointments and work orders with children."""

from __future__ import annotations

import pytest

from integrations.models import ExternalKey, Integration
from shop.models import User
from tests.integrations.factories import bearer, make_integration
from workorders.models import Appointment, Job, Line, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def pos(db):
    return make_integration(name="POS", access=Integration.Access.READ_WRITE, security_level=1)


def put(client, url, token, data):
    return client.put(url, data, content_type="application/json", **bearer(token))


def employee(client, token, external_id, **fields):
    data = {"first_name": "Tess", "last_name": "Tech", "role": "technician", "security_level": 5}
    return put(client, f"/api/v1/sync/employees/{external_id}/", token, {**data, **fields})


def test_it_creates_changes_and_deactivates_an_employee(client, pos):
    _integration, token = pos
    created = employee(client, token, "E-1")
    assert created.status_code == 201, created.content
    again = employee(client, token, "E-1", last_name="Techson")
    assert again.status_code == 200
    assert User.objects.filter(last_name__in=["Tech", "Techson"]).count() == 1
    synced = User.objects.get(last_name="Techson")
    assert synced.role == "technician" and not synced.has_usable_password()
    gone = client.delete("/api/v1/sync/employees/E-1/", **bearer(token))
    assert gone.status_code == 200
    changed_before = synced.updated_at
    synced.refresh_from_db()
    assert not synced.is_active
    assert synced.updated_at > changed_before  # a poller of updated_since sees it go
    assert client.delete("/api/v1/sync/employees/nobody/", **bearer(token)).status_code == 404


def test_it_refuses_a_session_and_a_low_level_token_for_employees(client, owner):
    client.force_login(owner)
    response = client.put(
        "/api/v1/sync/employees/E-1/",
        {"first_name": "A", "role": "technician", "security_level": 5},
        content_type="application/json",
    )
    assert response.status_code == 403
    _integration, token = make_integration(name="Tablet", security_level=3)
    assert employee(client, token, "E-1").status_code == 403
    assert not User.objects.filter(username__startswith="sync-").exists()


def test_it_upserts_an_appointment(client, pos, vehicle):
    _integration, token = pos
    url = "/api/v1/sync/appointments/A-9/"
    data = {"vehicle": vehicle.pk, "starts_at": "2026-12-01T09:00:00Z", "concern": "Noise"}
    assert put(client, url, token, data).status_code == 201
    moved = put(client, url, token, {**data, "starts_at": "2026-12-02T10:00:00Z"})
    assert moved.status_code == 200
    appointment = Appointment.objects.get()
    assert appointment.starts_at.day == 2


def test_deleting_an_appointment_cancels_it_once(client, pos, vehicle):
    _integration, token = pos
    url = "/api/v1/sync/appointments/A-10/"
    data = {"vehicle": vehicle.pk, "starts_at": "2026-12-01T09:00:00Z", "concern": "Noise"}
    assert put(client, url, token, data).status_code == 201
    gone = client.delete(url, **bearer(token))
    assert gone.status_code == 200 and gone.json()["cancelled_at"]
    assert gone.json()["cancel_reason"] == "Cancelled in POS"
    cancelled_at = Appointment.objects.get().cancelled_at
    assert client.delete(url, **bearer(token)).status_code == 200
    assert Appointment.objects.get().cancelled_at == cancelled_at
    # Sent again after it was cancelled: refused, and it stays cancelled.
    again = put(client, url, token, {**data, "concern": "Rattle"})
    assert again.status_code == 400 and "cancelled" in again.content.decode()
    assert Appointment.objects.get().concern == "Noise"
    assert client.delete("/api/v1/sync/appointments/nope/", **bearer(token)).status_code == 404


def work_order_payload(vehicle, *, status=3, quantity="1.5"):
    return {
        "vehicle": vehicle.pk,
        "status_number": status,
        "concern": "Brakes squeal",
        "odometer_in": 84000,
        "jobs": [
            {
                "external_id": "J-1",
                "title": "Front brakes",
                "customer_notes": "Pads at 2 mm",
                "lines": [
                    {"kind": "labor", "description": "Replace pads", "quantity": quantity},
                    {"kind": "part", "description": "Pads", "quantity": "1", "unit_price": "60"},
                ],
            }
        ],
    }


def test_it_upserts_a_work_order_with_its_jobs_and_lines(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    url = "/api/v1/sync/work-orders/WO-1/"
    first = put(client, url, token, work_order_payload(vehicle))
    assert first.status_code == 201, first.content
    assert first.json()["status_number"] == 3 and first.json()["stage"] == "estimate"
    second = put(client, url, token, work_order_payload(vehicle, quantity="2"))
    assert second.status_code == 200, second.content
    assert WorkOrder.objects.count() == 1 and Job.objects.count() == 1
    labor = Line.objects.get(kind="labor")
    assert str(labor.quantity) == "2.00"
    assert ExternalKey.objects.filter(external_id="WO-1").count() == 1


def test_an_invalid_child_line_saves_nothing_and_names_the_field(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    response = put(
        client, "/api/v1/sync/work-orders/WO-2/", token, work_order_payload(vehicle, quantity="-3")
    )
    assert response.status_code == 400
    assert list(response.json()) == ["jobs[0].lines[0].quantity"]
    assert not WorkOrder.objects.exists() and not ExternalKey.objects.exists()


def test_the_same_external_id_of_two_integrations_is_two_records(
    client, pos, vehicle, statuses, shop_rates
):
    _one, one = pos
    _two, two = make_integration(name="Other POS", security_level=1)
    put(client, "/api/v1/sync/work-orders/X/", one, work_order_payload(vehicle))
    put(client, "/api/v1/sync/work-orders/X/", two, work_order_payload(vehicle))
    assert WorkOrder.objects.count() == 2


def test_a_read_only_token_cannot_sync(client, vehicle, statuses):
    _integration, token = make_integration(access=Integration.Access.READ, security_level=1)
    response = put(client, "/api/v1/sync/work-orders/WO-3/", token, work_order_payload(vehicle))
    assert response.status_code == 403
    assert not WorkOrder.objects.exists()


def many_lines(count, *, price="12.50"):
    return [
        {"kind": "part", "description": f"Part {n}", "quantity": "1", "unit_price": price}
        for n in range(count)
    ] + [{"kind": "labor", "description": "Labor", "quantity": "1.5"}]


def lines_payload(vehicle, lines):
    return {
        "vehicle": vehicle.pk,
        "status_number": 3,
        "jobs": [{"external_id": "J-1", "title": "Service", "lines": lines}],
    }


def test_a_work_order_sent_again_unchanged_writes_nothing(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    url = "/api/v1/sync/work-orders/WO-5/"
    assert put(client, url, token, work_order_payload(vehicle)).status_code == 201
    work_order = WorkOrder.objects.get()
    line_ids = set(Line.objects.values_list("id", flat=True))
    again = put(client, url, token, work_order_payload(vehicle))
    assert again.status_code == 200
    assert set(Line.objects.values_list("id", flat=True)) == line_ids
    assert WorkOrder.objects.get().version == work_order.version


def test_changed_lines_replace_the_jobs_lines_in_the_order_sent(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    url = "/api/v1/sync/work-orders/WO-6/"
    assert put(client, url, token, lines_payload(vehicle, many_lines(3))).status_code == 201
    changed = many_lines(2, price="20")
    response = put(client, url, token, lines_payload(vehicle, changed))
    assert response.status_code == 200, response.content
    lines = list(Line.objects.order_by("position").values_list("description", "unit_price"))
    assert [d for d, _ in lines] == ["Part 0", "Part 1", "Labor"]
    work_order = WorkOrder.objects.get()
    # Two parts at $20 and 1.5 h of labor at the shop's rate: the totals follow at once.
    assert work_order.parts_total == 40
    assert work_order.labor_total == Line.objects.get(kind="labor").amount


def test_a_part_without_labor_in_its_category_brings_the_labor_line(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    parts = [{"kind": "part", "description": "Filter", "quantity": "1", "unit_price": "9"}]
    url = "/api/v1/sync/work-orders/WO-7/"
    assert put(client, url, token, lines_payload(vehicle, parts)).status_code == 201
    assert Line.objects.filter(kind="labor", added_by_rule=True).count() == 1
    # Sent again as it was: the rule's line stays, nothing doubles.
    assert put(client, url, token, lines_payload(vehicle, parts)).status_code == 200
    assert Line.objects.count() == 2


def test_a_bad_line_among_good_ones_changes_nothing_and_names_itself(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    url = "/api/v1/sync/work-orders/WO-8/"
    assert put(client, url, token, lines_payload(vehicle, many_lines(3))).status_code == 201
    before = list(Line.objects.order_by("id").values_list("id", "description", "amount"))
    version = WorkOrder.objects.get().version
    bad = many_lines(3, price="30")
    bad[2]["discount"] = "500"
    response = put(client, url, token, lines_payload(vehicle, bad))
    assert response.status_code == 400
    assert list(response.json()) == ["jobs[0].lines[2].discount"]
    assert list(Line.objects.order_by("id").values_list("id", "description", "amount")) == before
    assert WorkOrder.objects.get().version == version


def test_an_unknown_technician_on_a_line_names_the_field(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    lines = many_lines(1)
    lines[1]["technician_external_id"] = "nobody"
    response = put(client, "/api/v1/sync/work-orders/WO-9/", token, lines_payload(vehicle, lines))
    assert response.status_code == 400
    assert list(response.json()) == ["jobs[0].lines[1].technician_external_id"]
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize("changed", [False, True], ids=["unchanged", "changed"])
def test_an_upsert_makes_the_same_number_of_queries_whatever_its_lines(
    client, pos, vehicle, statuses, shop_rates, django_assert_max_num_queries, changed
):
    """The update path, as a point of sale sends it again: 3 lines or 30, the same queries."""
    _integration, token = pos
    for count, url in (
        (3, "/api/v1/sync/work-orders/few/"),
        (30, "/api/v1/sync/work-orders/many/"),
    ):
        assert put(client, url, token, lines_payload(vehicle, many_lines(count))).status_code == 201
    counts = []
    for count, url in (
        (3, "/api/v1/sync/work-orders/few/"),
        (30, "/api/v1/sync/work-orders/many/"),
    ):
        payload = lines_payload(vehicle, many_lines(count, price="14" if changed else "12.50"))
        with django_assert_max_num_queries(40) as captured:
            assert put(client, url, token, payload).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("starts_at", ["0632-12-02T14:03:51-12:05", "3100-01-01T09:00:00Z"])
def test_an_appointment_time_outside_the_shops_years_is_refused(client, pos, vehicle, starts_at):
    _integration, token = pos
    data = {"vehicle": vehicle.pk, "starts_at": starts_at, "concern": "Noise"}
    response = put(client, "/api/v1/sync/appointments/A-11/", token, data)
    assert response.status_code == 400
    assert list(response.json()) == ["starts_at"]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(("length", "status"), [(40, 201), (41, 400), (60, 400)])
def test_a_part_number_longer_than_the_counter_takes_is_refused(
    client, pos, vehicle, statuses, shop_rates, length, status
):
    _integration, token = pos
    lines = [{**many_lines(1)[0], "part_number": "P" * length}]
    response = put(client, "/api/v1/sync/work-orders/PN/", token, lines_payload(vehicle, lines))
    assert response.status_code == status
    if status == 400:
        # The serializer's nested error: jobs → 0 → lines → 0 → part_number.
        error = response.json()["jobs"]["0"]["lines"]["0"]["part_number"]
        assert "40 characters" in error[0]
        assert not WorkOrder.objects.exists()


def test_the_same_new_work_order_sent_twice_at_once_makes_one(
    client, pos, vehicle, statuses, shop_rates, monkeypatch
):
    """The second request looked for the key before the first committed it: it made its own
    work order, then meets the first's key, and is refused (409) with its work order undone."""
    from integrations import sync

    _integration, token = pos
    url = "/api/v1/sync/work-orders/RACE/"
    assert put(client, url, token, work_order_payload(vehicle)).status_code == 201
    real_find = sync.key_find

    def find_nothing_for_work_orders(integration, model, external_id):
        return None if model is WorkOrder else real_find(integration, model, external_id)

    monkeypatch.setattr(sync, "key_find", find_nothing_for_work_orders)
    second = put(client, url, token, work_order_payload(vehicle))
    assert second.status_code == 409
    assert "send it again" in second.content.decode()
    assert WorkOrder.objects.count() == 1
    monkeypatch.undo()
    assert put(client, url, token, work_order_payload(vehicle)).status_code == 200


def test_a_job_id_sent_on_another_work_order_moves_to_it(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    put(client, "/api/v1/sync/work-orders/W1/", token, work_order_payload(vehicle))
    moved = put(client, "/api/v1/sync/work-orders/W2/", token, work_order_payload(vehicle))
    assert moved.status_code == 201
    key = ExternalKey.objects.get(external_id="J-1")
    assert Job.objects.get(pk=key.object_id).work_order_id == moved.json()["id"]


@pytest.mark.parametrize("status", [7, 17])
def test_a_repair_order_or_invoice_sent_by_the_outside_system_is_its_record_of_approval(
    client, pos, vehicle, statuses, shop_rates, status
):
    integration, token = pos
    url = f"/api/v1/sync/work-orders/WO-{status}/"
    response = put(client, url, token, work_order_payload(vehicle, status=status))
    assert response.status_code == 201, response.content
    job = Job.objects.get()
    row = job.approvals.get()
    assert (row.decision, row.method, row.approved_by_name) == ("approved", "integration", "POS")
    assert row.recorded_by == integration.user
    assert WorkOrder.objects.get().closed_at is not None if status == 17 else True
    # Sent again unchanged: nothing more is recorded.
    if status == 7:
        put(client, url, token, work_order_payload(vehicle, status=status))
        assert job.approvals.count() == 1


def test_an_estimate_sent_by_the_outside_system_waits_for_approval(
    client, pos, vehicle, statuses, shop_rates
):
    _integration, token = pos
    put(client, "/api/v1/sync/work-orders/WO-E/", token, work_order_payload(vehicle))
    assert Job.objects.get().approval == Job.Approval.PENDING


def test_a_token_below_see_estimates_still_syncs_an_invoice_but_not_an_estimate(
    client, vehicle, statuses, shop_rates
):
    from shop.models import SecurityFunctionLevel

    SecurityFunctionLevel.objects.update_or_create(code="view_estimates", defaults={"level": 3})
    _integration, token = make_integration(
        name="POS", access=Integration.Access.READ_WRITE, security_level=4
    )
    invoice = put(
        client, "/api/v1/sync/work-orders/I-1/", token, work_order_payload(vehicle, status=17)
    )
    assert invoice.status_code == 201, invoice.content
    assert WorkOrder.objects.get().closed_at is not None
    estimate = put(client, "/api/v1/sync/work-orders/E-1/", token, work_order_payload(vehicle))
    assert estimate.status_code == 403
    assert WorkOrder.objects.count() == 1
