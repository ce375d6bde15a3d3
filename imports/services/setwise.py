"""Delete rows by id, and everything Django's cascade would take with them, set-wise.

Django's `QuerySet.delete()` loads every related row into memory to cascade (the Collector):
for an import's 250,000 invoices that is millions of jobs, lines, approvals, status changes
and report figures, fetched and deleted 500 ids at a time. Here the ids go into a temporary
table, the relations to follow are found the way the Collector finds them
(`get_candidate_relations_to_delete`, recursively), and each related table gets one
statement: CASCADE collects its ids into the table's own temporary table (and goes on from
them), SET_NULL / SET_DEFAULT / SET(...) is one UPDATE, PROTECT (and RESTRICT, unless the
row is deleted too) refuses with a `ServiceError`, DO_NOTHING is left alone. Then every
collected table has one DELETE, children first.

A model the Collector would have to see row by row (delete signals, generic relations,
multi-table inheritance) is deleted through the ORM instead, so nothing is skipped. Django's
foreign keys are deferred on PostgreSQL; they are checked (SET CONSTRAINTS ALL IMMEDIATE)
before this returns, so a relation missed here fails the undo rather than the commit.
"""

from __future__ import annotations

from itertools import count

from django.db import connection
from django.db.models import CASCADE, DO_NOTHING, PROTECT, RESTRICT, SET_DEFAULT, SET_NULL
from django.db.models.deletion import get_candidate_relations_to_delete
from django.db.models.signals import post_delete, pre_delete

from shop.errors import ServiceError

ORM_BATCH = 500
_names = count(1)


def _needs_orm(model, seen=None) -> bool:
    """Whether deleting `model` (or what cascades from it) needs the Collector's row-by-row
    work: delete signals, generic relations, or parent tables (multi-table inheritance)."""
    seen = set() if seen is None else seen
    if model in seen:
        return False
    seen.add(model)
    opts = model._meta
    if pre_delete.has_listeners(model) or post_delete.has_listeners(model):
        return True
    if opts.parents or opts.private_fields:
        return True
    for relation in get_candidate_relations_to_delete(opts):
        if relation.field.remote_field.on_delete is CASCADE and _needs_orm(
            relation.related_model, seen
        ):
            return True
    return False


def _set_value(field, on_delete):
    """The value SET_NULL, SET_DEFAULT or SET(...) puts in `field`; (False, None) for any
    other rule."""
    if on_delete is SET_NULL:
        return True, None
    if on_delete is SET_DEFAULT:
        return True, field.get_default()
    deconstruct = getattr(on_delete, "deconstruct", None)
    if deconstruct is not None:
        path, args, _kwargs = deconstruct()
        if path == "django.db.models.SET":
            value = args[0]
            value = value() if callable(value) else value
            return True, getattr(value, "pk", value)
    return False, None


