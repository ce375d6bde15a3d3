import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from customers.models import Customer, CustomerPhone, UtilityLogEntry, Vehicle
from customers.services.combine import (
    customer_add_family_member,
    customers_combine,
    customers_combine_plan,
    family_member_plan,
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


@pytest.fixture
def pair(db):
    """Angela Brooks twice: the second typed with a misspelling, another phone format."""
    from workorders.seeding import statuses_ensure
    from workorders.services import workorder_create

    statuses_ensure()
    survivor = CustomerFactory(first_name="Angela", last_name="Brooks", postcode="", notes="")
    CustomerPhoneFactory(customer=survivor, number="(217) 555-0176", e164="+12175550176")
    CustomerEmailFactory(customer=survivor, address="angela@example.com")
    merged = CustomerFactory(
        first_name="Angela",
        last_name="Brookes",
        postcode="62521",
        notes="Prefers texts",
        is_ar=True,
    )
    CustomerPhoneFactory(customer=merged, number="+1 217 555 0176", e164="+12175550176")
    CustomerPhoneFactory(customer=merged, kind="work", number="217-555-0150", e164="+12175550150")
    CustomerEmailFactory(customer=merged, address="ANGELA@example.com")
    vehicle = VehicleFactory(customer=merged)
    work_order = workorder_create(by=None, vehicle=vehicle)
    child = CustomerFactory(first_name="Tim", last_name="Brookes", household_main=merged)
    return {
        "survivor": survivor,
        "merged": merged,
        "vehicle": vehicle,
        "work_order": work_order,
        "child": child,
    }


def test_the_preview_lists_exactly_what_will_change(pair):
    plan = customers_combine_plan(survivor=pair["survivor"], merged=pair["merged"])
    moves = {move.title: move.pks for move in plan.moves}
    assert moves["Vehicles"] == [pair["vehicle"].pk]
    assert moves["Work orders"] == [pair["work_order"].pk]
    assert moves["Family members"] == [pair["child"].pk]
    assert len(moves["Customer phones"]) == 1  # the work phone; the same cell is not copied
    assert "Customer emails" not in moves  # the same address, in capitals, is already there
    assert [d[0] for d in plan.dropped] == [
        "Phones already on the survivor",
        "E-mails already on the survivor",
    ]
    assert plan.field_changes["postcode"] == ("", "62521")
    assert plan.field_changes["is_ar"] == (False, True)
    assert plan.field_changes["notes"] == ("", "Prefers texts")
    assert table_rows() == table_rows()  # the preview changed nothing


def test_combining_moves_everything_to_the_survivor(pair, owner):
    survivor, merged = pair["survivor"], pair["merged"]
    entry = customers_combine(by=owner, survivor_id=survivor.pk, merged_id=merged.pk)
    assert not Customer.objects.filter(pk=merged.pk).exists()
    assert Vehicle.objects.get(pk=pair["vehicle"].pk).customer_id == survivor.pk
    pair["work_order"].refresh_from_db()
    assert pair["work_order"].customer_id == survivor.pk
    assert Customer.objects.get(pk=pair["child"].pk).household_main_id == survivor.pk
    assert sorted(survivor.phones.values_list("e164", flat=True)) == [
        "+12175550150",
        "+12175550176",
    ]
    assert survivor.emails.count() == 1
    survivor.refresh_from_db()
    assert (survivor.postcode, survivor.is_ar, survivor.notes) == ("62521", True, "Prefers texts")
    assert entry.utility == UtilityLogEntry.Utility.COMBINE_CUSTOMERS
    assert "Brookes" in entry.summary


def test_undo_puts_every_table_back_exactly(pair, owner):
    before = table_rows()
    entry = customers_combine(
        by=owner, survivor_id=pair["survivor"].pk, merged_id=pair["merged"].pk
    )
    assert table_rows() != before
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    assert table_rows() == before
    entry.refresh_from_db()
    assert entry.undone_at is not None and entry.undone_by == owner


def test_a_moved_work_order_is_a_new_version_so_an_editor_open_on_it_cannot_save_over(pair, owner):
    from workorders.models import WorkOrder
    from workorders.services import workorder_update

    opened = WorkOrder.objects.get(pk=pair["work_order"].pk)  # an editor open on it
    entry = customers_combine(
        by=owner, survivor_id=pair["survivor"].pk, merged_id=pair["merged"].pk
    )
    moved = WorkOrder.objects.get(pk=opened.pk)
    assert (moved.customer_id, moved.version) == (pair["survivor"].pk, opened.version + 1)
    with pytest.raises(ServiceError, match="changed by someone else") as error:
        workorder_update(by=owner, work_order=opened, version=opened.version, concern="Noise")
    assert error.value.code == "conflict"
    assert WorkOrder.objects.get(pk=opened.pk).concern == moved.concern
    # Undone, the row is as it was: the merged customer's, at the version it had.
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    back = WorkOrder.objects.get(pk=opened.pk)
    assert (back.customer_id, back.version) == (pair["merged"].pk, opened.version)


def test_it_refuses_to_combine_a_customer_with_itself(pair, owner):
    before = table_rows()
    with pytest.raises(ServiceError, match="cannot be combined with itself"):
        customers_combine(by=owner, survivor_id=pair["survivor"].pk, merged_id=pair["survivor"].pk)
    assert table_rows() == before
    assert not UtilityLogEntry.objects.exists()


def test_it_refuses_a_preview_that_went_stale(pair, owner):
    plan = customers_combine_plan(survivor=pair["survivor"], merged=pair["merged"])
    VehicleFactory(customer=pair["merged"])
    before = table_rows()
    with pytest.raises(ServiceError, match="changed since the preview"):
        customers_combine(
            by=owner,
            survivor_id=pair["survivor"].pk,
            merged_id=pair["merged"].pk,
            fingerprint=plan.fingerprint,
        )
    assert table_rows() == before


def test_the_second_of_two_combines_of_the_same_pair_is_told_clearly(pair, owner):
    customers_combine(by=owner, survivor_id=pair["survivor"].pk, merged_id=pair["merged"].pk)
    with pytest.raises(ServiceError, match="no longer exists") as error:
        customers_combine(by=owner, survivor_id=pair["survivor"].pk, merged_id=pair["merged"].pk)
    assert error.value.code == "conflict"
    assert UtilityLogEntry.objects.count() == 1


def test_undo_is_refused_when_the_rows_changed_since(pair, owner):
    entry = customers_combine(
        by=owner, survivor_id=pair["survivor"].pk, merged_id=pair["merged"].pk
    )
    other = CustomerFactory()
    Vehicle.objects.filter(pk=pair["vehicle"].pk).update(customer=other)
    before = table_rows()
    with pytest.raises(ServiceError, match="has changed since"):
        utility_log_entry_undo(by=owner, entry_id=entry.pk)
    assert table_rows() == before
    entry.refresh_from_db()
    assert entry.undone_at is None


def test_undo_is_refused_twice_and_after_thirty_days(pair, owner):
    entry = customers_combine(
        by=owner, survivor_id=pair["survivor"].pk, merged_id=pair["merged"].pk
    )
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    with pytest.raises(ServiceError, match="already undone"):
        utility_log_entry_undo(by=owner, entry_id=entry.pk)
    again = customers_combine(
        by=owner, survivor_id=pair["survivor"].pk, merged_id=pair["merged"].pk
    )
    UtilityLogEntry.objects.filter(pk=again.pk).update(
        performed_at=timezone.now() - timedelta(days=31)
    )
    with pytest.raises(ServiceError, match="30 days"):
        utility_log_entry_undo(by=owner, entry_id=again.pk)


def test_a_survivor_from_the_merged_household_heads_it_afterwards(owner):
    main = CustomerFactory()
    member = CustomerFactory(household_main=main)
    before = table_rows()
    entry = customers_combine(by=owner, survivor_id=member.pk, merged_id=main.pk)
    assert Customer.objects.get(pk=member.pk).household_main_id is None
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    assert table_rows() == before


def test_add_as_family_member_links_and_undoes(owner):
    main, member = CustomerFactory(), CustomerFactory()
    assert "becomes a family member" in family_member_plan(main=main, member=member)[0]
    before = table_rows()
    entry = customer_add_family_member(by=owner, main_id=main.pk, member_id=member.pk)
    assert Customer.objects.get(pk=member.pk).household_main_id == main.pk
    assert entry.utility == UtilityLogEntry.Utility.ADD_FAMILY_MEMBER
    utility_log_entry_undo(by=owner, entry_id=entry.pk)
    assert table_rows() == before


def test_add_as_family_member_refuses_bad_pairs(owner):
    main = CustomerFactory()
    member = CustomerFactory(household_main=main)
    loner = CustomerFactory()
    with pytest.raises(ServiceError, match="own family member"):
        customer_add_family_member(by=owner, main_id=main.pk, member_id=main.pk)
    with pytest.raises(ServiceError, match="add to that household's main customer"):
        customer_add_family_member(by=owner, main_id=member.pk, member_id=loner.pk)
    with pytest.raises(ServiceError, match="heads a household"):
        customer_add_family_member(by=owner, main_id=loner.pk, member_id=main.pk)
    assert not UtilityLogEntry.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_people_combining_at_once_one_wins_the_other_is_told(owner):
    survivor, merged = CustomerFactory(), CustomerFactory()
    CustomerPhoneFactory(customer=merged)
    barrier = threading.Barrier(2)
    outcomes = []

    def combine():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            customers_combine(by=owner, survivor_id=survivor.pk, merged_id=merged.pk)
            outcomes.append("combined")
        except ServiceError as error:
            outcomes.append(error.message)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=combine) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=len)[0] == "combined"
    assert "no longer exists" in sorted(outcomes, key=len)[1]
    assert UtilityLogEntry.objects.count() == 1
    assert CustomerPhone.objects.get().customer_id == survivor.pk
