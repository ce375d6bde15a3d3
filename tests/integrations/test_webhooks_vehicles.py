"""vehicle.changed from the customers' named events: the counter's edits, a disabled or
re-enabled vehicle (an `.update()`), and vehicles moved in bulk by Combine Customers,
Combine Vehicles and their undo (`bulk_update`), which no model signal would tell."""

from __future__ import annotations

import json

import pytest

from customers import services as customer_services
from customers.models import Vehicle
from customers.services.combine import customer_groups_combine, customers_combine
from customers.services.combine_vehicles import (
    vehicle_duplicate_groups_find,
    vehicle_groups_fingerprint,
    vehicles_combine,
)
from customers.services.log import utility_log_entry_undo
from integrations import services as integration_services
from integrations.models import WebhookEvent
from integrations.webhooks import verify
from outbox.models import Channel, OutboundMessage
from tests.customers.factories import CustomerFactory, VehicleFactory
from tests.integrations.factories import make_integration
from tests.integrations.receiver import running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def subscription(owner, receiver):
    integration, _token = make_integration(by=owner, name="Tablets")
    return integration_services.webhook_subscription_create(
        by=owner, integration=integration, url=receiver.url, events=[WebhookEvent.VEHICLE_CHANGED]
    )


def delivered(receiver, subscription) -> dict[int, dict]:
    """The vehicle.changed deliveries received, each signed, by vehicle id."""
    found = {}
    for delivery in receiver.events("vehicle.changed"):
        assert verify(
            subscription.secret,
            timestamp=delivery.headers["X-Shop-Timestamp"],
            body=delivery.body,
            signature=delivery.headers["X-Shop-Signature"],
        )
        data = delivery.json["data"]
        assert data["id"] not in found, "one delivery per vehicle"
        found[data["id"]] = data
    return found


def queued() -> list[dict]:
    """The vehicle.changed deliveries written to the outbox, oldest first. (Within one test
    the outbox sends only the first batch after "commit": the test's transaction never
    ends, so later phases read what was queued.)"""
    return [
        json.loads(body)["data"]
        for body in OutboundMessage.objects.filter(
            channel=Channel.WEBHOOK, subject="vehicle.changed"
        )
        .order_by("pk")
        .values_list("body", flat=True)
    ]


def test_disabling_a_vehicle_sends_its_webhook_and_so_does_enabling_it(
    owner, subscription, receiver, django_capture_on_commit_callbacks
):
    vehicle = VehicleFactory(plate="SOLD1")
    with django_capture_on_commit_callbacks(execute=True):
        customer_services.vehicle_set_active(by=owner, vehicle=vehicle, active=False)
    [data] = delivered(receiver, subscription).values()
    assert data == {
        "id": vehicle.pk,
        "url": f"/api/v1/vehicles/{vehicle.pk}/",
        "created": False,
        "customer_id": vehicle.customer_id,
        "vin": vehicle.vin,
        "plate": "SOLD1",
        "is_active": False,
    }
    # Disabled again: nothing changed, nothing is sent.
    customer_services.vehicle_set_active(by=owner, vehicle=vehicle, active=False)
    assert len(queued()) == 1
    customer_services.vehicle_set_active(by=owner, vehicle=vehicle, active=True)
    [_disabled, enabled] = queued()
    assert enabled == {**data, "is_active": True}


def test_the_disable_button_sends_it_and_a_technician_changes_nothing(
    client, advisor, technician, subscription, receiver, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    vehicle = VehicleFactory()
    url = reverse("customers:vehicle_set_active", args=[vehicle.pk])
    client.force_login(technician)
    assert client.post(url, {"active": "0"}).status_code == 403
    assert Vehicle.objects.get(pk=vehicle.pk).is_active and queued() == []
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"active": "0"}).status_code == 302
    assert not Vehicle.objects.get(pk=vehicle.pk).is_active
    assert delivered(receiver, subscription)[vehicle.pk]["is_active"] is False


def test_combining_customers_sends_each_moved_vehicle_and_undo_sends_them_back(
    owner, subscription, receiver, django_capture_on_commit_callbacks
):
    survivor, merged = CustomerFactory(), CustomerFactory()
    kept = VehicleFactory(customer=survivor)
    first, second = VehicleFactory(customer=merged), VehicleFactory(customer=merged)
    with django_capture_on_commit_callbacks(execute=True):
        entry = customers_combine(by=owner, survivor_id=survivor.pk, merged_id=merged.pk)
    moved = delivered(receiver, subscription)
    # The survivor's own vehicle did not change: only the merged customer's are sent.
    assert sorted(moved) == [first.pk, second.pk]
    assert {data["customer_id"] for data in moved.values()} == {survivor.pk}
    assert kept.pk not in moved

    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    back = {data["id"]: data for data in queued()[2:]}
    assert sorted(back) == [first.pk, second.pk] and len(queued()) == 4
    assert {data["customer_id"] for data in back.values()} == {merged.pk}


def test_automatic_combine_sends_the_vehicles_of_every_combined_customer(
    owner, subscription, receiver, django_capture_on_commit_callbacks
):
    keep, twin, triplet = CustomerFactory(), CustomerFactory(), CustomerFactory()
    twins = VehicleFactory(customer=twin)
    triplets = VehicleFactory(customer=triplet)
    with django_capture_on_commit_callbacks(execute=True):
        entries, problems = customer_groups_combine(
            by=owner, groups=[[keep.pk, twin.pk, triplet.pk]]
        )
    assert len(entries) == 2 and problems == []
    moved = delivered(receiver, subscription)
    assert sorted(moved) == [twins.pk, triplets.pk]
    assert {data["customer_id"] for data in moved.values()} == {keep.pk}


