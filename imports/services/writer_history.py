"""The invoice history (work orders, jobs, lines, status history, odometer readings), the
report figures and mileage worked out from it, and the staged A/R items and parts, for the
apply job's writer. Written in bulk, straight to the tables: see imports.services.apply."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count

from customers.models import (
    OdometerReading,
    Vehicle,
)
from customers.services import annual_mileage_estimate
from imports.fields import FileKind
from imports.models import (
    ExternalId,
    ImportedObject,
    StagedArItem,
    StagedPart,
)
from imports.rows import ReadRow
from imports.services.copying import rows_copy, rows_insert_select, rows_update, tuples_copy
from imports.services.dry_run import (
    ar_item_identity,
    staged_ar_items,
    staged_parts,
)
from reports.summaries import summaries_write
from shop.imported_records import import_target
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
from workorders.selectors import workorder_settings_get

APPROVED_BY = "The old system (imported)"


# The columns of an imported invoice's work order and of its lines, in the tuples' order.
ORDER_COLUMNS = [
    "customer_id", "vehicle_id", "status_id", "stage", "status_entered_at", "concern",
    "odometer_in", "odometer_out", "labor_total", "parts_total", "fees_total", "sublet_total",
    "discount_total", "taxable_total", "tax_rate", "tax_total", "grand_total", "created_at",
    "closed_at",
]  # fmt: skip
# No discount: the old system's lines have none (the invoice's discount is on its header).
LINE_COLUMNS = [
    "work_order_id", "job_id", "position", "kind", "part_number", "description", "quantity",
    "unit_cost", "unit_price", "taxable", "amount", "category",
]  # fmt: skip


def _jobs_of(order_ids: list[int], jobs: list[tuple[int, int]]) -> list[int]:
    """The job of each work order, in the work orders' order (RETURNING keeps none)."""
    by_order = dict(jobs)
    return [by_order[pk] for pk in order_ids]


def import_source(run) -> str:
    """What the apps that own handed-over rows tag them with (their undo finds them by it)."""
    return f"imports.run:{run.pk}"


def _label(model) -> str:
    return model._meta.label_lower


