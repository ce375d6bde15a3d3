"""A customer's and a vehicle's history: each app contributes its rows (customers.history)."""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.history import history_sources
from fleet.models import FleetRequest
from followups.models import FollowUp
from messaging.models import InboundMessage
from shop.models import SecurityFunctionLevel
from tests.customers.factories import VehicleFactory
from tests.fleet.factories import FleetCompanyFactory
from tests.followups.factories import FollowUpListFactory, invoice
from tests.messaging.factories import OutboundMessageFactory
from workorders.models import Appointment

pytestmark = pytest.mark.django_db

# 15:30 UTC on March 4, 2026 is 9:30 AM in Springfield, Illinois (the shop's time zone).
STARTS = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)


def statuses_ensure():
    from workorders.seeding import statuses_ensure

    return statuses_ensure()


def one_of_each(vehicle, advisor, *, n: int = 0) -> None:
    """A row of every kind of history for this vehicle and its customer."""
    from reports.services import invoice_summary_refresh
    from workorders.services import workorder_create

    customer = vehicle.customer
    estimate = workorder_create(by=advisor, vehicle=vehicle)
    billed = invoice(vehicle, date(2026, 2, 1 + n))
    invoice_summary_refresh(work_order_id=billed.pk)  # the reports app's own figures
    Appointment.objects.create(
        starts_at=STARTS, customer=customer, vehicle=vehicle, concern="Brakes squeal"
    )
    OutboundMessageFactory(customer=customer, body="Your car is ready.")
    InboundMessage.objects.create(
        provider_message_id=f"SM{vehicle.pk}-{n}",
        from_number="+12175550188",
        from_e164="+12175550188",
        body="Thanks, on my way",
        customer=customer,
    )
    FollowUp.objects.create(
        follow_up_list=FollowUpListFactory(name=f"Oil change reminder {n}"),
        customer=customer,
        vehicle=vehicle,
        work_order=billed,
        visit_on=date(2026, 2, 1),
        due_on=date(2026, 8, 1),
    )
    FleetRequest.objects.create(work_order=estimate, company=FleetCompanyFactory())


@pytest.fixture
def vehicle(advisor):
    statuses_ensure()
    vehicle = VehicleFactory(year=2014, make="Ford", model="F-150")
    one_of_each(vehicle, advisor)
    return vehicle


def test_the_customer_page_shows_each_apps_history_as_a_person_reads_it(client, owner, vehicle):
    client.force_login(owner)
    page = client.get(reverse("customers:detail", args=[vehicle.customer_id])).content.decode()
    for title in ["Work orders", "Appointments", "Messages", "Follow-ups", "Fleet requests"]:
        assert f">{title}</h2>" in page
    assert "Brakes squeal" in page
    assert "Text received" in page
    assert "Oil change reminder 0" in page
    assert "Awaiting approval" in page or "Draft" in page
    # The apps' internal tables are not history.
    for internal in ["Invoice figures", "Outbound messages", "Inbound messages", "Mailings"]:
        assert internal not in page
    assert "Fleet accounts" not in page


def test_the_vehicle_page_shows_the_vehicles_history(client, owner, vehicle):
    client.force_login(owner)
    page = client.get(reverse("customers:vehicle_edit", args=[vehicle.pk])).content.decode()
    for title in ["Work orders", "Appointments", "Follow-ups", "Fleet requests"]:
        assert f">{title}</h2>" in page
    assert ">Messages</h2>" not in page  # a customer's, not a vehicle's
    assert "Invoice figures" not in page


def test_history_leaves_out_what_the_employees_level_does_not_open(client, advisor, vehicle):
    for code in ["view_customer_messages", "follow_ups", "send_to_fleet", "manage_appointments"]:
        SecurityFunctionLevel.objects.filter(code=code).update(level=1)
    client.force_login(advisor)
    page = client.get(reverse("customers:detail", args=[vehicle.customer_id])).content.decode()
    assert ">Work orders</h2>" in page
    for title in ["Appointments", "Messages", "Follow-ups", "Fleet requests"]:
        assert f">{title}</h2>" not in page
    assert "Thanks, on my way" not in page


def test_work_orders_are_left_out_for_an_employee_who_may_not_view_them(client, advisor, vehicle):
    SecurityFunctionLevel.objects.filter(code="view_work_orders").update(level=1)
    client.force_login(advisor)
    page = client.get(reverse("customers:detail", args=[vehicle.customer_id])).content.decode()
    assert ">Work orders</h2>" not in page
    assert reverse("workorders:editor", args=[vehicle.work_orders.first().pk]) not in page


def test_a_technician_still_cannot_open_the_customer_page(client, technician, vehicle):
    client.force_login(technician)
    response = client.get(reverse("customers:detail", args=[vehicle.customer_id]))
    assert response.status_code == 403


def test_appointments_show_in_the_shops_time_zone(client, owner, vehicle):
    appointment = Appointment.objects.get(vehicle=vehicle)
    assert str(appointment) == "Mar 4, 2026 9:30 AM 2014 Ford F-150"
    client.force_login(owner)
    for url in [
        reverse("customers:detail", args=[vehicle.customer_id]),
        reverse("customers:vehicle_edit", args=[vehicle.pk]),
    ]:
        page = client.get(url).content.decode()
        assert "Mar 4, 2026 9:30 AM" in page
        assert "15:30" not in page


def test_the_customer_pages_query_count_does_not_grow_with_the_history(
    client, owner, advisor, vehicle, django_assert_max_num_queries
):
    client.force_login(owner)
    url = reverse("customers:detail", args=[vehicle.customer_id])
    client.get(url)  # warm the session and the levels' cache
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(1, 4):
        one_of_each(VehicleFactory(customer=vehicle.customer), advisor, n=n)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Brakes squeal") == 4
    # 16: payments' Account section reads the customer's ledger in one query.
    with django_assert_max_num_queries(16):
        client.get(url)


def test_the_history_and_the_selectors_import_no_app_they_show():
    """Each app registers its rows: customers does not reach into them."""
    others = {"workorders", "messaging", "followups", "fleet", "reports"}
    for name in ["history.py", "selectors.py"]:
        tree = ast.parse((Path("customers") / name).read_text())
        imported = {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        } | {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not imported & others, name
    keys = {source.key for source in history_sources()}
    assert {"work_orders", "appointments", "messages", "follow_ups", "fleet_requests"} <= keys
