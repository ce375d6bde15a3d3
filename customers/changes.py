"""What a clean-up utility changed, recorded so that it can be undone exactly.

A utility makes every write through a ChangeSet: `update` keeps each row's
fields before and after, `delete` keeps whole rows, `created` records rows it
inserted. The list goes into the utility's log entry (`UtilityLogEntry.changes`).
`changes_undo` first checks that every row still holds what the utility wrote
(refusing, with the row named, if anyone changed it since), then reverses the
steps newest first, so that every table is left as it was before the utility ran.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models

from shop.errors import ServiceError

BATCH = 500


def _dump_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _load_value(field: models.Field, value: Any) -> Any:
    return None if value is None else field.to_python(value)


def stored_fields(model: type[models.Model]) -> list[models.Field]:
    """The columns a row is restored from (database-generated columns are left out)."""
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _rows(model: type[models.Model], pks: Iterable[Any], attnames: list[str]) -> dict:
    pks = list(pks)
    found: dict = {}
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        for row in model._base_manager.filter(pk__in=chunk).values_list("pk", *attnames):
            found[row[0]] = [_dump_value(v) for v in row[1:]]
    return found


def _describe(model: type[models.Model], pk: Any) -> str:
    return f"{model._meta.verbose_name} #{pk}"


class ChangeSet:
    def __init__(self) -> None:
        self.steps: list[dict] = []

    def update(self, model: type[models.Model], new_values: dict[Any, dict[str, Any]]) -> int:
        """Set fields row by row: {pk: {attname: value}}. Returns the rows changed."""
        if not new_values:
            return 0
        attnames = sorted({name for values in new_values.values() for name in values})
        before = _rows(model, new_values, attnames)
        rows = []
        objects = []
        for pk, values in new_values.items():
            if pk not in before:
                raise ServiceError(f"{_describe(model, pk)} no longer exists. Nothing was changed.")
            old = dict(zip(attnames, before[pk], strict=True))
            new = {**old, **{k: _dump_value(v) for k, v in values.items()}}
            rows.append([pk, [old[a] for a in attnames], [new[a] for a in attnames]])
            instance = model(pk=pk)
            for name in attnames:
                field = _field(model, name)
                setattr(instance, field.attname, _load_value(field, new[name]))
            objects.append(instance)
        model._base_manager.bulk_update(
            objects, [_field(model, a).name for a in attnames], batch_size=BATCH
        )
        self.steps.append(
            {"op": "update", "model": _label(model), "fields": attnames, "rows": rows}
        )
        return len(rows)

    def update_all(self, model: type[models.Model], pks: Iterable[Any], **values: Any) -> int:
        """The same values on many rows (moving rows to another customer, say)."""
        return self.update(model, {pk: values for pk in pks})

    def delete(self, model: type[models.Model], pks: Iterable[Any]) -> int:
        """Delete rows, keeping them whole. Refuses if the delete would reach other rows."""
        pks = list(pks)
        if not pks:
            return 0
        self._detach_nullable_references(model, pks)
        fields = stored_fields(model)
        attnames = [f.attname for f in fields]
        kept = _rows(model, pks, attnames)
        deleted_total = 0
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            count, per_model = model._base_manager.filter(pk__in=chunk).delete()
            others = {label: n for label, n in per_model.items() if label != model._meta.label}
            if others:
                reached = ", ".join(f"{n} {label}" for label, n in others.items())
                raise ServiceError(
                    f"Deleting would also delete {reached}, which this utility cannot undo. "
                    "Nothing was changed."
                )
            deleted_total += count
        self.steps.append(
            {
                "op": "delete",
                "model": _label(model),
                "fields": attnames,
                "rows": list(kept.values()),
            }
        )
        return deleted_total

    def _detach_nullable_references(self, model: type[models.Model], pks: list) -> None:
        # A delete would quietly null these (on_delete=SET_NULL); recording them first
        # lets undo point them back.
        for relation in model._meta.related_objects:
            if relation.many_to_many or relation.on_delete is not models.SET_NULL:
                continue
            rows = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": pks}
            )
            if relation.related_model is model:
                rows = rows.exclude(pk__in=pks)
            referencing = list(rows.values_list("pk", flat=True))
            if referencing:
                self.update_all(
                    relation.related_model, referencing, **{relation.field.attname: None}
                )

    def created(self, model: type[models.Model], pks: Iterable[Any]) -> None:
        fields = stored_fields(model)
        attnames = [f.attname for f in fields]
        rows = _rows(model, pks, attnames)
        self.steps.append(
            {
                "op": "create",
                "model": _label(model),
                "fields": attnames,
                "rows": list(rows.values()),
            }
        )

    def count(self, op: str, model: type[models.Model]) -> int:
        return sum(
            len(step["rows"])
            for step in self.steps
            if step["op"] == op and step["model"] == _label(model)
        )


def _insert_rows(model: type[models.Model], attnames: list[str], rows: list[list]) -> None:
    fields = [_field(model, a) for a in attnames]
    objects = []
    for values in rows:
        instance = model()
        for field, value in zip(fields, values, strict=True):
            setattr(instance, field.attname, _load_value(field, value))
        objects.append(instance)
    for start in range(0, len(objects), BATCH):
        # raw: the rows come back exactly as they were, created_at included.
        model._base_manager._insert(objects[start : start + BATCH], fields=fields, raw=True)


def _field(model: type[models.Model], attname: str) -> models.Field:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise ServiceError(f"{model._meta.verbose_name} has no column {attname} any more.")


def changes_verify(steps: list[dict]) -> None:
    """Raise a ServiceError naming the first row that changed since the utility ran."""
    for step in steps:
        model = apps.get_model(step["model"])
        attnames = step["fields"]
        if step["op"] == "update":
            current = _rows(model, [row[0] for row in step["rows"]], attnames)
            for pk, _before, after in step["rows"]:
                if current.get(pk) != after:
                    raise ServiceError(
                        f"{_describe(model, pk)} has changed since (or was deleted), so this "
                        "cannot be undone safely. Nothing was changed."
                    )
        elif step["op"] == "delete":
            pk_index = attnames.index(model._meta.pk.attname)
            pks = [row[pk_index] for row in step["rows"]]
            for start in range(0, len(pks), BATCH):
                back = model._base_manager.filter(pk__in=pks[start : start + BATCH])
                taken = back.values_list("pk", flat=True).first()
                if taken is not None:
                    raise ServiceError(
                        f"{_describe(model, taken)} exists again, so the deleted rows cannot be "
                        "put back. Nothing was changed."
                    )
        elif step["op"] == "create":
            pk_index = attnames.index(model._meta.pk.attname)
            current = _rows(model, [row[pk_index] for row in step["rows"]], attnames)
            for row in step["rows"]:
                if current.get(row[pk_index]) != row:
                    raise ServiceError(
                        f"{_describe(model, row[pk_index])} has changed since, so this cannot "
                        "be undone safely. Nothing was changed."
                    )


def changes_undo(steps: list[dict]) -> None:
    """Reverse the steps, newest first. Call inside a transaction, after changes_verify."""
    for step in reversed(steps):
        model = apps.get_model(step["model"])
        attnames = step["fields"]
        if step["op"] == "update":
            fields = [_field(model, a) for a in attnames]
            objects = []
            for pk, before, _after in step["rows"]:
                instance = model(pk=pk)
                for field, value in zip(fields, before, strict=True):
                    setattr(instance, field.attname, _load_value(field, value))
                objects.append(instance)
            model._base_manager.bulk_update(objects, [f.name for f in fields], batch_size=BATCH)
        elif step["op"] == "delete":
            _insert_rows(model, attnames, step["rows"])
        elif step["op"] == "create":
            pk_index = attnames.index(model._meta.pk.attname)
            pks = [row[pk_index] for row in step["rows"]]
            for start in range(0, len(pks), BATCH):
                model._base_manager.filter(pk__in=pks[start : start + BATCH]).delete()
