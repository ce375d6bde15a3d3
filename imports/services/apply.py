"""Apply an import: a background job that writes the plan in batches, restartable.

- One import at a time: starting sets `ImportRun.applying`, which is unique, so a second
  start is refused by the database however the two requests interleave.
- The job claims its row (queued -> running) with one conditional UPDATE, so a task
  delivered twice runs once.
- Every batch of rows is written in one transaction together with the watermark (the phase
  and the row reached) and the counts, so a worker that dies leaves whole batches only; the
  reaper marks a run whose heartbeat stopped as stopped part-way, and the owner resumes it
  (it carries on after the watermark) or undoes what it wrote.
- Historical invoices are written straight to the tables in bulk, not through the work
  orders' services: no status texts, follow-ups or webhooks for visits years old, and no
  recomputed totals (the old system's printed totals are kept). The report figures and the
  vehicles' mileage are written here instead, and one `import_completed` event is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from customers.models import (
    Customer,
    CustomerEmail,
    CustomerPhone,
    OdometerReading,
    UtilityLogEntry,
    Vehicle,
)
from customers.services.mileage import annual_mileage_estimate
from imports import events
from imports.fields import FileKind
from imports.models import (
    ExternalId,
    ImportedObject,
    ImportRun,
    StagedArItem,
    StagedPart,
)
from imports.rows import ReadRow
from imports.services.dry_run import (
    ar_item_identity,
    merge_targets,
    staged_ar_items,
    staged_parts,
)
from imports.services.plan import Plan, plan_build
from imports.services.records import (
    CUSTOMER_FIELDS,
    VEHICLE_FIELDS,
    customer_fields,
    fields_changed,
    value_dump,
    vehicle_fields,
)
from reports.summaries import summaries_write
from shop.errors import ServiceError
from shop.models import User
from workorders.models import (
    ApprovalMethod,
    Job,
    JobApproval,
    Line,
    Stage,
    Status,
    StatusChange,
    WorkOrder,
)
from workorders.services.statuses import settings_get

logger = logging.getLogger(__name__)
State = ImportRun.State
Phase = ImportRun.Phase
BATCH = 500
PHASES = [
    Phase.CUSTOMERS, Phase.VEHICLES, Phase.INVOICES, Phase.INVOICE_LINES, Phase.SUMMARIES,
    Phase.MILEAGE, Phase.AR_ITEMS, Phase.PARTS,
]  # fmt: skip
APPROVED_BY = "The old system (imported)"
STOPPED_MESSAGE = (
    "The import stopped part-way: its background worker stopped. Everything written so far "
    "is whole; resume it to carry on from where it stopped, or undo what it wrote."
)


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=getattr(settings, "IMPORTS_HEARTBEAT_TIMEOUT", 300))


class Stopped(Exception):
    """The run is no longer running (the reaper stopped it): this worker stops too."""


def _label(model) -> str:
    return model._meta.label_lower


@transaction.atomic
def import_apply_start(*, by: User, run_id: int) -> ImportRun:
    """Queue the apply job of a checked import (or resume a stopped one)."""
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise ServiceError("That import does not exist.", code="not_found")
    if run.state not in {State.CHECKED, State.STOPPED}:
        if run.state == State.UPLOADED:
            raise ServiceError("Run the dry run first: apply writes what it shows.")
        raise ServiceError(
            f"This import is {run.get_state_display().lower()}: it cannot be applied again.",
            code="conflict",
        )
    summary = run.dry_run
    if summary.get("file_errors"):
        raise ServiceError(
            "The dry run found problems with whole files (a required column is not mapped): "
            "fix the mapping and run the dry run again. Nothing was written."
        )
    if summary.get("row_errors") and not run.decisions.get("skip_bad_rows"):
        raise ServiceError(
            f"The dry run found {summary['row_errors']} problem(s) in rows. Fix the file and "
            "upload it again, or tick “Skip the rows with errors” to import the rest. Nothing "
            "was written."
        )
    if not Status.objects.filter(number=settings_get().invoice_from).exists():
        raise ServiceError(
            f"There is no status {settings_get().invoice_from} (the invoice stage) to file the "
            "old invoices under: add it under Statuses."
        )
    fields = {
        "state": State.QUEUED,
        "applying": True,
        "error": "",
        "applied_by": by,
        # Queued now: a run no worker picks up is stopped by the reaper like a dead one.
        "heartbeat_at": timezone.now(),
    }
    if run.state == State.CHECKED:
        fields.update(phase=PHASES[0], position=0, done=0, counts={})
    try:
        with transaction.atomic():
            ImportRun.objects.filter(pk=run.pk).update(**fields)
    except IntegrityError:
        other = ImportRun.objects.filter(applying=True).exclude(pk=run.pk).first()
        raise ServiceError(
            f"Another import (“{other}”) is being applied: one import at a time. Wait for it to "
            "finish, then start this one.",
            code="conflict",
        ) from None
    transaction.on_commit(partial(_dispatch, run.pk), robust=True)
    run.refresh_from_db()
    return run


def _dispatch(run_id: int) -> None:
    from imports.tasks import run_import

    queue = getattr(settings, "IMPORTS_TASK_QUEUE", None)
    try:
        run_import.apply_async((run_id,), **({"queue": queue} if queue else {}))
    except Exception:
        logger.exception("Could not queue import %s", run_id)
        ImportRun.objects.filter(pk=run_id, state=State.QUEUED).update(
            state=State.STOPPED,
            applying=None,
            error="The background worker could not be reached. Start the import again.",
        )


NOT_STARTED_MESSAGE = (
    "The import did not start: no background worker picked it up. Nothing was written; start "
    "it again once the worker runs."
)


def import_runs_reap(*, now=None) -> list[int]:
    """Stop the runs whose worker stopped beating (resumable), and the queued runs no worker
    picked up, so that they do not hold the one-import-at-a-time lock for ever."""
    now = now or timezone.now()
    stale = now - heartbeat_timeout()
    reaped = []
    for state, message in [(State.RUNNING, STOPPED_MESSAGE), (State.QUEUED, NOT_STARTED_MESSAGE)]:
        for run_id in list(
            ImportRun.objects.filter(state=state, heartbeat_at__lt=stale).values_list(
                "pk", flat=True
            )
        ):
            # Conditional: a run that moved on meanwhile is left alone.
            if ImportRun.objects.filter(pk=run_id, state=state, heartbeat_at__lt=stale).update(
                state=State.STOPPED, applying=None, error=message
            ):
                logger.warning("Import %s stopped: %s", run_id, message)
                reaped.append(run_id)
    return reaped


def import_apply_run(run_id: int) -> None:
    """Run a queued import to the end, from its watermark. Safe to call twice."""
    now = timezone.now()
    claimed = ImportRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, heartbeat_at=now, started_at=now
    )
    if not claimed:
        return
    run = ImportRun.objects.get(pk=run_id)
    try:
        _Apply(run).apply()
    except Stopped:
        logger.info("Import %s was stopped; it can be resumed.", run_id)
    except Exception as error:
        logger.exception("Import %s failed", run_id)
        message = error.message if isinstance(error, ServiceError) else str(error)
        ImportRun.objects.filter(pk=run_id, state=State.RUNNING).update(
            state=State.STOPPED,
            applying=None,
            error=f"The import stopped part-way: {message[:500]}. Resume it, or undo it.",
        )
        if not isinstance(error, ServiceError):
            raise


class _Apply:
    def __init__(self, run: ImportRun):
        self.run = run
        self.plan: Plan = plan_build(run)
        if self.plan.file_errors:
            raise ServiceError(self.plan.file_errors[0].message)
        self.counts: dict[str, dict[str, int]] = {k: dict(v) for k, v in run.counts.items()}
        self.customer_ids = dict(self.plan.known[ExternalId.Kind.CUSTOMER])
        self.vehicle_ids = dict(self.plan.known[ExternalId.Kind.VEHICLE])
        self.invoices_known = set(self.plan.known[ExternalId.Kind.INVOICE])
        self.merges = merge_targets(run)
        self.line_positions: dict[int, int] = {}
        self.now = timezone.now()

    # --- progress -------------------------------------------------------------------------

    def _count(self, kind: str, what: str, n: int = 1) -> None:
        if n:
            bucket = self.counts.setdefault(kind, {})
            bucket[what] = bucket.get(what, 0) + n

    def _advance(self, phase: str, position: int, rows: int) -> None:
        """Save the watermark, the counts and the heartbeat with the batch; stop if stopped."""
        updated = ImportRun.objects.filter(pk=self.run.pk, state=State.RUNNING).update(
            phase=phase,
            position=position,
            done=F("done") + rows,
            counts=self.counts,
            heartbeat_at=timezone.now(),
        )
        if not updated:
            raise Stopped

    def apply(self) -> None:
        run = self.run
        total = self.plan.rows_total + len(self.plan.keys[FileKind.INVOICES] - self.invoices_known)
        ImportRun.objects.filter(pk=run.pk, state=State.RUNNING).update(total=total)
        start = PHASES.index(run.phase) if run.phase in PHASES else 0
        for index, phase in enumerate(PHASES[start:], start=start):
            position = run.position if index == start else 0
            getattr(self, f"_phase_{phase}")(phase, position)
        self._finish()

    def _batches(self, kind: str, skip: int) -> Iterator[tuple[int, list[ReadRow]]]:
        """(position after the batch, rows of the batch), the first `skip` rows left out."""
        if kind not in self.plan.files:
            return
        batch: list[ReadRow] = []
        position = 0
        for row in self.plan.rows(kind):
            position += 1
            if position <= skip:
                continue
            batch.append(row)
            if len(batch) == BATCH:
                yield position, batch
                batch = []
        if batch:
            yield position, batch

    def _usable(self, kind: str, rows: list[ReadRow]) -> list[ReadRow]:
        bad = self.plan.bad[kind]
        keys = self.plan.keys[kind]
        usable = []
        for row in rows:
            if row.line in bad:
                self._count(kind, "skip")
                continue
            key = row.values.get("key")
            if key is not None and key not in keys:
                self._count(kind, "skip")
                continue
            usable.append(row)
        return usable

    def _journal(self, model, ids, before: dict[int, dict] | None = None) -> None:
        label = _label(model)
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    run=self.run,
                    model=label,
                    object_id=pk,
                    before=(before or {}).get(pk),
                )
                for pk in ids
            ],
            batch_size=2000,
            ignore_conflicts=before is not None,  # the first "before" is the one to restore
        )

    def _external_ids(
        self, kind: str, pairs: list[tuple[str, int]], merged: set[str] = frozenset()
    ) -> None:
        ExternalId.objects.bulk_create(
            [
                ExternalId(
                    kind=kind, external_id=key, object_id=pk, run=self.run, merged=key in merged
                )
                for key, pk in pairs
            ]
        )

    def _update_rows(self, model, changes: dict[int, dict], fields: list[str]) -> None:
        """Write changed fields, journalling each row's fields as they were first."""
        if not changes:
            return
        before = {
            row.pop("pk"): {k: value_dump(v) for k, v in row.items()}
            for row in model.objects.filter(pk__in=list(changes)).values(
                "pk", *fields, "updated_at"
            )
        }
        self._journal(model, list(changes), before)
        for pk, values in changes.items():
            model.objects.filter(pk=pk).update(**values, updated_at=self.now)

    # --- customers ------------------------------------------------------------------------

    def _phase_customers(self, phase: str, skip: int) -> None:
        kind = FileKind.CUSTOMERS
        for position, rows in self._batches(kind, skip):
            with transaction.atomic():
                self._customers(self._usable(kind, rows))
                self._advance(phase, position, len(rows))

    def _customers(self, rows: list[ReadRow]) -> None:
        kind = FileKind.CUSTOMERS
        existing = [r for r in rows if r.values["key"] in self.customer_ids]
        current = {
            row.pop("pk"): row
            for row in Customer.objects.filter(
                pk__in=[self.customer_ids[r.values["key"]] for r in existing]
            ).values("pk", *CUSTOMER_FIELDS)
        }
        changes: dict[int, dict] = {}
        contacts: list[tuple[int, dict]] = []
        for row in existing:
            pk = self.customer_ids[row.values["key"]]
            changed = (
                {}
                if row.values["key"] in self.plan.merged
                else fields_changed(customer_fields(row.values), current.get(pk, {}))
            )
            if changed:
                changes[pk] = changed
            self._count(kind, "update" if changed else "unchanged")
            contacts.append((pk, row.values))
        self._update_rows(Customer, changes, CUSTOMER_FIELDS)

        new = [r for r in rows if r.values["key"] not in self.customer_ids]
        created = [r for r in new if r.values["key"] not in self.merges]
        customers = Customer.objects.bulk_create(
            [Customer(**customer_fields(r.values)) for r in created]
        )
        pairs = []
        for row, customer in zip(created, customers, strict=True):
            self.customer_ids[row.values["key"]] = customer.pk
            pairs.append((row.values["key"], customer.pk))
            contacts.append((customer.pk, row.values))
        self._journal(Customer, [c.pk for c in customers])
        self._count(kind, "create", len(customers))
        merged = set()
        for row in new:
            key = row.values["key"]
            if key not in self.merges:
                continue
            target = self._merge_target(key)
            if target is None:
                # The customer chosen to merge into is gone since the dry run: a new one.
                customer = Customer.objects.create(**customer_fields(row.values))
                self._journal(Customer, [customer.pk])
                self._count(kind, "create")
                target = customer.pk
            else:
                merged.add(key)
                self._count(kind, "merge")
            self.customer_ids[key] = target
            pairs.append((key, target))
            contacts.append((target, row.values))
        self._external_ids(ExternalId.Kind.CUSTOMER, pairs, merged=merged)
        self._contacts(contacts)

    def _merge_target(self, key: str) -> int | None:
        target = self.merges[key]
        seen = {key}
        while target.startswith("k"):
            other = target[1:]
            if other in self.customer_ids:
                return self.customer_ids[other]
            if other in seen or other not in self.merges:
                return None
            seen.add(other)
            target = self.merges[other]
        customer_id = int(target[1:])
        return customer_id if Customer.objects.filter(pk=customer_id).exists() else None

    def _contacts(self, contacts: list[tuple[int, dict]]) -> None:
        """Phones and e-mails the customers do not have yet."""
        ids = {pk for pk, _values in contacts}
        phones = set(
            CustomerPhone.objects.filter(customer_id__in=ids).values_list("customer_id", "e164")
        )
        emails = {
            (pk, address.lower())
            for pk, address in CustomerEmail.objects.filter(customer_id__in=ids).values_list(
                "customer_id", "address"
            )
        }
        new_phones, new_emails = [], []
        for pk, values in contacts:
            for phone_kind, phone in values["phones"]:
                if (pk, phone.e164) not in phones:
                    phones.add((pk, phone.e164))
                    new_phones.append(
                        CustomerPhone(
                            customer_id=pk,
                            kind=phone_kind,
                            number=phone.number[:40],
                            e164=phone.e164,
                        )
                    )
            email = values["email"]
            if email and (pk, email.lower()) not in emails:
                emails.add((pk, email.lower()))
                new_emails.append(CustomerEmail(customer_id=pk, address=email[:254]))
        self._journal(CustomerPhone, [p.pk for p in CustomerPhone.objects.bulk_create(new_phones)])
        self._journal(CustomerEmail, [e.pk for e in CustomerEmail.objects.bulk_create(new_emails)])
        self._count("phones", "create", len(new_phones))
        self._count("emails", "create", len(new_emails))

    # --- vehicles -------------------------------------------------------------------------

    def _phase_vehicles(self, phase: str, skip: int) -> None:
        kind = FileKind.VEHICLES
        for position, rows in self._batches(kind, skip):
            with transaction.atomic():
                self._vehicles(self._usable(kind, rows))
                self._advance(phase, position, len(rows))

    def _vehicles(self, rows: list[ReadRow]) -> None:
        kind = FileKind.VEHICLES
        existing = [r for r in rows if r.values["key"] in self.vehicle_ids]
        current = {
            row.pop("pk"): row
            for row in Vehicle.objects.filter(
                pk__in=[self.vehicle_ids[r.values["key"]] for r in existing]
            ).values("pk", *VEHICLE_FIELDS, "customer_id")
        }
        changes = {}
        for row in existing:
            pk = self.vehicle_ids[row.values["key"]]
            wanted = {
                **vehicle_fields(row.values),
                "customer_id": self.customer_ids[row.values["customer_key"]],
            }
            changed = fields_changed(wanted, current.get(pk, {}))
            if changed:
                changes[pk] = changed
            self._count(kind, "update" if changed else "unchanged")
        self._update_rows(Vehicle, changes, [*VEHICLE_FIELDS, "customer_id"])
        created = [r for r in rows if r.values["key"] not in self.vehicle_ids]
        vehicles = Vehicle.objects.bulk_create(
            [
                Vehicle(
                    customer_id=self.customer_ids[r.values["customer_key"]],
                    odometer=r.values["odometer"],
                    **vehicle_fields(r.values),
                )
                for r in created
            ]
        )
        for row, vehicle in zip(created, vehicles, strict=True):
            self.vehicle_ids[row.values["key"]] = vehicle.pk
        self._journal(Vehicle, [v.pk for v in vehicles])
        self._external_ids(
            ExternalId.Kind.VEHICLE,
            [(r.values["key"], v.pk) for r, v in zip(created, vehicles, strict=True)],
        )
        self._count(kind, "create", len(vehicles))

    # --- invoices -------------------------------------------------------------------------

    def _phase_invoices(self, phase: str, skip: int) -> None:
        kind = FileKind.INVOICES
        status = Status.objects.get(number=settings_get().invoice_from)
        for position, rows in self._batches(kind, skip):
            with transaction.atomic():
                self._invoices(self._usable(kind, rows), status)
                self._advance(phase, position, len(rows))

    def _total(self, values: dict, code: str, lines_kind: str) -> Decimal:
        if values[code] is not None:
            return values[code]
        lines = self.plan.invoice_lines[values["key"]]
        return lines.by_kind.get(lines_kind, Decimal("0.00"))

    def _invoices(self, rows: list[ReadRow], status: Status) -> None:
        kind = FileKind.INVOICES
        created = []
        for row in rows:
            if row.values["key"] in self.invoices_known:
                self._count(kind, "unchanged")
            else:
                created.append(row)
        orders = []
        for row in created:
            values = row.values
            lines = self.plan.invoice_lines[values["key"]]
            tax = values["tax_total"]
            rate = (tax * 100 / lines.taxable).quantize(Decimal("0.001")) if lines.taxable else None
            orders.append(
                WorkOrder(
                    customer_id=self.customer_ids[values["customer_key"]],
                    vehicle_id=self.vehicle_ids[values["vehicle_key"]],
                    status=status,
                    stage=Stage.INVOICE,
                    status_entered_at=values["date"],
                    concern=values["concern"],
                    odometer_in=values["odometer"],
                    odometer_out=values["odometer"],
                    labor_total=self._total(values, "labor_total", "labor"),
                    parts_total=self._total(values, "parts_total", "part"),
                    fees_total=self._total(values, "fees_total", "fee"),
                    sublet_total=self._total(values, "sublet_total", "sublet"),
                    discount_total=values["discount_total"],
                    taxable_total=lines.taxable,
                    tax_rate=rate if rate is not None and rate < 1000 else Decimal("0.000"),
                    tax_total=tax,
                    grand_total=values["grand_total"],
                    created_at=values["date"],
                    closed_at=values["date"],
                )
            )
        orders = WorkOrder.objects.bulk_create(orders)
        jobs = Job.objects.bulk_create(
            [
                Job(
                    work_order=order,
                    title="Work performed",
                    category="General",
                    approval=Job.Approval.APPROVED,
                    approval_by=APPROVED_BY,
                    approval_at=order.closed_at,
                    approval_method=ApprovalMethod.INTEGRATION,
                    done_at=order.closed_at,
                )
                for order in orders
            ]
        )
        note = f"Imported from “{self.run.name}”"[:300]
        JobApproval.objects.bulk_create(
            [
                JobApproval(
                    work_order=order,
                    job=job,
                    decision=JobApproval.Decision.APPROVED,
                    method=ApprovalMethod.INTEGRATION,
                    approved_by_name=APPROVED_BY,
                    at=order.closed_at,
                    recorded_at=self.now,
                    note=note,
                )
                for order, job in zip(orders, jobs, strict=True)
            ]
        )
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    work_order=order,
                    kind=StatusChange.Kind.CREATED,
                    to_status=status,
                    changed_at=order.closed_at,
                    note=f"Invoice {row.values['key']} imported from the old system"[:300],
                )
                for order, row in zip(orders, created, strict=True)
            ]
        )
        readings = OdometerReading.objects.bulk_create(
            [
                OdometerReading(
                    vehicle_id=order.vehicle_id,
                    reading=order.odometer_out,
                    read_at=order.closed_at,
                    source=f"imported invoice {row.values['key']}"[:60],
                )
                for order, row in zip(orders, created, strict=True)
                if order.odometer_out
            ],
            ignore_conflicts=False,
        )
        self._journal(WorkOrder, [o.pk for o in orders])
        self._journal(OdometerReading, [r.pk for r in readings])
        self._external_ids(
            ExternalId.Kind.INVOICE,
            [(r.values["key"], o.pk) for r, o in zip(created, orders, strict=True)],
        )
        self._count(kind, "create", len(orders))

    def _phase_invoice_lines(self, phase: str, skip: int) -> None:
        kind = FileKind.INVOICE_LINES
        for position, rows in self._batches(kind, skip):
            with transaction.atomic():
                self._lines(self._usable(kind, rows))
                self._advance(phase, position, len(rows))

    def _lines(self, rows: list[ReadRow]) -> None:
        kind = FileKind.INVOICE_LINES
        keys = {row.values["invoice_key"] for row in rows}
        orders = dict(
            ExternalId.objects.filter(
                kind=ExternalId.Kind.INVOICE, run=self.run, external_id__in=keys
            ).values_list("external_id", "object_id")
        )
        jobs = dict(
            Job.objects.filter(work_order_id__in=orders.values()).values_list("work_order_id", "pk")
        )
        unseen = set(orders.values()) - self.line_positions.keys()
        if unseen:
            self.line_positions.update(
                Line.objects.filter(work_order_id__in=unseen)
                .values("work_order_id")
                .annotate(n=Count("pk"))
                .values_list("work_order_id", "n")
            )
        lines = []
        for row in rows:
            values = row.values
            order_id = orders.get(values["invoice_key"])
            if order_id is None:
                self._count(kind, "unchanged")  # its invoice was imported by an earlier run
                continue
            position = self.line_positions.get(order_id, 0)
            self.line_positions[order_id] = position + 1
            lines.append(
                Line(
                    work_order_id=order_id,
                    job_id=jobs[order_id],
                    position=min(position, 32767),
                    kind=values["kind"],
                    category="General",
                    part_number=values["part_number"],
                    description=values["description"],
                    quantity=values["quantity"],
                    unit_cost=max(values["unit_cost"], Decimal("0.00")),
                    unit_price=values["unit_price"],
                    discount=Decimal("0.00"),
                    taxable=values["taxable"],
                    amount=values["amount"],
                )
            )
        Line.objects.bulk_create(lines)
        self._count(kind, "create", len(lines))

    def _phase_summaries(self, phase: str, skip: int) -> None:
        ids = list(
            ImportedObject.objects.filter(run=self.run, model=_label(WorkOrder))
            .order_by("object_id")
            .values_list("object_id", flat=True)
        )
        for start in range(skip, len(ids), BATCH * 2):
            chunk = ids[start : start + BATCH * 2]
            with transaction.atomic():
                summaries_write(work_order_ids=chunk, only_missing=True)
                self._advance(phase, start + len(chunk), len(chunk))

    def _phase_mileage(self, phase: str, skip: int) -> None:
        """Each vehicle with imported readings: its odometer and its annual mileage."""
        reading_ids = ImportedObject.objects.filter(
            run=self.run, model=_label(OdometerReading)
        ).values("object_id")
        vehicle_ids = list(
            OdometerReading.objects.filter(pk__in=reading_ids)
            .order_by("vehicle_id")
            .values_list("vehicle_id", flat=True)
            .distinct()
        )
        created = set(
            ImportedObject.objects.filter(run=self.run, model=_label(Vehicle)).values_list(
                "object_id", flat=True
            )
        )
        for start in range(skip, len(vehicle_ids), BATCH):
            chunk = vehicle_ids[start : start + BATCH]
            with transaction.atomic():
                self._mileage(chunk, created)
                self._advance(phase, start + len(chunk), 0)

    def _mileage(self, vehicle_ids: list[int], created: set[int]) -> None:
        readings: dict[int, list] = {pk: [] for pk in vehicle_ids}
        for vehicle_id, read_at, reading in OdometerReading.objects.filter(
            vehicle_id__in=vehicle_ids
        ).values_list("vehicle_id", "read_at", "reading"):
            readings[vehicle_id].append((read_at, reading))
        current = {
            row.pop("pk"): row
            for row in Vehicle.objects.filter(pk__in=vehicle_ids).values(
                "pk", "odometer", "annual_mileage"
            )
        }
        changes = {}
        for pk in vehicle_ids:
            wanted = {}
            highest = max(reading for _at, reading in readings[pk])
            if highest > (current[pk]["odometer"] or 0):
                wanted["odometer"] = highest
            estimate = annual_mileage_estimate(readings[pk])
            if estimate is not None and estimate != current[pk]["annual_mileage"]:
                wanted["annual_mileage"] = estimate
            if wanted:
                changes[pk] = wanted
        fresh = {pk: v for pk, v in changes.items() if pk in created}
        for pk, values in fresh.items():
            Vehicle.objects.filter(pk=pk).update(**values)
        self._update_rows(
            Vehicle,
            {pk: v for pk, v in changes.items() if pk not in created},
            ["odometer", "annual_mileage"],
        )

    # --- A/R items and parts: staged for the apps that will own them ----------------------

    def _phase_ar_items(self, phase: str, skip: int) -> None:
        kind = FileKind.AR_ITEMS
        already = staged_ar_items()
        for position, rows in self._batches(kind, skip):
            with transaction.atomic():
                items = []
                usable = self._usable(kind, rows)
                invoices = dict(
                    ExternalId.objects.filter(
                        kind=ExternalId.Kind.INVOICE,
                        external_id__in={r.values["invoice_key"] for r in usable},
                    ).values_list("external_id", "object_id")
                )
                for row in usable:
                    values = row.values
                    identity = ar_item_identity(values)
                    if identity in already:
                        self._count(kind, "unchanged")
                        continue
                    already.add(identity)
                    items.append(
                        StagedArItem(
                            run=self.run,
                            customer_id=self.customer_ids[values["customer_key"]],
                            customer_key=values["customer_key"],
                            invoice_key=values["invoice_key"],
                            work_order_id=invoices.get(values["invoice_key"]),
                            dated=values["date"],
                            due_on=values["due_date"],
                            amount=values["amount"],
                            balance=values["balance"],
                            line=row.line,
                        )
                    )
                StagedArItem.objects.bulk_create(items)
                self._count(kind, "create", len(items))
                self._advance(phase, position, len(rows))

    def _phase_parts(self, phase: str, skip: int) -> None:
        kind = FileKind.PARTS
        already = staged_parts()
        for position, rows in self._batches(kind, skip):
            with transaction.atomic():
                parts = []
                for row in self._usable(kind, rows):
                    values = row.values
                    if values["key"] in already:
                        self._count(kind, "unchanged")
                        continue
                    already.add(values["key"])
                    parts.append(
                        StagedPart(
                            run=self.run,
                            part_number=values["key"][:40],
                            description=values["description"],
                            vendor=values["vendor"],
                            vendor_part_number=values["vendor_part_number"],
                            cost=values["cost"],
                            price=values["price"],
                            quantity_on_hand=values["quantity_on_hand"],
                            bin=values["bin"],
                            line=row.line,
                        )
                    )
                StagedPart.objects.bulk_create(parts)
                self._count(kind, "create", len(parts))
                self._advance(phase, position, len(rows))

    # --- the end --------------------------------------------------------------------------

    @transaction.atomic
    def _finish(self) -> None:
        run = ImportRun.objects.select_for_update().get(pk=self.run.pk)
        if run.state != State.RUNNING:
            raise Stopped
        made = {kind: values.get("create", 0) for kind, values in self.counts.items()}
        summary = (
            f"Imported “{run.name}”: {made.get('customers', 0):,} customers, "
            f"{made.get('vehicles', 0):,} vehicles, {made.get('invoices', 0):,} invoices"
        )
        entry = UtilityLogEntry.objects.create(
            utility=UtilityLogEntry.Utility.IMPORT,
            summary=summary[:300],
            changes=[],
            performed_by=run.applied_by,
        )
        run.state = State.DONE
        run.applying = None
        run.phase = Phase.FINISHED
        run.position = 0
        run.done = run.total
        run.counts = self.counts
        run.finished_at = timezone.now()
        run.heartbeat_at = run.finished_at
        run.log_entry = entry
        run.save()
        events.import_completed.send(
            sender=ImportRun, run=run, counts=self.counts, by=run.applied_by
        )
