"""Imported A/R open items become ledger balances in payments; imported parts go into parts'
catalog. Imports hands them over through `shop.imported_records`; undo takes them back."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from imports.models import ImportRun, StagedArItem, StagedPart
from imports.services import import_undo
from parts.models import Part, StockMovement, Vendor, VendorPart, number_key
from parts.services.stock import on_hand, stock_adjust
from payments.models import LedgerEntry
from payments.selectors import customer_balance
from payments.services.ledger import entry_write
from shop.errors import ServiceError
from tests.imports.helpers import applied, checked_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(shop, owner, small_sample_paths, django_capture_on_commit_callbacks):
    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    assert run.state == ImportRun.State.DONE, run.error
    return run


def test_open_items_become_the_customers_ledger_balances(imported):
    items = list(StagedArItem.objects.filter(run=imported))
    assert items, "the sample has A/R open items"
    owed: dict[int, Decimal] = defaultdict(Decimal)
    for item in items:
        owed[item.customer_id] += item.balance
    entries = LedgerEntry.objects.filter(reference=f"imports.run:{imported.pk}")
    assert entries.count() == sum(1 for item in items if item.balance)
    assert set(entries.values_list("kind", flat=True)) == {LedgerEntry.Kind.ADJUSTMENT}
    for customer_id, balance in owed.items():
        assert customer_balance(customer_id) == balance
    # A credit in the old system (its balance in parentheses) is a credit here.
    assert any(item.balance < 0 for item in items)
    # The entries are on the imported invoice's bucket when the item names one.
    linked = next(item for item in items if item.work_order_id and item.balance)
    assert entries.filter(work_order_id=linked.work_order_id, amount=linked.balance).exists()
    assert imported.counts["payments.ledgerentry"]["create"] == entries.count()


def test_imported_parts_are_in_the_catalog_with_their_quantity_on_hand(imported):
    staged = list(StagedPart.objects.filter(run=imported))
    assert staged
    parts = {p.number_key: p for p in Part.objects.all()}
    assert len(parts) == len({number_key(s.part_number) for s in staged})
    for item in staged:
        part = parts[number_key(item.part_number)]
        assert part.description == (item.description or item.part_number)[:200]
        if item.quantity_on_hand is not None:
            assert on_hand(part) == item.quantity_on_hand
    assert imported.counts["parts.part"]["create"] == len(parts)


def test_imported_parts_are_linked_to_the_vendors_the_old_system_named(imported):
    staged = list(StagedPart.objects.filter(run=imported))
    assert {s.vendor for s in staged} == {"NAPA", "Tire Rack"}
    source = f"imports.run:{imported.pk}"
    assert set(Vendor.objects.values_list("name", "imported_from")) == {
        ("NAPA", source),
        ("Tire Rack", source),
    }
    linked = set(VendorPart.objects.values_list("vendor__name", "part__number", "cost"))
    assert linked == {(s.vendor, s.part_number, s.cost) for s in staged}


def test_a_second_run_of_the_same_files_hands_over_nothing_again(
    imported, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    entries, parts = LedgerEntry.objects.count(), Part.objects.count()
    again = applied(
        owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks
    )
    assert again.state == ImportRun.State.DONE
    assert (LedgerEntry.objects.count(), Part.objects.count()) == (entries, parts)


def test_undo_takes_the_balances_and_parts_back_and_the_ledger_stays_append_only(imported, owner):
    import_undo(by=owner, run_id=imported.pk)
    assert not LedgerEntry.objects.exists()
    assert not Part.objects.exists() and not StockMovement.objects.exists()
    assert not Vendor.objects.exists() and not VendorPart.objects.exists()
    # Any other delete is still refused by the database.
    entry = entry_write(
        kind=LedgerEntry.Kind.ADJUSTMENT,
        customer_id=StagedArItem.objects.values_list("customer_id", flat=True).first()
        or _a_customer_id(),
        amount=Decimal("5.00"),
        by=owner,
        reason="test",
    )
    with (
        pytest.raises(ProgrammingError, match="never deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM payments_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def _a_customer_id() -> int:
    from customers.models import Customer

    return Customer.objects.create(last_name="Walk-in").pk


def test_a_payment_since_the_import_refuses_the_undo_by_name(imported, owner):
    item = StagedArItem.objects.filter(run=imported).exclude(balance=0).first()
    entry_write(
        kind=LedgerEntry.Kind.ADJUSTMENT,
        customer_id=item.customer_id,
        amount=Decimal("-10.00"),
        by=owner,
        reason="Paid at the counter",
    )
    before = LedgerEntry.objects.count()
    with pytest.raises(ServiceError, match="payments or charges on their account since"):
        import_undo(by=owner, run_id=imported.pk)
    imported.refresh_from_db()
    assert imported.state == ImportRun.State.DONE
    assert LedgerEntry.objects.count() == before
    assert Part.objects.exists()


def test_a_part_sold_or_adjusted_since_the_import_refuses_the_undo_by_number(imported, owner):
    part = Part.objects.filter(stocked=True).first()
    stock_adjust(by=owner, part=part, quantity="-1", reason="Damaged")
    with pytest.raises(
        ServiceError, match=f"sold, received or counted since the import: {part.number}"
    ):
        import_undo(by=owner, run_id=imported.pk)
    assert Part.objects.filter(pk=part.pk).exists()
    assert LedgerEntry.objects.filter(reference=f"imports.run:{imported.pk}").exists()
