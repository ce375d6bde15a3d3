"""Apply: what the dry run counted is what is written, once; history that reports can use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from customers.models import Customer, CustomerPhone, OdometerReading, UtilityLogEntry, Vehicle
from customers.services import annual_mileage_estimate
from imports import events
from imports.models import ExternalId, ImportRun, StagedArItem, StagedPart
from imports.sample import SAMPLE_FLAWS
from imports.services import counts_expected, import_apply_start
from outbox.models import OutboundMessage
from reports.models import InvoiceSummary
from shop.errors import ServiceError
from tests.imports.helpers import applied, checked_run
from tests.imports.snapshot import table_rows
from workorders import events as workorder_events
from workorders.models import Job, Line, Stage, WorkOrder

pytestmark = pytest.mark.django_db


def test_the_dry_run_counts_are_what_apply_writes(
    shop, owner, sample_paths, django_capture_on_commit_callbacks
):
    run = checked_run(owner, sample_paths)
    expected = counts_expected(run)
    run = applied(owner, run, django_capture_on_commit_callbacks)
    assert run.state == ImportRun.State.DONE, run.error
    for kind in ["customers", "vehicles", "invoices", "invoice_lines", "ar_items", "parts"]:
        for what, number in expected[kind].items():
            assert run.counts.get(kind, {}).get(what, 0) == number, (kind, what)
    assert Customer.objects.count() == expected["customers"]["create"]
    assert Vehicle.objects.count() == expected["vehicles"]["create"]
    assert WorkOrder.objects.filter(stage=Stage.INVOICE).count() == expected["invoices"]["create"]
    assert Line.objects.count() == expected["invoice_lines"]["create"]
    assert InvoiceSummary.objects.count() == expected["invoices"]["create"]
    assert StagedArItem.objects.count() == expected["ar_items"]["create"]
    assert StagedPart.objects.count() == expected["parts"]["create"]
    assert run.percent == 100
    # The import is in the customer utilities' log, where undo lives.
    assert run.log_entry.utility == UtilityLogEntry.Utility.IMPORT


def test_invoices_keep_their_printed_totals_dates_and_odometer(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    order = WorkOrder.objects.get(
        pk=ExternalId.objects.get(
            kind="invoice", external_id=SAMPLE_FLAWS.printed_total_differs
        ).object_id
    )
    # Printed total $113.63 although the lines make $125.98 + $3.63: kept, and flagged.
    assert order.grand_total == Decimal("113.63")
    assert order.tax_total == Decimal("3.63")
    assert sum(line.amount for line in order.lines.all()) == Decimal("125.98")
    assert order.closed_at.date().isoformat() == "2019-06-14"
    assert order.created_at == order.closed_at
    assert order.status.number == 17 and order.stage == Stage.INVOICE
    assert run.problems.filter(message__contains="kept as printed").exists()
    job = order.jobs.get()
    assert job.approval == Job.Approval.APPROVED and job.approvals.count() == 1
    assert order.report_summary.invoice_total == Decimal("113.63")
    assert order.report_summary.sales == Decimal("125.98")
    # Odometer readings and the annual mileage follow the history.
    first = WorkOrder.objects.filter(odometer_out__isnull=False).order_by("closed_at").first()
    vehicle = first.vehicle
    readings = list(vehicle.odometer_readings.order_by("read_at"))
    assert len(readings) == vehicle.work_orders.exclude(odometer_out=None).count()
    assert vehicle.odometer == max(r.reading for r in readings)
    estimate = annual_mileage_estimate([(r.read_at, r.reading) for r in readings])
    assert vehicle.annual_mileage == (estimate or 13000)


def _mileage_from_readings(vehicle) -> tuple[int, int | None]:
    readings = [(r.read_at, r.reading) for r in vehicle.odometer_readings.all()]
    return max(r for _at, r in readings), annual_mileage_estimate(readings)


@pytest.mark.parametrize("vehicles_first", [False, True], ids=["new vehicles", "known vehicles"])
def test_each_vehicles_odometer_and_mileage_are_what_its_readings_give(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks, vehicles_first
):
    """New vehicles are written with them (worked out while the invoices are read); vehicles
    an earlier run imported get them in the mileage phase: the same figures either way."""
    if vehicles_first:
        first = checked_run(owner, small_sample_paths, kinds={"customers", "vehicles"})
        applied(owner, first, django_capture_on_commit_callbacks)
        assert not OdometerReading.objects.exists()
    run = applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    assert run.state == ImportRun.State.DONE, run.error
    vehicles = Vehicle.objects.filter(odometer_readings__isnull=False).distinct()
    checked = 0
    for vehicle in vehicles.prefetch_related("odometer_readings"):
        highest, estimate = _mileage_from_readings(vehicle)
        assert vehicle.odometer >= highest, vehicle.pk
        assert vehicle.annual_mileage == (estimate or 13000), vehicle.pk
        checked += estimate is not None
    assert checked > 50  # most vehicles have two visits or more far enough apart


def test_seven_digit_phones_take_the_shops_area_code(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    customer = Customer.objects.get(
        pk=ExternalId.objects.get(
            kind="customer", external_id=SAMPLE_FLAWS.seven_digit_customer
        ).object_id
    )
    phone = customer.phones.get(kind="cell")
    assert len("".join(c for c in phone.number if c.isdigit())) == 7
    assert phone.e164.startswith("+1217") and len(phone.e164) == 12
    # Windows-1252 names (Müller, Peña, O’Brien) arrive as they were typed.
    text = small_sample_paths["customers"].read_bytes().decode("cp1252")
    accented = {line.split(",")[2] for line in text.splitlines()[1:]} - {""}
    accented = {name for name in accented if not name.isascii() and not name.isupper()}
    assert accented
    assert accented <= set(Customer.objects.values_list("last_name", flat=True))


def test_a_merged_duplicate_joins_the_customer_it_repeats(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    run = checked_run(owner, small_sample_paths)
    pair = next(p for p in run.dry_run["duplicates"] if p["incoming"]["key"] == "C1500")
    assert pair["sure"] and pair["target"]["type"] == "file"
    run = applied(owner, run, django_capture_on_commit_callbacks)
    repeated = ExternalId.objects.get(kind="customer", external_id="C1500")
    assert repeated.merged
    original = ExternalId.objects.get(kind="customer", external_id=pair["target"]["key"])
    assert repeated.object_id == original.object_id
    assert run.counts["customers"]["merge"] == sum(
        1 for p in run.dry_run["duplicates"] if p["sure"]
    )


def test_no_texts_follow_ups_or_per_invoice_events_only_one_import_completed(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    received = []
    closed = []

    def on_completed(sender, *, run, counts, by, **kwargs):
        received.append((run.pk, counts["invoices"]["create"], by))

    def on_closed(sender, **kwargs):
        closed.append(kwargs)

    events.import_completed.connect(on_completed)
    workorder_events.work_order_closed.connect(on_closed)
    try:
        run = applied(
            owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks
        )
    finally:
        events.import_completed.disconnect(on_completed)
        workorder_events.work_order_closed.disconnect(on_closed)
    assert received == [(run.pk, run.counts["invoices"]["create"], owner)]
    assert closed == []
    assert not OutboundMessage.objects.exists()


def test_a_second_apply_of_the_same_files_creates_nothing_and_changes_nothing(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    before = table_rows()
    again = checked_run(owner, small_sample_paths, name="Again")
    counts = again.dry_run["counts"]
    assert all(counts[kind].get("create", 0) == 0 for kind in counts)
    assert all(counts[kind].get("update", 0) == 0 for kind in counts)
    assert again.dry_run["duplicates"] == []
    again = applied(owner, again, django_capture_on_commit_callbacks)
    assert again.state == ImportRun.State.DONE, again.error
    assert table_rows() == before
    assert all(values.get("create", 0) == 0 for values in again.counts.values())


def test_a_changed_customer_is_updated_by_a_second_run(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks, tmp_path
):
    applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    changed = tmp_path / "customers.csv"
    text = small_sample_paths["customers"].read_bytes().decode("cp1252")
    lines = text.splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[4] = "1 New Address Rd"
    lines[1] = ",".join(fields)
    changed.write_bytes("".join(lines).encode("cp1252"))
    again = checked_run(owner, {"customers": changed})
    assert again.dry_run["counts"]["customers"]["update"] == 1
    applied(owner, again, django_capture_on_commit_callbacks)
    customer = Customer.objects.get(
        pk=ExternalId.objects.get(kind="customer", external_id=fields[0]).object_id
    )
    assert customer.address_line1 == "1 New Address Rd"


def test_bad_rows_refuse_apply_until_skipped_by_choice(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    run = checked_run(owner, small_sample_paths)
    assert run.dry_run["row_errors"]
    with pytest.raises(ServiceError, match="Skip the rows with errors"):
        import_apply_start(by=owner, run_id=run.pk)
    assert not Customer.objects.exists()
    run = applied(owner, run, django_capture_on_commit_callbacks)
    assert run.state == ImportRun.State.DONE


def test_an_unmapped_required_column_refuses_apply(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    from imports.services import import_mapping_set

    run = checked_run(owner, small_sample_paths, kinds={"customers"})
    with django_capture_on_commit_callbacks(execute=True):  # the dry run job
        import_mapping_set(by=owner, run_id=run.pk, mappings={"customers": {"Cust No": ""}})
    with pytest.raises(ServiceError, match="required column is not mapped"):
        import_apply_start(by=owner, run_id=run.pk)
    assert not Customer.objects.exists()


def test_a_second_import_is_refused_while_one_is_applied(shop, owner, small_sample_paths):
    first = checked_run(owner, small_sample_paths, kinds={"customers"}, name="First")
    second = checked_run(owner, small_sample_paths, kinds={"customers"}, name="Second")
    for run in (first, second):
        from imports.services import import_decisions_set

        import_decisions_set(by=owner, run_id=run.pk, duplicates={}, skip_bad_rows=True)
    # Queued, its task not yet run (on_commit callbacks are not executed here).
    import_apply_start(by=owner, run_id=first.pk)
    with pytest.raises(ServiceError, match=r"Another import .*First.* one import at a time"):
        import_apply_start(by=owner, run_id=second.pk)
    second.refresh_from_db()
    assert second.state == ImportRun.State.CHECKED and second.applying is None


def test_customers_found_at_the_counter_by_a_seven_digit_phone(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    from customers.selectors import customers_with_phone

    applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    phone = (
        CustomerPhone.objects.filter(number__regex=r"^\d{3}[- ]?\d{4}$").select_related("customer")
    ).first()
    assert phone is not None
    _e164, found = customers_with_phone(phone.number)
    assert phone.customer in found


def test_odometer_readings_are_one_per_imported_invoice(
    shop, owner, small_sample_paths, django_capture_on_commit_callbacks
):
    applied(owner, checked_run(owner, small_sample_paths), django_capture_on_commit_callbacks)
    assert OdometerReading.objects.count() == WorkOrder.objects.exclude(odometer_out=None).count()


def test_a_queued_import_no_worker_picks_up_is_stopped_and_frees_the_lock(
    shop, owner, small_sample_paths
):
    from django.utils import timezone

    from imports.services import import_decisions_set, import_runs_reap
    from imports.services.apply import heartbeat_timeout

    first = checked_run(owner, small_sample_paths, kinds={"customers"}, name="First")
    second = checked_run(owner, small_sample_paths, kinds={"customers"}, name="Second")
    for run in (first, second):
        import_decisions_set(by=owner, run_id=run.pk, duplicates={}, skip_bad_rows=True)
    import_apply_start(by=owner, run_id=first.pk)  # its task is never run here
    assert import_runs_reap() == []
    later = timezone.now() + heartbeat_timeout() + timedelta(seconds=1)
    assert import_runs_reap(now=later) == [first.pk]
    first.refresh_from_db()
    assert first.state == ImportRun.State.STOPPED and "did not start" in first.error
    assert import_apply_start(by=owner, run_id=second.pk).state == ImportRun.State.QUEUED
