"""How an import is undone from the customer utilities' log, connected once at ready()."""

from __future__ import annotations


def on_log_entry_undo(*, by, entry) -> None:
    from imports.services.undo import import_undo_from_log

    import_undo_from_log(by=by, entry=entry)


def connect() -> None:
    from customers.models import UtilityLogEntry
    from customers.services import utility_undo_handler_register

    utility_undo_handler_register(
        UtilityLogEntry.Utility.IMPORT, security_function="import_history", undo=on_log_entry_undo
    )