class HistoryWriter:
    """Mixed into ImportWriter, whose helpers (`_count`, `_advance`, `_batches`, ...) it uses."""

    # --- invoices -------------------------------------------------------------------------

    def _phase_invoices(self, phase: str, skip: int) -> None:
        kind = FileKind.INVOICES
        status = Status.objects.get(number=workorder_settings_get().invoice_from)
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
        if not created:
            return
        orders = []
        for row in created:
            values = row.values
            lines = self.plan.invoice_lines[values["key"]]
            tax = values["tax_total"]
            rate = (tax * 100 / lines.taxable).quantize(Decimal("0.001")) if lines.taxable else None
            orders.append(
                (
                    self.customer_ids[values["customer_key"]],
                    self.vehicle_ids[values["vehicle_key"]],
                    status.pk,
                    Stage.INVOICE,
                    values["date"],
                    values["concern"],
                    values["odometer"],
                    values["odometer"],
                    self._total(values, "labor_total", "labor"),
                    self._total(values, "parts_total", "part"),
                    self._total(values, "fees_total", "fee"),
                    self._total(values, "sublet_total", "sublet"),
                    values["discount_total"],
                    lines.taxable,
                    rate if rate is not None and rate < 1000 else Decimal("0.000"),
                    tax,
                    values["grand_total"],
                    values["date"],
                    values["date"],
                )
            )
        order_ids = tuples_copy(WorkOrder, ORDER_COLUMNS, orders, now=self.now, ids=True)
        keys = [row.values["key"] for row in created]
        self._external_ids(ExternalId.Kind.INVOICE, list(zip(keys, order_ids, strict=True)))
        # The rows each invoice brings (its job, the job's approval, the status history's
        # first entry, the visit's odometer reading) are made from the work orders just
        # written, in one statement each.
        orders_table = connection.ops.quote_name(WorkOrder._meta.db_table)
        invoices = (
            f"unnest(%s::bigint[], %s::text[]) AS invoice(id, key) "
            f"JOIN {orders_table} w ON w.id = invoice.id"
        )
        params = [order_ids, keys]
        jobs = rows_insert_select(
            Job,
            expressions={"work_order_id": "w.id", "approval_at": "w.closed_at",
                         "done_at": "w.closed_at"},
            values={"title": "Work performed", "category": "General",
                    "approval": Job.Approval.APPROVED, "approval_by": APPROVED_BY,
                    "approval_method": ApprovalMethod.INTEGRATION},
            source=invoices, params=params, now=self.now, returning="work_order_id, id",
        )  # fmt: skip
        jobs_table = connection.ops.quote_name(Job._meta.db_table)
        rows_insert_select(
            JobApproval,
            expressions={"work_order_id": "w.id", "job_id": "j.id", "at": "w.closed_at"},
            values={"decision": JobApproval.Decision.APPROVED,
                    "method": ApprovalMethod.INTEGRATION, "approved_by_name": APPROVED_BY,
                    "recorded_at": self.now,
                    "note": f"Imported from “{self.run.name}”"[:300]},
            source=f"{invoices} JOIN {jobs_table} j ON j.work_order_id = w.id",
            params=params, now=self.now,
        )  # fmt: skip
        rows_insert_select(
            StatusChange,
            expressions={"work_order_id": "w.id", "changed_at": "w.closed_at",
                         "note": "left('Invoice ' || invoice.key || "
                                 "' imported from the old system', 300)"},
            values={"kind": StatusChange.Kind.CREATED, "to_status_id": status.pk},
            source=invoices, params=params, now=self.now,
        )  # fmt: skip
        readings = rows_insert_select(
            OdometerReading,
            expressions={"vehicle_id": "w.vehicle_id", "reading": "w.odometer_out",
                         "read_at": "w.closed_at",
                         "source": "left('imported invoice ' || invoice.key, 60)"},
            values={},
            source=f"{invoices} WHERE w.odometer_out IS NOT NULL AND w.odometer_out <> 0",
            params=params, now=self.now, returning="id",
        )  # fmt: skip
        pairs = zip(order_ids, _jobs_of(order_ids, jobs), strict=True)
        self.invoice_jobs.update(zip(keys, pairs, strict=True))
        self._journal(WorkOrder, order_ids)
        self._journal(OdometerReading, [pk for (pk,) in readings])
        self._count(kind, "create", len(order_ids))

    def _phase_invoice_lines(self, phase: str, skip: int) -> None:
        kind = FileKind.INVOICE_LINES
        # Lines are small and many: five times the batch of the other files per transaction.
        for position, rows in self._batches(kind, skip, self.batch * 5):
            with transaction.atomic():
                self._lines(self._usable(kind, rows))
                self._advance(phase, position, len(rows))

    def _invoice_jobs(self, keys: set[str]) -> dict[str, tuple[int, int]]:
        """{invoice key: (work order id, job id)} of this run's invoices among `keys`: kept
        from the invoices phase, read back for a resumed run's earlier batches."""
        missing = keys - self.invoice_jobs.keys() - self.invoices_absent
        if missing:
            orders = dict(
                ExternalId.objects.filter(
                    kind=ExternalId.Kind.INVOICE, run=self.run, external_id__in=missing
                ).values_list("external_id", "object_id")
            )
            jobs = dict(
                Job.objects.filter(work_order_id__in=orders.values()).values_list(
                    "work_order_id", "pk"
                )
            )
            for key, order_id in orders.items():
                self.invoice_jobs[key] = (order_id, jobs[order_id])
            self.invoices_absent.update(missing - orders.keys())
        return self.invoice_jobs

    def _lines(self, rows: list[ReadRow]) -> None:
        kind = FileKind.INVOICE_LINES
        keys = {row.values["invoice_key"] for row in rows}
        known = self._invoice_jobs(keys)
        positions = self.line_positions
        unseen = {known[k][0] for k in keys if k in known} - positions.keys()
        if unseen:
            # A resumed run: the lines its earlier batches wrote for these invoices.
            positions.update(
                Line.objects.filter(work_order_id__in=unseen)
                .values("work_order_id")
                .annotate(n=Count("pk"))
                .values_list("work_order_id", "n")
            )
            positions.update({pk: 0 for pk in unseen - positions.keys()})
        lines = []
        unchanged = 0
        for row in rows:
            values = row.values
            pair = known.get(values["invoice_key"])
            if pair is None:
                unchanged += 1  # its invoice was imported by an earlier run
                continue
            order_id, job_id = pair
            position = positions[order_id]
            positions[order_id] = position + 1
            # The spooled columns (imports.services.plan.line_spooled), then the category.
            lines.append((order_id, job_id, min(position, 32767), *values["columns"], "General"))
        self._count(kind, "unchanged", unchanged)
        tuples_copy(Line, LINE_COLUMNS, lines, now=self.now)
        self._count(kind, "create", len(lines))

    def _phase_summaries(self, phase: str, skip: int) -> None:
        ids = list(
            ImportedObject.objects.filter(run=self.run, model=_label(WorkOrder))
            .order_by("object_id")
            .values_list("object_id", flat=True)
        )
        for start in range(skip, len(ids), self.batch * 5):
            chunk = ids[start : start + self.batch * 5]
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
        if self.plan.readings_complete:
            # This run's new vehicles were written with their odometer and mileage.
            vehicle_ids = [pk for pk in vehicle_ids if pk not in created]
        for start in range(skip, len(vehicle_ids), self.batch):
            chunk = vehicle_ids[start : start + self.batch]
            with transaction.atomic():
                self._mileage(chunk, created)
                self._advance(phase, start + len(chunk), 0)

    def _mileage(self, vehicle_ids: list[int], created: set[int]) -> None:
        # Each vehicle's readings in date order (then mileage, as the estimate sorts them):
        # how many, the highest, the first and the last are all the estimate needs.
        seen: dict[int, list] = {}
        for pk, read_at, reading in (
            OdometerReading.objects.filter(vehicle_id__in=vehicle_ids)
            .order_by("vehicle_id", "read_at", "reading")
            .values_list("vehicle_id", "read_at", "reading")
            .iterator(chunk_size=5000)
        ):
            point = (read_at, reading)
            ends = seen.get(pk)
            if ends is None:
                seen[pk] = [1, reading, point, point]
            else:
                ends[0] += 1
                ends[1] = max(ends[1], reading)
                ends[3] = point
        current = {
            row.pop("pk"): row
            for row in Vehicle.objects.filter(pk__in=vehicle_ids).values(
                "pk", "odometer", "annual_mileage"
            )
        }
        changes = {}
        for pk, (count, highest, first, last) in seen.items():
            wanted = {}
            if highest > (current[pk]["odometer"] or 0):
                wanted["odometer"] = highest
            estimate = annual_mileage_estimate([first, last] if count > 1 else [first])
            if estimate is not None and estimate != current[pk]["annual_mileage"]:
                wanted["annual_mileage"] = int(estimate)
            if wanted:
                changes[pk] = wanted
        # The vehicles this run created are set without a journal (undo deletes them).
        fresh = {pk: values for pk, values in changes.items() if pk in created}
        if fresh:
            rows_update(Vehicle, fresh)
        self._update_rows(
            Vehicle,
            {pk: v for pk, v in changes.items() if pk not in created},
            ["odometer", "annual_mileage"],
        )

    # --- A/R items and parts: staged, and handed to the apps that own them ---------------

    def _handover(self, kind: str, rows: list[dict]) -> None:
        """The staged rows to the app registered for them (payments' ledger, parts' catalog)
        in this batch's transaction; what it created goes into the undo journal."""
        target = import_target(kind)
        if target is None or not rows:
            return
        ids = target.write(rows=rows, source=import_source(self.run), by=self.run.applied_by)
        if ids:
            rows_copy(
                ImportedObject,
                [{"run_id": self.run.pk, "model": target.model, "object_id": pk} for pk in ids],
                now=self.now,
            )
        self._count(target.model, "create", len(ids))

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
                self._handover(
                    kind,
                    [
                        {
                            "customer_id": item.customer_id,
                            "customer_key": item.customer_key,
                            "invoice_key": item.invoice_key,
                            "work_order_id": item.work_order_id,
                            "dated": item.dated,
                            "due_on": item.due_on,
                            "amount": item.amount,
                            "balance": item.balance,
                        }
                        for item in items
                    ],
                )
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
                self._handover(
                    kind,
                    [
                        {
                            "part_number": part.part_number,
                            "description": part.description,
                            "vendor": part.vendor,
                            "vendor_part_number": part.vendor_part_number,
                            "cost": part.cost,
                            "price": part.price,
                            "quantity_on_hand": part.quantity_on_hand,
                            "bin": part.bin,
                        }
                        for part in parts
                    ],
                )
                self._count(kind, "create", len(parts))
                self._advance(phase, position, len(rows))