class _SetDelete:
    def __init__(self, cursor):
        self.cursor = cursor
        self.q = connection.ops.quote_name
        self.collected: dict[type, str] = {}  # model -> temp table of all its ids to delete
        self.order: list[type] = []  # children before parents
        self.updates: list[tuple] = []
        self.restricted: list[tuple] = []
        self.temps: list[str] = []

    def _temp(self, model) -> str:
        name = f"undo_ids_{next(_names)}"
        kind = model._meta.pk.rel_db_type(connection)
        self.cursor.execute(f"CREATE TEMPORARY TABLE {name} (id {kind} PRIMARY KEY)")
        self.temps.append(name)
        return name

    def _all(self, model) -> str:
        if model not in self.collected:
            self.collected[model] = self._temp(model)
        return self.collected[model]

    def _keys(self, model, field, delta: str) -> str:
        """SQL for the values the children's `field` holds for the parents in `delta`."""
        target = field.target_field
        if target == model._meta.pk:
            return f"SELECT id FROM {delta}"
        return (
            f"SELECT p.{self.q(target.column)} FROM {self.q(model._meta.db_table)} p "
            f"WHERE p.{self.q(model._meta.pk.column)} IN (SELECT id FROM {delta})"
        )

    def collect(self, model, delta: str) -> None:
        q = self.q
        for relation in get_candidate_relations_to_delete(model._meta):
            field = relation.field
            child = relation.related_model
            on_delete = field.remote_field.on_delete
            table, pk, fk = (
                q(child._meta.db_table),
                q(child._meta.pk.column),
                q(field.column),
            )
            keys = self._keys(model, field, delta)
            if on_delete is DO_NOTHING:
                continue
            if on_delete is CASCADE:
                every = self._all(child)
                new = self._temp(child)
                self.cursor.execute(
                    f"INSERT INTO {new} SELECT c.{pk} FROM {table} c WHERE c.{fk} IN ({keys}) "
                    f"AND NOT EXISTS (SELECT 1 FROM {every} a WHERE a.id = c.{pk})"
                )
                if self.cursor.rowcount:
                    self.cursor.execute(f"INSERT INTO {every} SELECT id FROM {new}")
                    self.cursor.execute(f"ANALYZE {new}")
                    self.collect(child, new)
                    if child not in self.order:
                        self.order.append(child)
            elif on_delete is PROTECT:
                self.cursor.execute(f"SELECT count(*) FROM {table} c WHERE c.{fk} IN ({keys})")
                self._refuse(model, child, field, self.cursor.fetchone()[0])
            elif on_delete is RESTRICT:
                self.restricted.append((model, child, field, keys))
            else:
                settable, value = _set_value(field, on_delete)
                if not settable:
                    raise ServiceError(
                        f"Cannot undo: {child._meta.label}.{field.name} has a delete rule "
                        "the undo does not know. Nothing was undone.",
                        code="conflict",
                    )
                self.updates.append((child, field, value, keys))

    def _refuse(self, model, child, field, number: int) -> None:
        if number:
            raise ServiceError(
                f"{number} {child._meta.verbose_name_plural} ({child._meta.label}.{field.name}) "
                f"refer to the {model._meta.verbose_name_plural} the undo would delete. "
                "Nothing was undone.",
                code="built_upon",
            )

    def run(self, model, ids) -> None:
        q = self.q
        root = self._all(model)
        kind = model._meta.pk.rel_db_type(connection)
        self.cursor.execute(f"INSERT INTO {root} SELECT DISTINCT unnest(%s::{kind}[])", [list(ids)])
        self.cursor.execute(f"ANALYZE {root}")
        self.collect(model, root)
        if model not in self.order:
            self.order.append(model)
        for parent, child, field, keys in self.restricted:
            every = self.collected.get(child)
            pk = q(child._meta.pk.column)
            spared = f"AND c.{pk} NOT IN (SELECT id FROM {every})" if every else ""
            self.cursor.execute(
                f"SELECT count(*) FROM {q(child._meta.db_table)} c "
                f"WHERE c.{q(field.column)} IN ({keys}) {spared}"
            )
            self._refuse(parent, child, field, self.cursor.fetchone()[0])
        for child, field, value, keys in self.updates:
            column = q(field.column)
            self.cursor.execute(
                f"UPDATE {q(child._meta.db_table)} SET {column} = %s WHERE {column} IN ({keys})",
                [field.get_db_prep_save(value, connection)],
            )
        for each in self.order:
            self.cursor.execute(
                f"DELETE FROM {q(each._meta.db_table)} t USING {self.collected[each]} d "
                f"WHERE t.{q(each._meta.pk.column)} = d.id"
            )
        for name in self.temps:
            self.cursor.execute(f"DROP TABLE {name}")


def delete_setwise(model, ids) -> None:
    """Delete the `model` rows with these ids and what Django's cascade would delete or
    update with them, in the caller's transaction."""
    ids = sorted(set(ids))
    if not ids:
        return
    if connection.vendor != "postgresql" or _needs_orm(model):
        for i in range(0, len(ids), ORM_BATCH):
            model._base_manager.filter(pk__in=ids[i : i + ORM_BATCH]).delete()
        return
    with connection.cursor() as cursor:
        _SetDelete(cursor).run(model, ids)
        # The foreign keys are deferred: check them now, inside the undo.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
