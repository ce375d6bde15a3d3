"""Undo: every table back as it was, unless something was built on the import since."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Customer, CustomerPhone, UtilityLogEntry
from customers.services import utility_log_entry_undo
from imports.models import ExternalId, ImportRun
from imports.services import (
    import_apply_run,
    import_apply_start,
    import_decisions_set,
    import_runs_reap,
    import_undo,
)
from imports.services import writer as writer_module
from imports.services.apply import heartbeat_timeout
from imports.services.writer import ImportWriter
from shop.errors import ServiceError
from tests.imports.helpers import applied, checked_run, shop_twin_of
from tests.imports.snapshot import table_rows
from workorders.models import Line, WorkOrder

pytestmark = pytest.mark.django_db


def test_undo_brings_every_table_back_row_identical(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    # A customer of the shop the import merges a duplicate into (its e-mail, phones and
    # vehicles join them).
    existing = shop_twin_of(small_sample_paths, "C1003")
    before = table_rows()
    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    assert run.counts["customers"]["merge"] >= 1
    assert existing.vehicles.exists()
    assert table_rows() != before
    undone = import_undo(by=owner, run_id=run.pk)
    assert undone.state == ImportRun.State.UNDONE
    assert table_rows() == before
    assert not ExternalId.objects.exists()
    assert UtilityLogEntry.objects.get(pk=run.log_entry_id).undone_at is not None
    assert Customer.objects.get(pk=existing.pk)


def test_undo_of_a_second_run_puts_back_the_fields_it_changed(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks, tmp_path
):
    applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    before = table_rows()
    text = small_sample_paths["customers"].read_bytes().decode("cp1252")
    lines = text.splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[2] = "Changedname"
    lines[1] = ",".join(fields)
    changed = tmp_path / "customers.csv"
    changed.write_bytes("".join(lines).encode("cp1252"))
    second = applied(
        owner, checked_run(owner, {"customers": changed}), django_capture_on_commit_callbacks
    )
    assert second.counts["customers"]["update"] == 1
    assert Customer.objects.filter(last_name="Changedname").exists()
    import_undo(by=owner, run_id=second.pk)
    assert table_rows() == before


def test_undo_is_in_the_utilities_log_and_works_from_there(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    before = table_rows()
    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    entry = utility_log_entry_undo(by=owner, entry_id=run.log_entry_id)
    assert entry.undone_at is not None
    run.refresh_from_db()
    assert run.state == ImportRun.State.UNDONE
    assert table_rows() == before


def test_undo_names_a_customer_with_new_work_and_undoes_the_rest_only_by_choice(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    imported = WorkOrder.objects.order_by("pk").first()
    customer = imported.customer
    # Since the import, the customer came back: a new estimate at the counter.
    from workorders.services import workorder_create

    workorder_create(by=owner, vehicle=imported.vehicle, odometer_in=1)
    snapshot = table_rows()
    with pytest.raises(ServiceError) as refused:
        import_undo(by=owner, run_id=run.pk)
    assert customer.display_name in refused.value.message
    assert "Nothing was undone" in refused.value.message
    assert table_rows() == snapshot
    import_undo(by=owner, run_id=run.pk, keep_built_upon=True)
    # The customer stays with what was imported for them; everyone else is gone.
    assert list(Customer.objects.values_list("pk", flat=True)) == [customer.pk]
    assert WorkOrder.objects.filter(customer=customer).count() >= 2
    assert CustomerPhone.objects.exclude(customer=customer).count() == 0
    assert ExternalId.objects.filter(kind="customer").count() >= 1


def test_undo_is_refused_after_30_days_and_twice(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(days=31))
    with pytest.raises(ServiceError, match="30 days"):
        import_undo(by=owner, run_id=run.pk)
    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    import_undo(by=owner, run_id=run.pk)
    with pytest.raises(ServiceError, match="already undone"):
        import_undo(by=owner, run_id=run.pk)


def test_an_import_stopped_part_way_is_undone_to_every_table_as_it_was(
    shop, owner, small_sample_paths, monkeypatch
):
    existing = shop_twin_of(small_sample_paths, "C1003")
    before = table_rows()
    run = checked_run(owner, small_sample_paths)
    import_decisions_set(by=owner, run_id=run.pk, duplicates={}, skip_bad_rows=True)
    # Batches of 50 rows, and the worker's heartbeat stops after the first batch of invoice
    # lines (the invoices written, their lines not all):
    # the reaper stops the run, and the writer stops at its next batch (whose transaction is
    # rolled back), as it does when a worker dies and the owner is told to resume or undo.
    monkeypatch.setattr(writer_module, "BATCH", 50)
    advance = ImportWriter._advance

    def advance_then_reaped(self, phase, position, rows):
        advance(self, phase, position, rows)
        if phase == ImportRun.Phase.INVOICE_LINES:
            later = timezone.now() + heartbeat_timeout() + timedelta(seconds=1)
            assert import_runs_reap(now=later) == [run.pk]

    monkeypatch.setattr(ImportWriter, "_advance", advance_then_reaped)
    import_apply_start(by=owner, run_id=run.pk)  # its task is run here, not on a worker
    import_apply_run(run.pk)
    run.refresh_from_db()
    assert run.state == ImportRun.State.STOPPED and run.applying is None
    assert run.phase == ImportRun.Phase.INVOICE_LINES and run.position > 0
    # Half applied: the customers (one merged into the shop's), the vehicles, the invoices
    # and the first batch of their lines.
    counts = run.dry_run["counts"]
    assert Customer.objects.exclude(pk=existing.pk).exists()
    assert existing.vehicles.exists()
    assert WorkOrder.objects.count() == counts["invoices"]["create"]
    assert 0 < Line.objects.count() < counts["invoice_lines"]["create"]
    assert table_rows() != before

    undone = import_undo(by=owner, run_id=run.pk)
    assert undone.state == ImportRun.State.UNDONE
    assert table_rows() == before
    assert not ExternalId.objects.exists()


def test_undo_leaves_what_only_pointed_at_an_imported_invoice_with_the_link_cleared(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    from parts.models import PurchaseOrder, Vendor

    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    imported = WorkOrder.objects.order_by("pk").first()
    # A purchase order that names an imported invoice: its link is SET_NULL, so undo keeps
    # the order and clears the link, as deleting the invoice through the ORM would.
    order = PurchaseOrder.objects.create(
        vendor=Vendor.objects.create(name="Corner Parts Supply"), work_order=imported
    )
    import_undo(by=owner, run_id=run.pk)
    assert not WorkOrder.objects.exists()
    order.refresh_from_db()
    assert order.work_order_id is None
