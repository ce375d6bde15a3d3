"""The dry run: what an import would do, before anything is written.

Counts of what would be created, updated, merged and left unchanged per kind; every bad row
with its line, column and why; the customers in the file who look like one another or like
customers already in the shop (found by the Combine Customers duplicate finder, each with a
choice: merge, or keep separate); and the invoice history's totals by year, to compare with
the old system's own reports.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from customers.duplicates import (
    PairEvidence,
    Record,
    duplicate_candidates,
    duplicate_records,
    record_add_phone,
    record_make,
)
from customers.models import Customer, Vehicle
from imports.fields import FileKind
from imports.models import ExternalId, ImportProblem, ImportRun, StagedArItem, StagedPart
from imports.rows import ReadRow
from imports.services.plan import Plan, plan_build
from imports.services.records import (
    CUSTOMER_FIELDS,
    VEHICLE_FIELDS,
    customer_fields,
    fields_changed,
    vehicle_fields,
)
from shop.errors import ServiceError
from shop.models import User

MERGE, SEPARATE = "merge", "separate"
CHOICES = {MERGE, SEPARATE}


def _existing_rows(model, ids: list[int], fields: list[str]) -> dict[int, dict]:
    rows: dict[int, dict] = {}
    for start in range(0, len(ids), 5000):
        for row in model.objects.filter(pk__in=ids[start : start + 5000]).values("pk", *fields):
            rows[row.pop("pk")] = row
    return rows


def _customer_counts(plan: Plan) -> dict[str, int]:
    kind = FileKind.CUSTOMERS
    counts = {"create": 0, "update": 0, "unchanged": 0, "merge": 0, "skip": len(plan.bad[kind])}
    if kind not in plan.files:
        return counts
    known = plan.known[ExternalId.Kind.CUSTOMER]
    if not known.keys() & plan.keys[kind]:
        # None imported before (a first import): every usable key is new, no second read.
        counts["create"] = len(plan.keys[kind])
        return counts
    current = _existing_rows(
        Customer, [known[k] for k in plan.keys[kind] if k in known], CUSTOMER_FIELDS
    )
    for row in plan.rows(kind):
        key = row.values.get("key")
        if row.line in plan.bad[kind] or key not in plan.keys[kind]:
            continue
        if key not in known:
            counts["create"] += 1
        elif key in plan.merged:
            counts["unchanged"] += 1
        elif fields_changed(customer_fields(row.values), current.get(known[key], {})):
            counts["update"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _vehicle_counts(plan: Plan) -> dict[str, int]:
    kind = FileKind.VEHICLES
    counts = {"create": 0, "update": 0, "unchanged": 0, "skip": len(plan.bad[kind])}
    if kind not in plan.files:
        return counts
    known = plan.known[ExternalId.Kind.VEHICLE]
    customers = plan.known[ExternalId.Kind.CUSTOMER]
    if not known.keys() & plan.keys[kind]:
        counts["create"] = len(plan.keys[kind])
        return counts
    current = _existing_rows(
        Vehicle, [known[k] for k in plan.keys[kind] if k in known], [*VEHICLE_FIELDS, "customer_id"]
    )
    for row in plan.rows(kind):
        key = row.values.get("key")
        if row.line in plan.bad[kind] or key not in plan.keys[kind]:
            continue
        if key not in known:
            counts["create"] += 1
            continue
        wanted = {
            **vehicle_fields(row.values),
            "customer_id": customers.get(row.values["customer_key"]),
        }
        if fields_changed(wanted, current.get(known[key], {})):
            counts["update"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _history_counts(plan: Plan) -> dict[str, dict[str, int]]:
    invoices = plan.keys[FileKind.INVOICES]
    known = plan.known[ExternalId.Kind.INVOICE]
    new = invoices - known.keys()
    lines = sum(plan.invoice_lines[key].count for key in new)
    counts = {
        "invoices": {
            "create": len(new),
            "unchanged": len(invoices) - len(new),
            "skip": len(plan.bad[FileKind.INVOICES]),
        },
        "invoice_lines": {
            "create": lines,
            "unchanged": sum(plan.invoice_lines[key].count for key in invoices & known.keys()),
            "skip": len(plan.bad[FileKind.INVOICE_LINES]),
        },
    }
    counts["ar_items"] = _staged_counts(plan, FileKind.AR_ITEMS)
    counts["parts"] = _staged_counts(plan, FileKind.PARTS)
    return counts


def ar_item_identity(values: dict) -> tuple[str, str, str]:
    return (values["customer_key"], values["invoice_key"], f"{values['balance']:.2f}")


def staged_ar_items() -> set[tuple[str, str, str]]:
    """A/R items staged by imports not undone: a second run of the same file adds none."""
    rows = StagedArItem.objects.filter(run__undone_at__isnull=True).values_list(
        "customer_key", "invoice_key", "balance"
    )
    return {(customer, invoice, f"{balance:.2f}") for customer, invoice, balance in rows}


def staged_parts() -> set[str]:
    return set(
        StagedPart.objects.filter(run__undone_at__isnull=True).values_list("part_number", flat=True)
    )


def _staged_counts(plan: Plan, kind: str) -> dict[str, int]:
    counts = {"create": 0, "unchanged": 0, "skip": len(plan.bad[kind])}
    if kind not in plan.files:
        return counts
    if kind == FileKind.PARTS:
        already = staged_parts()
        for key in plan.keys[kind]:
            counts["unchanged" if key in already else "create"] += 1
        return counts
    already_ar = staged_ar_items()
    for row in plan.rows(kind):
        if row.line in plan.bad[kind]:
            continue
        counts["unchanged" if ar_item_identity(row.values) in already_ar else "create"] += 1
    return counts


def _name(values: dict) -> str:
    person = " ".join(p for p in [values["first_name"], values["last_name"]] if p)
    return person or values["company_name"]


class _IncomingCustomers:
    """The file's usable customers as the duplicate finder reads them, kept as the plan reads
    the file (`read`, its `customer_read`), so the file is read once; then `duplicates`.

    Each is a finder record with the negative of its line as its id, and the little the
    page shows of it."""

    def __init__(self) -> None:
        self.records: dict[int, Record] = {}
        # pk -> (key, line, name, address, phones as exported, e-mail)
        self.shown: dict[int, tuple[str, int, str, str, list[str], str]] = {}

    def read(self, row: ReadRow) -> None:
        values = row.values
        pk = -row.line
        record = record_make(
            pk,
            company=customer_fields(values)["kind"] == Customer.Kind.COMPANY,
            first_name=values["first_name"],
            last_name=values["last_name"],
            company_name=values["company_name"],
            street=values["address_line1"],
            postcode=values["postcode"],
        )
        for phone_kind, phone in values["phones"]:
            record_add_phone(record, phone.e164, phone_kind)
        if values["email"]:
            record.emails.add(values["email"].lower())
        self.records[pk] = record
        self.shown[pk] = (
            values["key"],
            row.line,
            _name(values),
            values["address_line1"],
            [phone.number for _kind, phone in values["phones"]],
            values["email"],
        )

    def _incoming(self, pk: int) -> dict:
        key, line, name, address, phones, email = self.shown[pk]
        return {"key": key, "line": line, "name": name, "address": address, "phones": phones,
                "email": email}  # fmt: skip

    def duplicates(self, plan: Plan) -> list[dict]:
        """Incoming new customers who may be someone in the shop or in the file, with the
        Combine Customers finder's evidence; the later line of two in the file is the one
        offered to merge into the earlier."""
        if FileKind.CUSTOMERS not in plan.files:
            return []
        # Customers imported before are updated, not created: not offered for merging.
        known = plan.known[ExternalId.Kind.CUSTOMER]
        for pk in [pk for pk, shown in self.shown.items() if shown[0] in known]:
            del self.records[pk], self.shown[pk]
        if not self.records:
            return []
        records = duplicate_records()
        records.update(self.records)
        pairs = list(duplicate_candidates(records, involving=lambda pk: pk < 0))
        del records
        return self._found(pairs)

    def _found(self, pairs: list[PairEvidence]) -> list[dict]:
        existing_ids = [pk for pair in pairs for pk in pair.ids if pk > 0]
        existing = {
            customer.pk: customer
            for customer in Customer.objects.filter(pk__in=existing_ids).prefetch_related(
                "phones", "emails"
            )
        }
        found = []
        for pair in sorted(pairs, key=lambda p: (not p.sure, -p.score, p.ids)):
            low, high = pair.ids
            if low < 0 and high < 0:
                # Two rows of the file: the later line (the more negative pk) goes into the
                # earlier.
                row, earlier = self._incoming(low), self._incoming(high)
                target = {"type": "file", **earlier}
                pair_id = f"{row['key']}>k{earlier['key']}"
            else:
                row = self._incoming(low)
                customer = existing[high]
                target = {
                    "type": "shop",
                    "customer_id": customer.pk,
                    "name": customer.display_name,
                    "address": customer.address_line1,
                    "phones": [phone.number for phone in customer.phones.all()],
                    "email": ", ".join(email.address for email in customer.emails.all()),
                }
                pair_id = f"{row['key']}>c{customer.pk}"
            found.append(
                {
                    "id": pair_id,
                    "incoming": row,
                    "target": target,
                    "sure": pair.sure,
                    "score": pair.score,
                    "agrees": pair.agrees,
                    "disagrees": pair.disagrees,
                }
            )
        return found


def merge_targets(run: ImportRun) -> dict[str, str]:
    """{incoming customer key: "c<id>" or "k<key>"} for every pair the owner chose to merge;
    a key in several pairs goes to the first (the surest)."""
    chosen = run.decisions.get("duplicates", {})
    targets: dict[str, str] = {}
    for pair in run.dry_run.get("duplicates", []):
        if chosen.get(pair["id"]) != MERGE:
            continue
        key, target = pair["id"].split(">", 1)
        targets.setdefault(key, target)
    return targets


def counts_expected(run: ImportRun) -> dict[str, dict[str, int]]:
    """What apply will write, with the owner's duplicate choices."""
    counts = {kind: dict(values) for kind, values in run.dry_run.get("counts", {}).items()}
    if "customers" in counts:
        merged = len(merge_targets(run))
        counts["customers"]["create"] -= merged
        counts["customers"]["merge"] = merged
    return counts


