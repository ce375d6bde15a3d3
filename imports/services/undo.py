"""Undo an import for 30 days, while nothing has been built on top of it.

Everything the import created is deleted (its invoices with their jobs, lines, status
history and report figures; odometer readings; vehicles; phones and e-mails; customers;
the staged A/R items and parts; the old system's keys) and every row it changed gets its
fields back, so each table is as it was before. A customer the import created who has
since had a new work order or appointment is named in the refusal; undoing the rest,
leaving those customers (and what the import brought for them) in place, is an explicit
choice. The import's entry in the customer utilities' log is marked undone with it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from customers.models import (
    Customer,
    CustomerEmail,
    CustomerPhone,
    OdometerReading,
    UtilityLogEntry,
    Vehicle,
)
from customers.services import UNDO_DAYS
from imports.models import ExternalId, ImportedObject, ImportRun, StagedArItem, StagedPart
from imports.services.setwise import delete_setwise
from imports.services.writer_history import import_source
from shop.errors import ServiceError
from shop.imported_records import import_targets
from shop.models import User
from workorders.models import Appointment, WorkOrder

BATCH = 500
NAMED = 5


def _label(model) -> str:
    return model._meta.label_lower


def _journal(
    run: ImportRun, models: list | None = None
) -> tuple[dict[str, set[int]], dict[str, dict[int, dict]]]:
    """({model: ids created}, {model: {id: fields before}}), of `models` or of all."""
    created: dict[str, set[int]] = defaultdict(set)
    changed: dict[str, dict[int, dict]] = defaultdict(dict)
    rows = ImportedObject.objects.filter(run=run)
    if models is not None:
        rows = rows.filter(model__in=[_label(model) for model in models])
    rows = rows.values_list("model", "object_id", "before")
    for model, pk, before in rows.iterator(chunk_size=10_000):
        if before is None:
            created[model].add(pk)
        else:
            changed[model][pk] = before
    return created, changed


def _chunks(ids) -> list[list[int]]:
    ids = sorted(ids)
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def import_built_upon(run: ImportRun) -> list[str]:
    """The imported customers who have since had a work order or an appointment, in words."""
    created, _changed = _journal(run, [Customer, Vehicle, WorkOrder])
    return _built_upon(created)[1]


def _built_upon(created: dict[str, set[int]]) -> tuple[set[int], list[str]]:
    customers = created[_label(Customer)]
    vehicles = created[_label(Vehicle)]
    imported_orders = created[_label(WorkOrder)]
    kept: set[int] = set()
    named: dict[int, str] = {}
    for chunk in _chunks(customers | vehicles) or []:
        near = Q(customer_id__in=[pk for pk in chunk if pk in customers]) | Q(
            vehicle_id__in=[pk for pk in chunk if pk in vehicles]
        )
        # The import's own invoices are skipped here, not in SQL: a NOT IN of every imported
        # invoice in each chunk's query made a big import's undo quadratic.
        for order_id, order_customer_id, order_vehicle_id in (
            WorkOrder.objects.filter(near)
            .order_by("pk")
            .values_list("pk", "customer_id", "vehicle_id")
        ):
            if order_id in imported_orders:
                continue
            customer_id = order_customer_id if order_customer_id in customers else None
            if customer_id is None:
                customer_id = (
                    Vehicle.objects.filter(pk=order_vehicle_id)
                    .values_list("customer_id", flat=True)
                    .first()
                )
            if customer_id in customers:
                kept.add(customer_id)
                named.setdefault(
                    customer_id,
                    f"{Customer.objects.get(pk=customer_id).display_name} (work order #{order_id})",
                )
        for appointment in Appointment.objects.filter(near).order_by("pk"):
            customer_id = appointment.customer_id
            if customer_id in customers:
                kept.add(customer_id)
                named.setdefault(
                    customer_id,
                    f"{Customer.objects.get(pk=customer_id).display_name} "
                    f"(appointment #{appointment.pk})",
                )
    return kept, [named[pk] for pk in sorted(named)]


def _restore(model_label: str, rows: dict[int, dict]) -> None:
    model = apps.get_model(model_label)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    for pk, before in rows.items():
        values = {name: fields[name].to_python(value) for name, value in before.items()}
        model._base_manager.filter(pk=pk).update(**values)


def _delete(model, ids) -> None:
    delete_setwise(model, ids)


def _undo(run: ImportRun, *, by: User | None, keep_built_upon: bool) -> int:
    """Undo the run in the caller's transaction; returns the customers kept."""
    if run.state not in {ImportRun.State.DONE, ImportRun.State.STOPPED}:
        if run.state == ImportRun.State.UNDONE:
            raise ServiceError("This import was already undone.", code="conflict")
        raise ServiceError(
            "Only an import that was applied (or stopped part-way) can be undone.",
            code="conflict",
        )
    since = run.finished_at or run.started_at or run.created_at
    if since < timezone.now() - timedelta(days=UNDO_DAYS):
        raise ServiceError(
            f"An import can be undone for {UNDO_DAYS} days; this one is older.", code="expired"
        )
    created, changed = _journal(run)
    kept_customers, named = _built_upon(created)
    if kept_customers and not keep_built_upon:
        listed = "; ".join(named[:NAMED]) + (
            f"; and {len(named) - NAMED} more" if len(named) > NAMED else ""
        )
        raise ServiceError(
            f"{len(named)} imported customer(s) have had work since the import: {listed}. "
            "Nothing was undone. Undo the rest (leaving them and what was imported for them) "
            "from the import's page.",
            code="built_upon",
        )
    customers = created[_label(Customer)] - kept_customers
    kept_vehicles = set(
        Vehicle.objects.filter(customer_id__in=kept_customers).values_list("pk", flat=True)
    )
    vehicles = created[_label(Vehicle)] - kept_vehicles
    kept_orders = set()
    if kept_customers:
        kept_orders = set(
            WorkOrder.objects.filter(
                Q(customer_id__in=kept_customers) | Q(vehicle_id__in=kept_vehicles)
            ).values_list("pk", flat=True)
        )
    orders = created[_label(WorkOrder)] - kept_orders
    readings = created[_label(OdometerReading)] - set(
        OdometerReading.objects.filter(vehicle_id__in=kept_vehicles).values_list("pk", flat=True)
    )
    phones = created[_label(CustomerPhone)] - set(
        CustomerPhone.objects.filter(customer_id__in=kept_customers).values_list("pk", flat=True)
    )
    emails = created[_label(CustomerEmail)] - set(
        CustomerEmail.objects.filter(customer_id__in=kept_customers).values_list("pk", flat=True)
    )
    # What payments and parts made of the A/R items and parts: removed by those apps (or the
    # whole undo refused, naming what was built on it since), before the customers go.
    for target in import_targets():
        ids = created.pop(target.model, set())
        if ids:
            target.undo(
                ids=sorted(ids), source=import_source(run), by=by, keep_customer_ids=kept_customers
            )
    StagedArItem.objects.filter(run=run).exclude(customer_id__in=kept_customers).delete()
    StagedPart.objects.filter(run=run).delete()
    # Work orders first: their jobs, lines, approvals, status history and report figures go
    # with them; then what pointed at the vehicles and customers, then those.
    _delete(WorkOrder, orders)
    _delete(OdometerReading, readings)
    _restore(_label(Vehicle), changed.pop(_label(Vehicle), {}))
    _delete(Vehicle, vehicles)
    _delete(CustomerPhone, phones)
    _delete(CustomerEmail, emails)
    _restore(_label(Customer), changed.pop(_label(Customer), {}))
    for label, rows in changed.items():
        _restore(label, rows)
    _delete(Customer, customers)
    kept_objects = (
        Q(kind=ExternalId.Kind.CUSTOMER, object_id__in=kept_customers)
        | Q(kind=ExternalId.Kind.VEHICLE, object_id__in=kept_vehicles)
        | Q(kind=ExternalId.Kind.INVOICE, object_id__in=kept_orders)
    )
    ExternalId.objects.filter(run=run).exclude(kept_objects).delete()
    ImportedObject.objects.filter(run=run).delete()
    now = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(
        state=ImportRun.State.UNDONE, applying=None, undone_at=now, undone_by=by
    )
    return len(kept_customers)


@transaction.atomic
def import_undo(*, by: User, run_id: int, keep_built_upon: bool = False) -> ImportRun:
    """Undo an import from its page; its entry in the utilities log is marked undone too."""
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise ServiceError("That import does not exist.", code="not_found")
    _undo(run, by=by, keep_built_upon=keep_built_upon)
    if run.log_entry_id:
        UtilityLogEntry.objects.filter(pk=run.log_entry_id, undone_at__isnull=True).update(
            undone_at=timezone.now(), undone_by=by
        )
    run.refresh_from_db()
    return run


def import_undo_from_log(*, by: User, entry: UtilityLogEntry) -> None:
    """The customer utilities' log undoes an import entry (inside its own transaction; it
    marks the entry undone). Built-upon customers refuse it: that choice is made on the
    import's page."""
    run = ImportRun.objects.select_for_update().filter(log_entry=entry).first()
    if run is None:
        raise ServiceError("The import of this log entry is gone.", code="not_found")
    _undo(run, by=by, keep_built_upon=False)
