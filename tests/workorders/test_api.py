import base64
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.api.pages import ids, walk
from tests.workorders.factories import VehicleFactory, brake_package
from workorders import services
from workorders.models import Appointment, Line, WorkOrder

pytestmark = pytest.mark.django_db


def detail_url(wo, name="workorder-detail"):
    return reverse(name, args=[wo.pk])


def test_it_lists_statuses_with_their_stage(client, technician, statuses):
    client.force_login(technician)
    rows = client.get(reverse("status-list")).json()
    assert [(r["number"], r["stage"]) for r in rows][:1] == [(1, "estimate")]
    assert rows[16]["stage"] == "invoice" and rows[16]["name"] == "Billed Out"


def test_only_edit_statuses_may_change_them(client, advisor, owner, statuses):
    client.force_login(advisor)
    body = {"number": 15, "name": "Insurance"}
    assert (
        client.patch(
            reverse("status-detail", args=[statuses[15].pk]), body, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(owner)
    response = client.post(
        reverse("status-list"), {"number": 30, "name": "Lost"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Status number 30 is in no stage range" in str(response.json())
    response = client.delete(reverse("status-detail", args=[statuses[1].pk]))
    assert response.status_code == 204  # nobody uses it yet


def test_an_outside_system_writes_an_estimate_by_status_number_and_bills_it_out(
    client, advisor, statuses, shop_rates
):
    vehicle = VehicleFactory()
    package = brake_package()
    client.force_login(advisor)
    response = client.post(
        reverse("workorder-list"),
        {"vehicle": vehicle.pk, "status_number": 2, "odometer_in": 50000},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    wo = response.json()
    assert (wo["stage"], wo["status_number"], wo["customer"]) == (
        "estimate",
        2,
        vehicle.customer_id,
    )
    response = client.post(
        reverse("workorder-jobs", args=[wo["id"]]),
        {"version": wo["version"], "package": package.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    wo = response.json()
    job = wo["jobs"][0]
    assert [line["kind"] for line in job["lines"]] == ["labor", "part", "part"]
    response = client.post(
        reverse("workorder-lines", args=[wo["id"]]),
        {
            "version": wo["version"],
            "job": job["id"],
            "kind": "part",
            "description": "Sensor",
            "quantity": "-1",
            "unit_price": "10",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Quantity cannot be negative" in str(response.json())
    response = client.patch(
        detail_url(WorkOrder(pk=wo["id"])),
        {"version": wo["version"], "status_number": 17},
        content_type="application/json",
    )
    assert response.status_code == 200
    closed = response.json()
    assert closed["stage"] == "invoice" and closed["closed_at"]
    assert Decimal(closed["grand_total"]) == Decimal("300.39")


def test_a_stale_version_is_a_409_and_changes_nothing(client, advisor, estimate):
    client.force_login(advisor)
    stale = estimate.version
    services.workorder_update(by=advisor, work_order=estimate, version=stale, concern="Noise")
    response = client.patch(
        detail_url(estimate), {"version": stale, "concern": "Mine"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    assert WorkOrder.objects.get(pk=estimate.pk).concern == "Noise"


def test_a_line_on_a_closed_invoice_is_a_409(client, advisor, estimate, statuses):
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Diag")
    services.line_add(
        by=advisor, job=job, version=None, kind="labor", description="Diag", quantity="1"
    )
    wo = services.workorder_status_set(
        by=advisor, work_order=estimate, version=None, status=statuses[17]
    )
    client.force_login(advisor)
    response = client.post(
        reverse("workorder-lines", args=[wo.pk]),
        {
            "version": wo.version,
            "job": job.pk,
            "kind": "fee",
            "description": "Late",
            "quantity": "1",
            "unit_price": "5",
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "locked" in response.json()["detail"]
    assert Line.objects.count() == 1


def test_a_status_number_that_does_not_exist_is_refused(client, advisor, statuses):
    client.force_login(advisor)
    response = client.post(
        reverse("workorder-list"),
        {"vehicle": VehicleFactory().pk, "status_number": 99},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "no status number 99" in str(response.json())
    assert not WorkOrder.objects.exists()


def test_the_list_filters_with_the_page_filterset_in_fixed_queries(
    client, advisor, statuses, shop_rates, django_assert_max_num_queries
):
    def make(count):
        for _ in range(count):
            wo = services.workorder_create(by=advisor, vehicle=VehicleFactory())
            job = services.job_add(by=advisor, work_order=wo, version=None, title="Oil")
            services.line_add(
                by=advisor,
                job=job,
                version=None,
                kind="labor",
                description="Oil change",
                quantity="0.5",
            )

    make(2)
    client.force_login(advisor)
    url = reverse("workorder-list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url, {"stage": "estimate", "page_size": 10})
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"stage": "estimate", "page_size": 10})
    assert len(response.json()["results"]) == 10
    everything = ids(walk(client, url, {"stage": "estimate", "page_size": 10}))
    assert everything == sorted(WorkOrder.objects.values_list("id", flat=True), reverse=True)
    assert len(everything) == 22
    assert walk(client, url, {"stage": "invoice"}) == []
    assert ids(walk(client, url, {"status_number": 1, "page_size": 7})) == everything


def test_the_work_order_cursor_follows_filters_and_refuses_a_forged_cursor(
    client, advisor, statuses, shop_rates
):
    vehicle = VehicleFactory()
    theirs = [services.workorder_create(by=advisor, vehicle=vehicle).pk for _ in range(5)]
    others = [services.workorder_create(by=advisor, vehicle=VehicleFactory()).pk for _ in range(2)]
    client.force_login(advisor)
    url = reverse("workorder-list")
    assert ids(walk(client, url, {"vehicle": vehicle.pk, "page_size": 2})) == theirs[::-1]
    first = client.get(url, {"page_size": 3}).json()
    back = client.get(client.get(first["next"]).json()["previous"]).json()
    assert ids(back["results"]) == ids(first["results"]) == sorted(theirs + others)[::-1][:3]
    assert client.get(url, {"cursor": "not-a-cursor"}).status_code == 404
    # A well-formed cursor whose position is not a work order id.
    forged = base64.b64encode(b"p=%5B%22x%22%5D").decode()
    assert client.get(url, {"cursor": forged}).status_code == 404
    huge = base64.b64encode(b"p=%5B%2299999999999999999999%22%5D").decode()
    assert client.get(url, {"cursor": huge}).status_code == 404
    assert len(client.get(url, {"page_size": 100000}).json()["results"]) == 7


def test_the_work_order_detail_has_fixed_queries_whatever_the_lines(
    client, advisor, estimate, django_assert_max_num_queries
):
    client.force_login(advisor)
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Diag")
    services.line_add(
        by=advisor, job=job, version=None, kind="labor", description="D", quantity="1"
    )
    client.get(detail_url(estimate))
    with django_assert_max_num_queries(12) as few:
        client.get(detail_url(estimate))
    for index in range(5):
        job = services.job_add(by=advisor, work_order=estimate, version=None, title=f"J{index}")
        for _ in range(4):
            services.line_add(
                by=advisor,
                job=job,
                version=None,
                kind="fee",
                description="F",
                quantity="1",
                unit_price="2",
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(detail_url(estimate))
    assert len(response.json()["jobs"]) == 6


def test_appointments_are_booked_and_converted(client, advisor, statuses, shop_rates):
    vehicle = VehicleFactory()
    client.force_login(advisor)
    response = client.post(
        reverse("appointment-list"),
        {
            "vehicle": vehicle.pk,
            "starts_at": "2026-12-01T09:00:00-06:00",
            "concern": "Oil change",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    appointment = response.json()
    assert appointment["customer"] == vehicle.customer_id
    response = client.post(reverse("appointment-convert", args=[appointment["id"]]))
    assert response.status_code == 201
    assert response.json()["concern"] == "Oil change"
    response = client.post(reverse("appointment-convert", args=[appointment["id"]]))
    assert response.status_code == 400


def test_appointments_are_moved_and_cancelled_through_the_api(client, advisor, technician):
    vehicle = VehicleFactory()
    appointment = services.appointment_create(
        by=advisor,
        vehicle=vehicle,
        starts_at=timezone.now() + timedelta(days=1),
        concern="Oil change",
    )
    url = reverse("appointment-detail", args=[appointment.pk])
    client.force_login(technician)
    moved = client.patch(url, {"concern": "x"}, content_type="application/json")
    assert moved.status_code == 403
    client.force_login(advisor)
    moved = client.patch(
        url,
        {"starts_at": "2026-12-03T15:30:00Z", "concern": "Oil change and wipers"},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["concern"] == "Oil change and wipers"
    assert moved.json()["starts_at"].startswith("2026-12-03")
    blank = client.patch(url, {"concern": " "}, content_type="application/json")
    assert blank.status_code == 400
    cancel = reverse("appointment-cancel", args=[appointment.pk])
    response = client.post(cancel, {"reason": "Rebooked by phone"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["cancel_reason"] == "Rebooked by phone"
    assert response.json()["cancelled_at"]
    # Cancelled: it can no longer be moved, cancelled again or turned into a work order.
    assert client.patch(url, {"concern": "y"}, content_type="application/json").status_code == 400
    assert client.post(cancel, {}, content_type="application/json").status_code == 400
    convert = reverse("appointment-convert", args=[appointment.pk])
    assert client.post(convert).status_code == 400
    appointment.refresh_from_db()
    assert appointment.concern == "Oil change and wipers" and appointment.work_order is None
    listed = client.get(reverse("appointment-list"), {"cancelled": "true"}).json()["results"]
    assert [row["id"] for row in listed] == [appointment.pk]
    assert client.get(reverse("appointment-list"), {"cancelled": "false"}).json()["results"] == []
    since = (appointment.updated_at + timedelta(seconds=1)).isoformat()
    later = client.get(reverse("appointment-list"), {"updated_since": since}).json()["results"]
    assert later == []
    since = (appointment.updated_at - timedelta(seconds=1)).isoformat()
    changed = client.get(reverse("appointment-list"), {"updated_since": since}).json()["results"]
    assert [row["id"] for row in changed] == [appointment.pk]


def test_appointments_are_listed_in_time_order_in_fixed_queries(
    client, advisor, statuses, shop_rates, django_assert_max_num_queries
):
    vehicle = VehicleFactory()
    nine = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)

    def book(count, day):
        # Several at the same time: the cursor must neither skip nor repeat them.
        return [
            services.appointment_create(
                by=advisor,
                vehicle=vehicle,
                starts_at=nine + timedelta(days=day, hours=n % 2),
                concern=f"Visit {n}",
            ).pk
            for n in range(count)
        ]

    past = book(2, -3)
    client.force_login(advisor)
    url = reverse("appointment-list")
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url, {"page_size": 5})
    coming = book(9, 1) + book(4, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url, {"page_size": 5}).json()["results"]) == 5
    in_order = list(Appointment.objects.order_by("starts_at", "id").values_list("id", flat=True))
    assert ids(walk(client, url, {"page_size": 2})) == in_order
    assert sorted(in_order) == sorted(past + coming)
    since = (nine + timedelta(days=1)).isoformat()
    assert ids(walk(client, url, {"from": since, "page_size": 3})) == in_order[2:]
    assert client.get(url, {"from": "next tuesday"}).status_code == 400


def test_packages_are_listed_and_created(client, technician, owner):
    brake_package(name="Front brakes")
    client.force_login(technician)
    rows = client.get(reverse("package-list")).json()["results"]
    assert rows[0]["name"] == "Front brakes" and len(rows[0]["lines"]) == 3
    assert (
        client.post(reverse("package-list"), {}, content_type="application/json").status_code == 403
    )
    client.force_login(owner)
    response = client.post(
        reverse("package-list"),
        {
            "name": "Oil change",
            "category": "Maintenance",
            "description": "",
            "lines": [
                {
                    "kind": "labor",
                    "description": "Change oil",
                    "quantity": "0.5",
                    "unit_cost": "0",
                    "unit_price": None,
                },
                {
                    "kind": "part",
                    "part_number": "OF-1",
                    "description": "Oil filter",
                    "quantity": "1",
                    "unit_cost": "3",
                    "unit_price": "11.99",
                },
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["lines"][1]["part_number"] == "OF-1"


def test_the_api_refuses_anonymous_callers(client):
    assert client.get(reverse("workorder-list")).status_code == 403


def test_the_schema_describes_the_work_order_api(client):
    paths = client.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert {
        "/api/v1/work-orders/",
        "/api/v1/statuses/",
        "/api/v1/appointments/",
        "/api/v1/packages/",
        "/api/v1/work-orders/{id}/lines/",
    } <= set(paths)


def test_times_outside_the_shops_years_and_numbers_too_big_are_400s(
    client, advisor, estimate, statuses
):
    vehicle = VehicleFactory()
    client.force_login(advisor)
    # Before 1900 Chicago's offset has seconds (-05:50:36), which no ISO answer can carry.
    response = client.post(
        reverse("appointment-list"),
        {"vehicle": vehicle.pk, "starts_at": "1332-08-24T11:37:38-06:00", "concern": "Oil"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "between the years 1900 and 2999" in response.json()["starts_at"][0]
    assert not Appointment.objects.exists()
    too_big = client.patch(
        detail_url(estimate),
        {"version": estimate.version, "odometer_in": 10**12, "status_number": 10**6},
        content_type="application/json",
    )
    assert too_big.status_code == 400
    assert set(too_big.json()) == {"odometer_in", "status_number"}
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Diag")
    estimate.refresh_from_db()
    long_part = client.post(
        reverse("workorder-lines", args=[estimate.pk]),
        {
            "version": estimate.version,
            "job": job.pk,
            "kind": "part",
            "part_number": "P" * 41,
            "description": "Pads",
            "quantity": "1",
        },
        content_type="application/json",
    )
    assert long_part.status_code == 400 and "part_number" in long_part.json()
    assert not Line.objects.filter(job=job).exists()
    promised = client.patch(
        detail_url(estimate),
        {"version": estimate.version, "promised_at": "0900-01-01T10:00:00Z"},
        content_type="application/json",
    )
    assert promised.status_code == 400 and "promised_at" in promised.json()


def test_a_jobs_approval_says_how_it_was_given(client, advisor, estimate, statuses):
    job = services.job_add(by=advisor, work_order=estimate, version=None, title="Brakes")
    services.line_add(
        by=advisor, job=job, version=None, kind="labor", description="Pads", quantity="1"
    )
    services.workorder_status_set(by=advisor, work_order=estimate, version=None, status=statuses[7])
    client.force_login(advisor)
    (sent,) = client.get(detail_url(estimate)).json()["jobs"]
    assert (sent["approval"], sent["approval_method"]) == ("approved", "estimate")
    assert sent["approval_by"] == estimate.customer.display_name