CHECKABLE = {ImportRun.State.UPLOADED, ImportRun.State.CHECKED, ImportRun.State.CHECKING}


def _checkable(run: ImportRun | None) -> ImportRun:
    if run is None:
        raise ServiceError("That import does not exist.", code="not_found")
    if run.state not in CHECKABLE:
        raise ServiceError(
            f"This import is {run.get_state_display().lower()}: the dry run is for files not "
            "applied yet.",
            code="conflict",
        )
    return run


def import_dry_run(*, run_id: int, progress: Callable[[int], None] | None = None) -> ImportRun:
    """Read the files, judge every row, find duplicates; write only the findings.

    The files are read without holding the run's row (the dry run job reports its progress
    meanwhile); the findings are written in one transaction at the end. The page starts it
    as a job (`import_dry_run_start`); the job, the tests and the bench call this."""
    run = _checkable(ImportRun.objects.filter(pk=run_id).first())
    incoming = _IncomingCustomers()
    plan = plan_build(run, progress=progress, customer_read=incoming.read)
    duplicates = [] if plan.file_errors else incoming.duplicates(plan)
    del incoming
    return _findings_write(run_id, plan, duplicates)


@transaction.atomic
def _findings_write(run_id: int, plan: Plan, duplicates: list[dict]) -> ImportRun:
    run = _checkable(ImportRun.objects.select_for_update().filter(pk=run_id).first())
    ImportProblem.objects.filter(run=run).delete()
    ImportProblem.objects.bulk_create(
        (
            ImportProblem(
                run=run,
                kind=problem.kind,
                line=problem.line,
                column=problem.column[:120],
                message=problem.message[:400],
                severity=ImportProblem.Severity.ERROR
                if problem.error
                else ImportProblem.Severity.WARNING,
            )
            for problem in plan.problems
        ),
        batch_size=2000,
    )
    if plan.file_errors:
        summary: dict = {"file_errors": len(plan.file_errors)}
    else:
        counts = {
            "customers": _customer_counts(plan),
            "vehicles": _vehicle_counts(plan),
            **_history_counts(plan),
        }
        summary = {
            "file_errors": 0,
            "counts": counts,
            "duplicates": duplicates,
            "years": [
                [year, count, f"{total:.2f}"] for year, (count, total) in sorted(plan.years.items())
            ],
            "invoice_total": f"{sum((t for _c, t in plan.years.values()), Decimal('0')):.2f}",
        }
        # Choices already made for the same pairs are kept; a new pair starts as the finder
        # judged it: a sure pair merged, a maybe kept separate.
        previous = run.decisions.get("duplicates", {})
        run.decisions = {
            **run.decisions,
            "duplicates": {
                pair["id"]: previous.get(pair["id"], MERGE if pair["sure"] else SEPARATE)
                for pair in duplicates
            },
        }
    summary["row_errors"] = plan.row_errors
    summary["warnings"] = sum(1 for p in plan.problems if not p.error)
    summary["rows"] = plan.rows_total
    run.dry_run = summary
    run.state = ImportRun.State.CHECKED
    run.checked_at = timezone.now()
    run.phase, run.done, run.total, run.error = "", 0, 0, ""
    run.save(
        update_fields=[
            "dry_run",
            "decisions",
            "state",
            "checked_at",
            "phase",
            "done",
            "total",
            "error",
        ]
    )
    return run


@transaction.atomic
def import_decisions_set(
    *, by: User, run_id: int, duplicates: dict[str, str], skip_bad_rows: bool
) -> ImportRun:
    """The owner's choices on the dry run: each duplicate merged or kept separate, and
    whether the bad rows are skipped."""
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise ServiceError("That import does not exist.", code="not_found")
    if run.state != ImportRun.State.CHECKED:
        raise ServiceError("Choices are made on a dry run not applied yet.", code="conflict")
    known = {pair["id"] for pair in run.dry_run.get("duplicates", [])}
    chosen = dict(run.decisions.get("duplicates", {}))
    for pair_id, choice in duplicates.items():
        if pair_id not in known or choice not in CHOICES:
            raise ServiceError("That choice is not one of the dry run's duplicates.")
        chosen[pair_id] = choice
    run.decisions = {**run.decisions, "duplicates": chosen, "skip_bad_rows": bool(skip_bad_rows)}
    run.save(update_fields=["decisions"])
    return run
