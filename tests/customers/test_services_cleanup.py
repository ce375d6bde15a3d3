from datetime import date, timedelta

import pytest
from django.utils import timezone

from customers.models import Customer, CustomerPhone, UtilityLogEntry, Vehicle
from customers.services.cleanup import (
    area_code_change,
    area_code_cities_list,
    area_code_fingerprint,
    area_code_plan,
    customers_delete_without_history,
    customers_without_history_find,
    customers_without_history_fingerprint,
    duplicate_phones_find,
    duplicate_phones_fingerprint,
    family_members_plan,
    family_members_separate,
    phones_delete_duplicates,
)
from customers.services.combine_vehicles import (
    vehicle_duplicate_groups_find,
    vehicle_groups_fingerprint,
    vehicles_combine,
)
from customers.services.log import utility_log_entry_undo
from shop.errors import ServiceError
from tests.customers.factories import (
    CustomerEmailFactory,
    CustomerFactory,
    CustomerPhoneFactory,
    VehicleFactory,
)
from tests.customers.snapshot import table_rows

pytestmark = pytest.mark.django_db


def undo_restores(owner, entry, before):
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    assert table_rows() == before


# --- Combine Vehicles ----------------------------------------------------------------


@pytest.fixture
def garage(db):
    from workorders.seeding import statuses_ensure
    from workorders.services import workorder_create

    statuses_ensure()
    customer = CustomerFactory()
    first = VehicleFactory(
        customer=customer, vin="1HGCM82633A004352", plate="MRG417", odometer=1000
    )
    same_vin = VehicleFactory(customer=customer, vin="1HGCM82633A004352", plate="", odometer=5000)
    same_plate = VehicleFactory(
        customer=customer, vin="", plate="MRG417", color="Blue", odometer=2000
    )
    other = VehicleFactory(customer=customer, vin="5YJ3E1EA2KF317000", plate="TESLA1")
    elsewhere = VehicleFactory(vin="1HGCM82633A004352", plate="MRG417")  # another owner
    work_order = workorder_create(by=None, vehicle=same_vin)
    return locals()


@pytest.mark.parametrize(
    ("match", "merged"),
    [("vin", ["same_vin"]), ("plate", ["same_plate"]), ("vin_or_plate", ["same_vin", "same_plate"]),
     ("vin_and_plate", [])],
)  # fmt: skip
def test_it_groups_one_customers_vehicles_by_the_chosen_rule(garage, match, merged):
    groups = vehicle_duplicate_groups_find(match=match)
    if not merged:
        assert groups == []
        return
    assert len(groups) == 1
    assert groups[0].survivor == garage["first"]
    assert [v.pk for v in groups[0].merged] == [garage[name].pk for name in merged]


def test_combining_vehicles_moves_work_orders_and_undoes(garage, owner):
    before = table_rows()
    groups = vehicle_duplicate_groups_find(match="vin_or_plate")
    moves = {m.title: m.pks for plan in groups[0].plans for m in plan.moves}
    assert moves == {"Work orders": [garage["work_order"].pk]}
    entry = vehicles_combine(
        by=owner, match="vin_or_plate", fingerprint=vehicle_groups_fingerprint(groups)
    )
    survivor = Vehicle.objects.get(pk=garage["first"].pk)
    assert (survivor.odometer, survivor.color) == (5000, "Blue")
    assert not Vehicle.objects.filter(pk__in=[garage["same_vin"].pk, garage["same_plate"].pk])
    garage["work_order"].refresh_from_db()
    assert garage["work_order"].vehicle_id == survivor.pk
    assert Vehicle.objects.filter(pk=garage["elsewhere"].pk).exists()
    assert "2 duplicate vehicles combined into 1 by VIN or plate" in entry.summary
    undo_restores(owner, entry, before)


def test_combining_vehicles_refuses_a_stale_preview_or_bad_rule(garage, owner):
    with pytest.raises(ServiceError, match="changed since the preview"):
        vehicles_combine(by=owner, match="vin", fingerprint="old")
    with pytest.raises(ServiceError, match="Choose how to match"):
        vehicle_duplicate_groups_find(match="colour")
    assert not UtilityLogEntry.objects.exists()


# --- Delete Duplicate Phones ---------------------------------------------------------


def test_it_deletes_phones_with_the_same_number_and_type_and_undoes(owner):
    customer = CustomerFactory()
    kept = CustomerPhoneFactory(customer=customer, number="217-555-0191", e164="+12175550191")
    twin = CustomerPhoneFactory(customer=customer, number="(217) 555-0191", e164="+12175550191")
    home = CustomerPhoneFactory(
        customer=customer, kind="home", number="217 555 0191", e164="+12175550191"
    )
    CustomerPhoneFactory(number="217-555-0191", e164="+12175550191")  # another customer
    before = table_rows()
    phones = duplicate_phones_find()
    assert phones == [twin]
    entry = phones_delete_duplicates(by=owner, fingerprint=duplicate_phones_fingerprint(phones))
    assert set(customer.phones.all()) == {kept, home}
    assert entry.summary == "1 duplicate phone deleted from 1 customer"
    undo_restores(owner, entry, before)


