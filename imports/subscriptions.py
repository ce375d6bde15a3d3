"""How an import is undone from the customer utilities' log, and how its one
`import.completed` webhook reaches the integrations; connected once at ready()."""

from __future__ import annotations


def on_log_entry_undo(*, by, entry) -> None:
    from imports.services.undo import import_undo_from_log

    import_undo_from_log(by=by, entry=entry)


def import_completed_webhook_data(*, run, counts, by=None, **kwargs) -> dict:
    """The `import.completed` webhook's data: the whole import's counts, never a row."""
    return {
        "id": run.pk,
        "name": run.name,
        "finished_at": run.finished_at,
        "counts": {
            kind: {what: number for what, number in sorted(values.items())}
            for kind, values in sorted(counts.items())
        },
        "by": by.get_username() if by is not None else None,
    }


def connect() -> None:
    from customers.models import UtilityLogEntry
    from customers.services import utility_undo_handler_register
    from imports import events
    from integrations.webhook_sources import webhook_source_register

    utility_undo_handler_register(
        UtilityLogEntry.Utility.IMPORT, security_function="import_history", undo=on_log_entry_undo
    )
    # One webhook for a whole import (its rows send none).
    webhook_source_register(
        code="import.completed",
        label="Import from another system completed",
        signal=events.import_completed,
        data=import_completed_webhook_data,
    )
