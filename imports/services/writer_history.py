"""The invoice history (work orders, jobs, lines, status history, odometer readings), the
report figures and mileage worked out from it, and the staged A/R items and parts, for the
apply job's writer. Written in bulk, straight to the tables: see imports.services.apply."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
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
from imports.services.copying import rows_copy, rows_update
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
        orders = []
        for row in created:
            values = row.values
            lines = self.plan.invoice_lines[values["key"]]
            tax = values["tax_total"]
            rate = (tax * 100 / lines.taxable).quantize(Decimal("0.001")) if lines.taxable else None
            orders.append(
                {
                    "customer_id": self.customer_ids[values["customer_key"]],
                    "vehicle_id": self.vehicle_ids[values["vehicle_key"]],
                    "status_id": status.pk,
                    "stage": Stage.INVOICE,
                    "status_entered_at": values["date"],
                    "concern": values["concern"],
                    "odometer_in": values["odometer"],
                    "odometer_out": values["odometer"],
                    "labor_total": self._total(values, "labor_total", "labor"),
                    "parts_total": self._total(values, "parts_total", "part"),
                    "fees_total": self._total(values, "fees_total", "fee"),
                    "sublet_total": self._total(values, "sublet_total", "sublet"),
                    "discount_total": values["discount_total"],
                    "taxable_total": lines.taxable,
                    "tax_rate": rate if rate is not None and rate < 1000 else Decimal("0.000"),
                    "tax_total": tax,
                    "grand_total": values["grand_total"],
                    "created_at": values["date"],
                    "closed_at": values["date"],
                }
            )
        order_ids = rows_copy(WorkOrder, orders, now=self.now)
        job_ids = rows_copy(
            Job,
            [
                {
                    "work_order_id": pk,
                    "title": "Work performed",
                    "category": "General",
                    "approval": Job.Approval.APPROVED,
                    "approval_by": APPROVED_BY,
                    "approval_at": order["closed_at"],
                    "approval_method": ApprovalMethod.INTEGRATION,
                    "done_at": order["closed_at"],
                }
                for pk, order in zip(order_ids, orders, strict=True)
            ],
            now=self.now,
        )
        note = f"Imported from “{self.run.name}”"[:300]
        rows_copy(
            JobApproval,
            [
                {
                    "work_order_id": pk,
                    "job_id": job_id,
                    "decision": JobApproval.Decision.APPROVED,
                    "method": ApprovalMethod.INTEGRATION,
                    "approved_by_name": APPROVED_BY,
                    "at": order["closed_at"],
                    "recorded_at": self.now,
                    "note": note,
                }
                for pk, job_id, order in zip(order_ids, job_ids, orders, strict=True)
            ],
            now=self.now,
        )
        rows_copy(
            StatusChange,
            [
                {
                    "work_order_id": pk,
                    "kind": StatusChange.Kind.CREATED,
                    "to_status_id": status.pk,
                    "changed_at": order["closed_at"],
                    "note": f"Invoice {row.values['key']} imported from the old system"[:300],
                }
                for pk, order, row in zip(order_ids, orders, created, strict=True)
            ],
            now=self.now,
        )
        readings = rows_copy(
            OdometerReading,
            [
                {
                    "vehicle_id": order["vehicle_id"],
                    "reading": order["odometer_out"],
                    "read_at": order["closed_at"],
                    "source": f"imported invoice {row.values['key']}"[:60],
                }
                for order, row in zip(orders, created, strict=True)
                if order["odometer_out"]
            ],
            now=self.now,
        )
        for row, pk, job_id in zip(created, order_ids, job_ids, strict=True):
            self.invoice_jobs[row.values["key"]] = (pk, job_id)
        self._journal(WorkOrder, order_ids)
        self._journal(OdometerReading, readings)
        self._external_ids(
            ExternalId.Kind.INVOICE,
            [(r.values["key"], pk) for r, pk in zip(created, order_ids, strict=True)],
        )
        self._count(kind, "create", len(order_ids))

    def _phase_invoice_lines(self, phase: str, skip: int) -> None:
        kind = FileKind.INVOICE_LINES
        for position, rows in self._batches(kind, skip):
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
        unseen = {known[k][0] for k in keys if k in known} - self.line_positions.keys()
        if unseen:
            # A resumed run: the lines its earlier batches wrote for these invoices.
            self.line_positions.update(
                Line.objects.filter(work_order_id__in=unseen)
                .values("work_order_id")
                .annotate(n=Count("pk"))
                .values_list("work_order_id", "n")
            )
            self.line_positions.update({pk: 0 for pk in unseen - self.line_positions.keys()})
        lines = []
        for row in rows:
            values = row.values
            pair = known.get(values["invoice_key"])
            if pair is None:
                self._count(kind, "unchanged")  # its invoice was imported by an earlier run
                continue
            order_id, job_id = pair
            position = self.line_positions[order_id]
            self.line_positions[order_id] = position + 1
            lines.append(
                {
                    "work_order_id": order_id,
                    "job_id": job_id,
                    "position": min(position, 32767),
                    "kind": values["kind"],
                    "category": "General",
                    "part_number": values["part_number"],
                    "description": values["description"],
                    "quantity": values["quantity"],
                    "unit_cost": max(values["unit_cost"], Decimal("0.00")),
                    "unit_price": values["unit_price"],
                    "discount": Decimal("0.00"),
                    "taxable": values["taxable"],
                    "amount": values["amount"],
                }
            )
        rows_copy(Line, lines, now=self.now)
        self._count(kind, "create", len(lines))

    def _phase_summaries(self, phase: str, skip: int) -> None:
        ids = list(
            ImportedObject.objects.filter(run=self.run, model=_label(WorkOrder))
            .order_by("object_id")
            .values_list("object_id", flat=True)
        )
        for start in range(skip, len(ids), self.batch * 2):
            chunk = ids[start : start + self.batch * 2]
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
        for start in range(skip, len(vehicle_ids), self.batch):
            chunk = vehicle_ids[start : start + self.batch]
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
