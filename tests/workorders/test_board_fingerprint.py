"""The board's fingerprint: a refresh answers 204 only while nothing a card shows changed.
One test per kind of change the cards show; the unchanged refresh stays at three queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.services import vehicle_update
from messaging.models import InboundMessage
from messaging.services.conversations import conversation_mark_read
from shop.services import employee_update
from tests.workorders.factories import CustomerFactory, VehicleFactory
from workorders import board, services

pytestmark = pytest.mark.django_db


def repair_order(advisor, statuses, **fields):
    work_order = services.workorder_create(by=advisor, vehicle=VehicleFactory(), **fields)
    return services.workorder_status_set(
        by=advisor, work_order=work_order, version=None, status=statuses[7]
    )


def fingerprint() -> str:
    return board.board_fingerprint()[1]


def reply(customer, sid: str) -> InboundMessage:
    return InboundMessage.objects.create(
        customer=customer,
        provider_message_id=sid,
        from_number="555-555-0100",
        from_e164="+15555550100",
        body="When is it ready?",
    )


def test_a_renamed_status_changes_it(advisor, statuses, shop_rates):
    repair_order(advisor, statuses)
    before = fingerprint()
    services.status_update(by=advisor, status=statuses[7], name="On the lift")
    assert fingerprint() != before


def test_a_status_colour_change_changes_it(advisor, statuses, shop_rates):
    repair_order(advisor, statuses)
    before = fingerprint()
    services.status_update(by=advisor, status=statuses[7], colour="#b91c1c")
    assert fingerprint() != before


def test_a_vehicle_edit_changes_it(advisor, statuses, shop_rates):
    order = repair_order(advisor, statuses)
    before = fingerprint()
    vehicle_update(by=advisor, vehicle=order.vehicle, plate="NEW123")
    assert fingerprint() != before


def test_an_appointments_vehicle_edit_changes_it(advisor, statuses, shop_rates):
    from django.utils import timezone

    appointment = services.appointment_create(
        by=advisor, starts_at=timezone.now(), vehicle=VehicleFactory(), concern="Noise"
    )
    before = fingerprint()
    vehicle_update(by=advisor, vehicle=appointment.vehicle, model="Accord")
    assert fingerprint() != before


def test_a_technician_edit_changes_it(owner, advisor, technician, statuses, shop_rates):
    repair_order(advisor, statuses, default_technician=technician)
    before = fingerprint()
    employee_update(
        by=owner,
        employee=technician,
        first_name="Renamed",
        last_name=technician.last_name,
        email=technician.email,
        phone=technician.phone,
        role=technician.role,
        security_level=technician.security_level,
        is_active=True,
    )
    assert fingerprint() != before


def test_one_reply_read_and_another_received_changes_it(advisor, statuses, shop_rates):
    first = repair_order(advisor, statuses)
    second = repair_order(advisor, statuses)
    reply(first.customer, "SM1")
    before = fingerprint()
    conversation_mark_read(customer=first.customer, by=advisor)
    reply(second.customer, "SM2")
    assert InboundMessage.objects.filter(read_at__isnull=True).count() == 1
    assert fingerprint() != before


def test_a_reply_and_its_reading_each_change_it(advisor, statuses, shop_rates):
    order = repair_order(advisor, statuses)
    before = fingerprint()
    reply(order.customer, "SM1")
    unread = fingerprint()
    assert unread != before
    conversation_mark_read(customer=order.customer, by=advisor)
    assert fingerprint() != unread


def test_nothing_changed_keeps_it_and_answers_204_in_three_queries(
    client, advisor, statuses, shop_rates, django_assert_max_num_queries
):
    repair_order(advisor, statuses)
    reply(CustomerFactory(), "SM1")
    client.force_login(advisor)
    url = reverse("workorders:board_refresh")
    etag = client.get(url)["ETag"].strip('"')
    assert etag == fingerprint()
    with django_assert_max_num_queries(3):
        response = client.get(url, {"since": etag})
    assert response.status_code == 204
