"""What a repair-order request sends, and how the work order differs from a frozen version.

The snapshot is plain JSON (money as strings) so the fleet network receives the
same thing the advisor saw in the Send to Fleet dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workorders.models import Line, WorkOrder


def line_fingerprint(line: dict) -> tuple:
    """What may not change without a new approval."""
    return (
        line["job_id"],
        line["kind"],
        line["part_number"],
        line["description"],
        line["quantity"],
        line["unit_price"],
        line["discount"],
        line["amount"],
    )


def _lines_in_order(work_order: WorkOrder) -> list[Line]:
    """The work order's lines, each with its job, jobs and lines by position. A work order
    loaded with its jobs and their lines (the editor's and the invoice's,
    workorders.selectors.work_order_for_editor) gives its own: they are what the page
    shows, and asking again would cost a query. Any other is read here."""
    jobs = getattr(work_order, "_prefetched_objects_cache", {}).get("jobs")
    loaded = jobs is not None and all(
        "lines" in getattr(job, "_prefetched_objects_cache", {}) for job in jobs
    )
    if not loaded:
        return list(
            Line.objects.filter(work_order=work_order)
            .select_related("job")
            .order_by("job__position", "job_id", "position", "id")
        )
    ordered: list[Line] = []
    for job in sorted(jobs, key=lambda job: (job.position, job.pk)):
        for line in sorted(job.lines.all(), key=lambda line: (line.position, line.pk)):
            line.job = job
            ordered.append(line)
    return ordered


def work_order_snapshot(work_order: WorkOrder) -> dict:
    """The request as it would be sent now: vehicle, VIN, odometer, jobs and priced lines."""
    vehicle = work_order.vehicle
    jobs: list[dict] = []
    by_job: dict[int, dict] = {}
    for line in _lines_in_order(work_order):
        job = by_job.get(line.job_id)
        if job is None:
            job = {"id": line.job_id, "title": line.job.title, "lines": []}
            by_job[line.job_id] = job
            jobs.append(job)
        job["lines"].append(
            {
                "id": line.pk,
                "job_id": line.job_id,
                "kind": line.kind,
                "part_number": line.part_number,
                "description": line.description,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "discount": str(line.discount),
                "amount": str(line.amount),
                "net_amount": str(line.net_amount),
            }
        )
    return {
        "work_order": work_order.pk,
        "customer": str(work_order.customer),
        "vehicle": {
            "description": str(vehicle),
            "year": vehicle.year,
            "make": vehicle.make,
            "model": vehicle.model,
            "vin": vehicle.vin,
            "plate": vehicle.plate,
        },
        "odometer": work_order.odometer_in,
        "concern": work_order.concern,
        "jobs": jobs,
        "subtotal": str(work_order.subtotal),
        "tax": str(work_order.tax_total),
        "total": str(work_order.grand_total),
    }


def snapshot_lines(snapshot: dict) -> dict[int, dict]:
    return {line["id"]: line for job in snapshot["jobs"] for line in job["lines"]}


def attach_decisions(snapshot: dict, decided_lines) -> dict:
    """Give each snapshot line its decided request line (or None) as `line["fleet"]`."""
    decided = {line.line_key: line for line in decided_lines}
    for line in snapshot_lines(snapshot).values():
        line["fleet"] = decided.get(line["id"])
    return snapshot


@dataclass
class Changes:
    """The work order against a frozen version, line by line."""

    added: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def changes_since(frozen: dict, current: dict) -> Changes:
    sent = snapshot_lines(frozen)
    now = snapshot_lines(current)
    changes = Changes()
    for key, line in now.items():
        if key not in sent:
            changes.added.append(line)
        elif line_fingerprint(line) != line_fingerprint(sent[key]):
            changes.changed.append(line)
    changes.removed = [line for key, line in sent.items() if key not in now]
    return changes
