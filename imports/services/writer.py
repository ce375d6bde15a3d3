"""The apply job's writer: the plan of an import written phase by phase, in batches.

Each batch is one transaction that also moves the run's watermark (phase, row), its counts
and its heartbeat, so a worker that dies leaves whole batches only and a resumed run carries
on after the last one. Customers and vehicles are written by `writer_people`, the invoice
history, report figures, mileage and the staged A/R items and parts by `writer_history`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from customers.models import (
    UtilityLogEntry,
)
from imports import events
from imports.fields import FileKind
from imports.models import (
    ExternalId,
    ImportedObject,
    ImportRun,
)
from imports.rows import ReadRow
from imports.services.copying import rows_update, tuples_copy
from imports.services.dry_run import (
    merge_targets,
)
from imports.services.plan import Plan, RowSpool, plan_build
from imports.services.records import (
    value_dump,
)
from imports.services.writer_history import HistoryWriter
from imports.services.writer_people import PeopleWriter
from shop.errors import ServiceError

logger = logging.getLogger(__name__)
State = ImportRun.State
Phase = ImportRun.Phase
BATCH = 2000
PHASES = [
    Phase.CUSTOMERS, Phase.VEHICLES, Phase.INVOICES, Phase.INVOICE_LINES, Phase.SUMMARIES,
    Phase.MILEAGE, Phase.AR_ITEMS, Phase.PARTS,
]  # fmt: skip


class Stopped(Exception):
    """The run is no longer running (the reaper stopped it): this worker stops too."""


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _label(model) -> str:
    return model._meta.label_lower


class ImportWriter(PeopleWriter, HistoryWriter):
    """Writes one run's plan; `apply()` from its watermark to the end."""

    def __init__(self, run: ImportRun):
        self.run = run
        # The files are read and checked once, here; the phases write from the spool.
        self.spool = RowSpool()
        self.plan: Plan = plan_build(run, spool=self.spool)
        if self.plan.file_errors:
            self.spool.close()
            raise ServiceError(self.plan.file_errors[0].message)
        self.counts: dict[str, dict[str, int]] = {k: dict(v) for k, v in run.counts.items()}
        self.customer_ids = dict(self.plan.known[ExternalId.Kind.CUSTOMER])
        self.vehicle_ids = dict(self.plan.known[ExternalId.Kind.VEHICLE])
        self.invoices_known = set(self.plan.known[ExternalId.Kind.INVOICE])
        self.merges = merge_targets(run)
        self.line_positions: dict[int, int] = {}
        # {invoice key: (work order id, job id)} of the invoices this run wrote.
        self.invoice_jobs: dict[str, tuple[int, int]] = {}
        self.invoices_absent: set[str] = set()
        self.now = timezone.now()
        self.batch = BATCH

    # --- progress -------------------------------------------------------------------------

    def _count(self, kind: str, what: str, n: int = 1) -> None:
        if n:
            bucket = self.counts.setdefault(kind, {})
            bucket[what] = bucket.get(what, 0) + n

    def _advance(self, phase: str, position: int, rows: int) -> None:
        """Save the watermark, the counts and the heartbeat with the batch; stop if stopped.

        The batch's commit does not wait for the disk: a database that crashes loses the last
        batches together with their watermark, so the resumed run writes them again. The
        last step's commit waits, and with it everything before."""
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
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
        try:
            for index, phase in enumerate(PHASES[start:], start=start):
                position = run.position if index == start else 0
                getattr(self, f"_phase_{phase}")(phase, position)
            self._finish()
        finally:
            self.spool.close()

    def _batches(
        self, kind: str, skip: int, size: int | None = None
    ) -> Iterator[tuple[int, list[ReadRow]]]:
        """(position after the batch, rows of the batch), the first `skip` rows left out."""
        if kind not in self.plan.files:
            return
        size = size or self.batch
        batch: list[ReadRow] = []
        position = 0
        for row in self.spool.rows(kind):
            position += 1
            if position <= skip:
                continue
            batch.append(row)
            if len(batch) == size:
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
        if before is None:
            # Rows this run created: journalled once each, written with COPY.
            run_id = self.run.pk
            tuples_copy(
                ImportedObject,
                ["run_id", "model", "object_id"],
                [(run_id, label, pk) for pk in ids],
                now=self.now,
            )
            return
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(run=self.run, model=label, object_id=pk, before=before.get(pk))
                for pk in ids
            ],
            batch_size=2000,
            ignore_conflicts=True,  # the first "before" is the one to restore
        )

    def _external_ids(
        self, kind: str, pairs: list[tuple[str, int]], merged: set[str] = frozenset()
    ) -> None:
        run_id = self.run.pk
        tuples_copy(
            ExternalId,
            ["kind", "external_id", "object_id", "run_id", "merged"],
            [(kind, key, pk, run_id, key in merged) for key, pk in pairs],
            now=self.now,
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
        stamp = {"updated_at": self.now} if _has_field(model, "updated_at") else {}
        rows_update(model, {pk: {**values, **stamp} for pk, values in changes.items()})

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
