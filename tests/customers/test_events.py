"""The customers' named events (customers.events): which services send them, and with the
ids a receiver needs to react once per vehicle."""

from __future__ import annotations

import pytest

from customers import events, services
from customers.models import Customer, UtilityLogEntry, Vehicle
from customers.services.cleanup import (
    customers_delete_without_history,
    customers_without_history_find,
    customers_without_history_fingerprint,
)
from customers.services.combine import customer_add_family_member, customers_combine
from customers.services.combine_vehicles import (
    vehicle_duplicate_groups_find,
    vehicle_groups_fingerprint,
    vehicles_combine,
)
from customers.services.log import utility_log_entry_undo
from shop.errors import ServiceError
from tests.customers.factories import CustomerFactory, VehicleFactory

pytestmark = pytest.mark.django_db

SIGNALS = [
    "vehicle_changed",
    "vehicle_disabled",
    "vehicle_enabled",
    "customers_combined",
    "customers_combine_undone",
    "vehicles_combined",
    "vehicles_combine_undone",
    "customers_deleted",
    "customers_delete_undone",
]


@pytest.fixture
def sent():
    """Every customers event sent during the test: (name, sender, arguments)."""
    received: list[tuple[str, type, dict]] = []
    receivers = {}
    for name in SIGNALS:

        def receiver(sender, signal, _name=name, **kwargs):
            received.append((_name, sender, kwargs))

        receivers[name] = receiver
        getattr(events, name).connect(receiver, dispatch_uid=f"test.{name}")
    yield received
    for name in SIGNALS:
        getattr(events, name).disconnect(dispatch_uid=f"test.{name}")


def test_adding_and_editing_a_vehicle_send_vehicle_changed(owner, sent):
    customer = CustomerFactory()
    vehicle = services.vehicle_create(by=owner, customer=customer, plate="NEW 1")
    services.vehicle_update(by=owner, vehicle=vehicle, color="Red")
    assert sent == [
        ("vehicle_changed", Vehicle, {"vehicle": vehicle, "created": True, "by": owner}),
        ("vehicle_changed", Vehicle, {"vehicle": vehicle, "created": False, "by": owner}),
    ]
    assert sent[1][2]["vehicle"].color == "Red"
    with pytest.raises(ServiceError):
        services.vehicle_update(by=owner, vehicle=vehicle, year=1800)
    assert len(sent) == 2


def test_disabling_and_enabling_send_their_events_only_when_they_change_it(owner, sent):
    vehicle = VehicleFactory()
    services.vehicle_set_active(by=owner, vehicle=vehicle, active=False)
    services.vehicle_set_active(by=owner, vehicle=vehicle, active=False)
    services.vehicle_set_active(by=owner, vehicle=vehicle, active=True)
    assert [(name, kwargs["vehicle"].pk, kwargs["by"]) for name, _s, kwargs in sent] == [
        ("vehicle_disabled", vehicle.pk, owner),
        ("vehicle_enabled", vehicle.pk, owner),
    ]


def test_combining_customers_names_the_moved_vehicles_and_undo_names_them_again(owner, sent):
    survivor, merged = CustomerFactory(), CustomerFactory()
    VehicleFactory(customer=survivor)
    moved = sorted(VehicleFactory(customer=merged).pk for _ in range(2))
    merged_id = merged.pk
    entry = customers_combine(by=owner, survivor_id=survivor.pk, merged_id=merged_id)
    [(name, sender, kwargs)] = sent
    assert (name, sender) == ("customers_combined", Customer)
    assert kwargs == {
        "survivor": survivor,
        "merged_id": merged_id,
        "vehicle_ids": moved,
        "moved_rows": {"customers.vehicle": moved},
        "entry": entry,
        "by": owner,
    }
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    name, sender, kwargs = sent[1]
    assert (name, sender, kwargs["vehicle_ids"], kwargs["by"]) == (
        "customers_combine_undone",
        Customer,
        moved,
        owner,
    )
    assert kwargs["moved_rows"] == {"customers.vehicle": moved}
    assert kwargs["entry"].pk == entry.pk and kwargs["entry"].undone_at is not None
    assert set(Vehicle.objects.filter(pk__in=moved).values_list("customer_id", flat=True)) == {
        merged_id
    }