def test_combining_vehicles_sends_the_kept_vehicle_and_undo_sends_both(
    owner, subscription, receiver, django_capture_on_commit_callbacks
):
    customer = CustomerFactory()
    kept = VehicleFactory(customer=customer, vin="1HGCM82633A004352", plate="", color="")
    duplicate = VehicleFactory(customer=customer, vin="1HGCM82633A004352", plate="DUP1")
    groups = vehicle_duplicate_groups_find(match="vin")
    with django_capture_on_commit_callbacks(execute=True):
        entry = vehicles_combine(
            by=owner, match="vin", fingerprint=vehicle_groups_fingerprint(groups)
        )
    combined = delivered(receiver, subscription)
    # The kept vehicle took the duplicate's plate; the duplicate is gone (no event for it).
    assert list(combined) == [kept.pk]
    assert combined[kept.pk]["plate"] == "DUP1"
    assert not Vehicle.objects.filter(pk=duplicate.pk).exists()

    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    back = {data["id"]: data for data in queued()[1:]}
    assert sorted(back) == [kept.pk, duplicate.pk] and len(queued()) == 3
    assert back[kept.pk]["plate"] == "" and back[duplicate.pk]["plate"] == "DUP1"


def test_a_visit_that_moves_the_odometer_on_sends_the_vehicle(owner, subscription):
    from django.utils import timezone

    from customers.services.mileage import vehicle_odometer_record

    vehicle = VehicleFactory(odometer=50000)
    vehicle_odometer_record(
        vehicle_id=vehicle.pk, reading=52000, read_at=timezone.now(), source="work order 1"
    )
    [data] = queued()
    assert data["id"] == vehicle.pk
    # A lower reading moves nothing on: nothing more is sent.
    vehicle_odometer_record(
        vehicle_id=vehicle.pk, reading=40000, read_at=timezone.now(), source="work order 2"
    )
    assert len(queued()) == 1


def test_nothing_is_queued_without_a_subscriber_and_a_refusal_sends_nothing(owner):
    survivor = CustomerFactory()
    VehicleFactory(customer=survivor)
    merged = CustomerFactory()
    VehicleFactory(customer=merged)
    customers_combine(by=owner, survivor_id=survivor.pk, merged_id=merged.pk)
    assert queued() == []

    integration, _token = make_integration(by=owner, name="Later")
    integration_services.webhook_subscription_create(
        by=owner,
        integration=integration,
        url="http://127.0.0.1:9/none",
        events=[WebhookEvent.VEHICLE_CHANGED],
    )
    from shop.errors import ServiceError

    with pytest.raises(ServiceError):
        customers_combine(by=owner, survivor_id=survivor.pk, merged_id=merged.pk)  # gone
    vehicle = VehicleFactory()
    with pytest.raises(ServiceError):
        customer_services.vehicle_update(by=owner, vehicle=vehicle, year=1800)
    assert queued() == []


def test_work_orders_moved_by_a_combine_or_its_undo_send_work_order_changed(
    owner, advisor, estimate, receiver, django_capture_on_commit_callbacks
):
    from workorders import services as workorder_services

    integration, _token = make_integration(by=owner, name="POS")
    subscription = integration_services.webhook_subscription_create(
        by=owner,
        integration=integration,
        url=receiver.url,
        events=[WebhookEvent.WORK_ORDER_CHANGED],
    )
    customer, kept = estimate.customer, estimate.vehicle
    # The same car entered twice for this customer, with a work order of its own.
    duplicate = VehicleFactory(customer=customer, plate=kept.plate, vin="")
    second = workorder_services.workorder_create(by=advisor, vehicle=duplicate)
    survivor = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        customers_combine(by=owner, survivor_id=survivor.pk, merged_id=customer.pk)
    deliveries = receiver.events("work_order.changed")
    assert sorted(d.json["data"]["id"] for d in deliveries) == [estimate.pk, second.pk]
    assert {d.json["data"]["customer_id"] for d in deliveries} == {survivor.pk}
    for delivery in deliveries:
        assert verify(
            subscription.secret,
            timestamp=delivery.headers["X-Shop-Timestamp"],
            body=delivery.body,
            signature=delivery.headers["X-Shop-Signature"],
        )

    def work_order_changes():
        return [
            json.loads(body)["data"]
            for body in OutboundMessage.objects.filter(subject="work_order.changed")
            .order_by("pk")
            .values_list("body", flat=True)
        ]

    groups = vehicle_duplicate_groups_find(match="plate")
    entry = vehicles_combine(
        by=owner, match="plate", fingerprint=vehicle_groups_fingerprint(groups)
    )
    [moved] = work_order_changes()[2:]
    assert (moved["id"], moved["vehicle_id"], moved["customer_id"]) == (
        second.pk,
        kept.pk,
        survivor.pk,
    )
    # The worker sends it (this test's transaction never commits), then the undo comes.
    from outbox.services import outbound_message_send

    latest = OutboundMessage.objects.filter(subject="work_order.changed").latest("pk")
    assert outbound_message_send(message_id=latest.pk).state == OutboundMessage.State.SENT
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    [back] = work_order_changes()[3:]
    assert (back["id"], back["vehicle_id"]) == (second.pk, duplicate.pk)