def test_deleting_duplicate_phones_refuses_when_there_are_none(owner):
    CustomerPhoneFactory()
    with pytest.raises(ServiceError, match="same number twice"):
        phones_delete_duplicates(by=owner, fingerprint="")


# --- Separate Family Members ---------------------------------------------------------


def test_it_separates_family_members_and_undoes(owner):
    main = CustomerFactory(is_ar=True)
    members = [CustomerFactory(household_main=main) for _ in range(2)]
    before = table_rows()
    assert family_members_plan([members[0].pk]) == [members[0]]
    entry = family_members_separate(by=owner, member_ids=[members[0].pk])
    assert Customer.objects.get(pk=members[0].pk).household_main_id is None
    assert Customer.objects.get(pk=members[1].pk).household_main_id == main.pk
    undo_restores(owner, entry, before)


def test_separating_refuses_customers_who_are_not_family_members(owner):
    loner = CustomerFactory()
    with pytest.raises(ServiceError, match="Tick the family members"):
        family_members_separate(by=owner, member_ids=[loner.pk])


# --- Change Area Code ------------------------------------------------------------------


@pytest.fixture
def area_phones(db):
    springfield = CustomerFactory(city="Springfield")
    decatur = CustomerFactory(city="Decatur")
    peoria = CustomerFactory(city="Peoria")
    return {
        "springfield": CustomerPhoneFactory(
            customer=springfield, number="(217) 555-0101", e164="+12175550101"
        ),
        "decatur": CustomerPhoneFactory(
            customer=decatur, number="217.555.0102", e164="+12175550102"
        ),
        "peoria": CustomerPhoneFactory(customer=peoria, number="309-555-0103", e164="+13095550103"),
    }


def test_it_lists_the_cities_using_an_area_code(area_phones):
    cities = area_code_cities_list(old_code="217")
    assert [(c["customer__city"], c["phones"]) for c in cities] == [
        ("Decatur", 1),
        ("Springfield", 1),
    ]


def test_it_changes_the_area_code_in_the_chosen_cities_and_undoes(area_phones, owner):
    before = table_rows()
    plan = area_code_plan(old_code="217", new_code="447", cities=["Decatur"])
    assert [(c.phone, c.new_number, c.new_e164) for c in plan] == [
        (area_phones["decatur"], "447.555.0102", "+14475550102")
    ]
    entry = area_code_change(
        by=owner,
        old_code="217",
        new_code="447",
        cities=["Decatur"],
        fingerprint=area_code_fingerprint(plan),
    )
    assert CustomerPhone.objects.get(pk=area_phones["decatur"].pk).e164 == "+14475550102"
    assert CustomerPhone.objects.get(pk=area_phones["springfield"].pk).e164 == "+12175550101"
    undo_restores(owner, entry, before)


@pytest.mark.parametrize(
    ("old", "new", "cities", "message"),
    [
        ("21", "447", ["Decatur"], "three digits"),
        ("217", "117", ["Decatur"], "three digits"),
        ("217", "217", ["Decatur"], "same as the old"),
        ("217", "447", [], "Tick at least one city"),
        ("217", "447", ["Chicago"], "No phone in those cities"),
    ],
)
def test_changing_the_area_code_refuses_bad_input(area_phones, owner, old, new, cities, message):
    before = table_rows()
    with pytest.raises(ServiceError, match=message):
        area_code_change(by=owner, old_code=old, new_code=new, cities=cities, fingerprint="")
    assert table_rows() == before


# --- Delete Customers with No Invoices --------------------------------------------------


def test_it_deletes_only_customers_without_history_and_undoes(owner):
    from workorders.seeding import statuses_ensure
    from workorders.services import workorder_create

    statuses_ensure()
    with_work_order = VehicleFactory().customer
    workorder_create(by=None, vehicle=with_work_order.vehicles.get())
    head = CustomerFactory()
    CustomerFactory(household_main=head)  # the member has no history either
    quote_only = CustomerFactory()
    CustomerPhoneFactory(customer=quote_only)
    CustomerEmailFactory(customer=quote_only)
    VehicleFactory(customer=quote_only)
    before = table_rows()
    found = customers_without_history_find()
    assert with_work_order not in found and head not in found
    assert quote_only in found
    entry = customers_delete_without_history(
        by=owner, created_before=None, fingerprint=customers_without_history_fingerprint(found)
    )
    assert not Customer.objects.filter(pk=quote_only.pk).exists()
    assert Customer.objects.filter(pk__in=[with_work_order.pk, head.pk]).count() == 2
    undo_restores(owner, entry, before)


