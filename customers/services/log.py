"""The utilities' log: one entry per run, with what is needed to undo it for 30 days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from customers import events
from customers.changes import ChangeSet, changes_undo, changes_verify
from customers.models import Customer, UtilityLogEntry, Vehicle
from shop.errors import ServiceError
from shop.models import User

UNDO_DAYS = 30

# The security function a utility's runs (and their undo) need.
UTILITY_FUNCTIONS = {
    UtilityLogEntry.Utility.COMBINE_CUSTOMERS: "combine_customers",
    UtilityLogEntry.Utility.ADD_FAMILY_MEMBER: "combine_customers",
    UtilityLogEntry.Utility.COMBINE_VEHICLES: "combine_vehicles",
    UtilityLogEntry.Utility.DELETE_DUPLICATE_PHONES: "delete_duplicate_phones",
    UtilityLogEntry.Utility.SEPARATE_FAMILY_MEMBERS: "separate_family_members",
    UtilityLogEntry.Utility.CHANGE_AREA_CODE: "change_area_code",
    UtilityLogEntry.Utility.DELETE_CUSTOMERS_NO_INVOICES: "delete_customers_no_invoices",
}


# Entries written by another app (an import) whose undo is that app's own: {utility: undo}.
# The undo gets (by=, entry=) inside this module's transaction and raises a ServiceError
# to refuse. Apps register at ready(); customers never imports them.
UNDO_HANDLERS: dict[str, Callable[..., None]] = {}


def utility_undo_handler_register(
    utility: str, *, security_function: str, undo: Callable[..., None]
) -> None:
    """Let another app's log entries be undone from the utilities log by its own service."""
    UTILITY_FUNCTIONS[utility] = security_function
    UNDO_HANDLERS[utility] = undo


def utility_log_entry_record(
    *, by: User, utility: str, summary: str, changes: ChangeSet
) -> UtilityLogEntry:
    return UtilityLogEntry.objects.create(
        utility=utility, summary=summary[:300], changes=changes.steps, performed_by=by
    )


def utility_log_entry_can_undo(entry: UtilityLogEntry) -> bool:
    return entry.undone_at is None and entry.performed_at >= timezone.now() - timedelta(
        days=UNDO_DAYS
    )


@transaction.atomic
def utility_log_entry_undo(*, by: User, entry_id: int) -> UtilityLogEntry:
    """Put back every row the entry changed, exactly, or change nothing and say why."""
    entry = UtilityLogEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise ServiceError("That log entry does not exist.", code="not_found")
    if entry.undone_at is not None:
        raise ServiceError(
            f"This was already undone on {timezone.localtime(entry.undone_at):%b %d, %Y %H:%M}.",
            code="conflict",
        )
    if entry.performed_at < timezone.now() - timedelta(days=UNDO_DAYS):
        raise ServiceError(
            f"Entries can be undone for {UNDO_DAYS} days; this one is older.", code="expired"
        )
    handler = UNDO_HANDLERS.get(entry.utility)
    if handler is not None:
        handler(by=by, entry=entry)
    else:
        changes_verify(entry.changes)
        changes_undo(entry.changes)
    entry.undone_at = timezone.now()
    entry.undone_by = by
    entry.save(update_fields=["undone_at", "undone_by"])
    undone = UNDONE_EVENTS.get(entry.utility)
    if undone is not None:
        sender, event = undone
        event.send(
            sender=sender,
            entry=entry,
            vehicle_ids=vehicles_put_back(entry.changes),
            moved_rows=rows_put_back(entry.changes),
            by=by,
        )
    return entry


# The event each undo publishes (customers.events): the utilities that move or delete
# vehicles.
UNDONE_EVENTS = {
    UtilityLogEntry.Utility.COMBINE_CUSTOMERS: (Customer, events.customers_combine_undone),
    UtilityLogEntry.Utility.COMBINE_VEHICLES: (Vehicle, events.vehicles_combine_undone),
    UtilityLogEntry.Utility.DELETE_CUSTOMERS_NO_INVOICES: (
        Customer,
        events.customers_delete_undone,
    ),
}


def vehicles_put_back(steps: list[dict]) -> list[int]:
    """The vehicles an undo of these steps changed back or brought back (ids, sorted)."""
    label = Vehicle._meta.label_lower
    ids: set[int] = set()
    for step in steps:
        if step["model"] != label:
            continue
        if step["op"] == "update":
            ids.update(row[0] for row in step["rows"])
        elif step["op"] == "delete":
            pk_index = step["fields"].index(Vehicle._meta.pk.attname)
            ids.update(row[pk_index] for row in step["rows"])
    return sorted(ids)


def rows_put_back(steps: list[dict]) -> dict[str, list]:
    """The rows an undo of these steps changed back, by model label (ids, sorted)."""
    rows: dict[str, set] = {}
    for step in steps:
        if step["op"] == "update":
            rows.setdefault(step["model"], set()).update(row[0] for row in step["rows"])
    return {label: sorted(pks) for label, pks in rows.items()}