def test_combining_vehicles_names_the_removed_ones_and_the_kept_ones_it_filled(owner, sent):
    filled = VehicleFactory(plate="SAME1", color="")
    filler = VehicleFactory(customer=filled.customer, plate="SAME1", vin="", color="Blue")
    untouched = VehicleFactory(plate="SAME2", color="Red")
    twin = VehicleFactory(customer=untouched.customer, plate="SAME2", vin="", color="Red")
    groups = vehicle_duplicate_groups_find(match="plate")
    fingerprint = vehicle_groups_fingerprint(groups)
    entry = vehicles_combine(by=owner, match="plate", fingerprint=fingerprint)
    [(name, sender, kwargs)] = sent
    assert (name, sender) == ("vehicles_combined", Vehicle)
    # The second kept vehicle took nothing from its twin: its row did not change.
    assert kwargs == {
        "vehicle_ids": [filled.pk],
        "removed_ids": [filler.pk, twin.pk],
        "moved_rows": {},
        "entry": entry,
        "by": owner,
    }
    assert Vehicle.objects.get(pk=filled.pk).color == "Blue"
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    name, sender, kwargs = sent[1]
    assert (name, sender, kwargs["vehicle_ids"]) == (
        "vehicles_combine_undone",
        Vehicle,
        [filled.pk, filler.pk, twin.pk],
    )


def test_utilities_that_move_no_vehicle_send_none_and_a_refused_combine_sends_nothing(owner, sent):
    main, member = CustomerFactory(), CustomerFactory()
    VehicleFactory(customer=member)
    entry = customer_add_family_member(by=owner, main_id=main.pk, member_id=member.pk)
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    with pytest.raises(ServiceError):
        customers_combine(by=owner, survivor_id=main.pk, merged_id=main.pk)
    with pytest.raises(ServiceError):
        vehicles_combine(by=owner, match="plate", fingerprint="stale")
    assert sent == []
    assert UtilityLogEntry.objects.count() == 1


def test_deleting_customers_without_history_names_them_and_their_vehicles_and_undo_too(owner, sent):
    """The vehicles go with their customers: receivers are told which, once, after the
    rows are gone (inside the transaction), and again when the undo brings them back."""
    first, second = CustomerFactory(), CustomerFactory()
    removed = sorted(VehicleFactory(customer=c).pk for c in (first, second, second))
    customer_ids = sorted([first.pk, second.pk])

    def still_there(sender, removed_vehicle_ids, **kwargs):
        gone.append(not Vehicle.objects.filter(pk__in=removed_vehicle_ids).exists())

    gone: list[bool] = []
    events.customers_deleted.connect(still_there, dispatch_uid="test.gone")
    try:
        found = customers_without_history_find()
        entry = customers_delete_without_history(
            by=owner,
            created_before=None,
            fingerprint=customers_without_history_fingerprint(found),
        )
    finally:
        events.customers_deleted.disconnect(dispatch_uid="test.gone")
    assert gone == [True]
    [(name, sender, kwargs)] = sent
    assert (name, sender) == ("customers_deleted", Customer)
    assert kwargs == {
        "customer_ids": customer_ids,
        "removed_vehicle_ids": removed,
        "entry": entry,
        "by": owner,
    }
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    name, sender, kwargs = sent[1]
    assert (name, sender, kwargs["vehicle_ids"], kwargs["by"]) == (
        "customers_delete_undone",
        Customer,
        removed,
        owner,
    )
    assert kwargs["entry"].pk == entry.pk and kwargs["entry"].undone_at is not None
    assert sorted(Vehicle.objects.values_list("pk", flat=True)) == removed


def test_a_refused_delete_of_customers_without_history_sends_nothing(owner, sent):
    VehicleFactory()
    with pytest.raises(ServiceError, match="changed"):
        customers_delete_without_history(by=owner, created_before=None, fingerprint="stale")
    assert sent == []
    assert Vehicle.objects.count() == 1
