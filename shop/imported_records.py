"""Where records brought in from a shop's old system go when another app owns them.

The app that reads the old system's files (imports) and the apps that own A/R balances
(payments) and the parts catalog (parts) are on the same line of the layers, so none may
import another. This is the named place below them all: the owning app registers, from its
`AppConfig.ready()`, a writer and an undo for a kind of row ("ar_items", "parts"); the
importer calls them by kind inside its own batch transactions and never names the app.

- `write(rows=[{...}, ...], source="imports.run:12", by=user) -> list[int]`: write the rows
  (plain dicts, the fields listed by the importer's docs) and return the ids created, which
  the importer keeps in its undo journal under `model` (e.g. "payments.ledgerentry").
- `undo(ids=[...], source=..., by=user, keep_customer_ids=set()) -> None`: remove what
  `write` created (all of it but what belongs to the customers kept), or raise a
  `ServiceError` naming what was built upon it since; the importer's undo is then refused
  whole and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportTarget:
    kind: str
    model: str  # "app_label.model", the journal's label of the ids `write` returns
    label: str  # what the rows become, for the import's page ("Ledger balances")
    write: Callable[..., list[int]]
    undo: Callable[..., None]


_targets: dict[str, ImportTarget] = {}


def import_target_register(
    kind: str,
    *,
    model: str,
    label: str,
    write: Callable[..., list[int]],
    undo: Callable[..., None],
) -> None:
    existing = _targets.get(kind)
    if existing is not None and (existing.write, existing.undo) != (write, undo):
        raise ValueError(f"Imported {kind} already go to {existing.model}.")
    _targets[kind] = ImportTarget(kind=kind, model=model, label=label, write=write, undo=undo)


def import_target(kind: str) -> ImportTarget | None:
    return _targets.get(kind)


def import_targets() -> list[ImportTarget]:
    return list(_targets.values())