def test_created_before_limits_the_deletion(owner):
    old = CustomerFactory()
    Customer.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    recent = CustomerFactory()
    found = customers_without_history_find(created_before=date.today() - timedelta(days=30))
    assert found == [Customer.objects.get(pk=old.pk)]
    assert recent not in found


def test_deleting_refuses_a_stale_preview(owner):
    CustomerFactory()
    with pytest.raises(ServiceError, match="changed since the preview"):
        customers_delete_without_history(by=owner, created_before=None, fingerprint="x")
    assert Customer.objects.count() == 1


@pytest.fixture
def one_plate_two_vins(db):
    customer = CustomerFactory()
    first = VehicleFactory(customer=customer, vin="1HGCM82633A004352", plate="MRG417")
    other_car = VehicleFactory(customer=customer, vin="5YJ3E1EA2KF317000", plate="MRG417")
    twin = VehicleFactory(customer=customer, vin="", plate="MRG417", color="Blue")
    return first, other_car, twin


@pytest.mark.parametrize("match", ["plate", "vin_or_plate"])
def test_a_pair_whose_vins_conflict_is_not_combined_by_the_rule_alone(
    one_plate_two_vins, owner, match
):
    _first, other_car, twin = one_plate_two_vins
    groups = vehicle_duplicate_groups_find(match=match)
    conflicts = {pair.duplicate.pk: pair.vin_conflict for pair in groups[0].pairs}
    assert conflicts == {other_car.pk: True, twin.pk: False}
    entry = vehicles_combine(by=owner, match=match, fingerprint=vehicle_groups_fingerprint(groups))
    assert Vehicle.objects.filter(pk=other_car.pk).exists()
    assert not Vehicle.objects.filter(pk=twin.pk).exists()
    assert "1 duplicate vehicle combined into 1" in entry.summary


def test_a_pair_whose_vins_conflict_is_combined_when_ticked_on_its_own(one_plate_two_vins, owner):
    first, other_car, twin = one_plate_two_vins
    groups = vehicle_duplicate_groups_find(match="plate")
    vehicles_combine(
        by=owner,
        match="plate",
        fingerprint=vehicle_groups_fingerprint(groups),
        pairs=[f"{first.pk}:{other_car.pk}"],
    )
    assert not Vehicle.objects.filter(pk=other_car.pk).exists()
    # The twin was not ticked: it stays, and its colour filled nothing.
    assert Vehicle.objects.filter(pk=twin.pk).exists()
    assert Vehicle.objects.get(pk=first.pk).color != "Blue"


def test_an_unticked_pair_is_left_alone_and_nothing_ticked_changes_nothing(
    one_plate_two_vins, owner
):
    _first, other_car, twin = one_plate_two_vins
    groups = vehicle_duplicate_groups_find(match="plate")
    fingerprint = vehicle_groups_fingerprint(groups)
    with pytest.raises(ServiceError, match="No pair of vehicles is ticked"):
        vehicles_combine(by=owner, match="plate", fingerprint=fingerprint, pairs=[])
    with pytest.raises(ServiceError, match="changed since the preview"):
        vehicles_combine(by=owner, match="plate", fingerprint=fingerprint, pairs=["1:999999"])
    assert Vehicle.objects.filter(pk__in=[other_car.pk, twin.pk]).count() == 2
    assert not UtilityLogEntry.objects.exists()


def test_the_pair_shows_both_vehicles_side_by_side(one_plate_two_vins):
    _first, _other_car, twin = one_plate_two_vins
    pair = next(
        p for p in vehicle_duplicate_groups_find(match="plate")[0].pairs if p.duplicate == twin
    )
    rows = {row.label: row for row in pair.side_by_side}
    assert (rows["VIN"].kept, rows["VIN"].duplicate) == ("1HGCM82633A004352", "(blank)")
    assert (rows["Color"].kept, rows["Color"].duplicate, rows["Color"].after) == (
        "(blank)",
        "Blue",
        "Blue",
    )
    assert rows["Active"].kept == "yes"


def test_the_customer_combine_preview_reads_as_a_person_says_it(db):
    from customers.services.combine import customers_combine_plan
    from tests.customers.factories import CustomerSourceFactory

    survivor = CustomerFactory(text_consent=False, source=None)
    merged = CustomerFactory(text_consent=True, source=CustomerSourceFactory(name="Yelp"))
    rows = {
        (c.label, c.old, c.new)
        for c in customers_combine_plan(survivor=survivor, merged=merged).readable_rows
    }
    assert ("Text messages", "no", "yes") in rows
    assert ("Source", "(blank)", "Yelp") in rows
    assert not any("_" in label for label, _, _ in rows)
