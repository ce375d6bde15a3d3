"""Rows written with PostgreSQL's COPY, their ids taken from the table's sequence in bulk.

`bulk_create` builds a model instance per row and binds every value into one long INSERT;
at an old shop's volume (millions of invoice lines) that is most of the apply's time. Here a
batch is a list of dicts {attname: value}: the ids are reserved with one `nextval` query,
the columns the caller leaves out take the field's default (computed once per batch, as
`bulk_create` would: `auto_now` / `auto_now_add` are the batch's moment), and the rows go
in with one COPY. No model signal is sent, the same as `bulk_create` on PostgreSQL.

`tuples_copy` is the same for the big tables (invoice lines, the journal): the caller gives
the columns once and a tuple per row, the other columns' defaults are one tuple added to
each, and rows whose ids nobody needs take them from the table's identity in the COPY.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import JSONField
from psycopg.types.json import Jsonb


def _columns(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if not getattr(field, "generated", False) and not field.primary_key
    ]


def ids_reserve(model, count: int) -> list[int]:
    """`count` new primary keys of the model's table, in one query."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def rows_copy(model, rows: list[dict[str, Any]], *, now=None) -> list[int]:
    """COPY the rows into the model's table; returns their new ids, in the rows' order."""
    if not rows:
        return []
    fields = _columns(model)
    defaults: list[Any] = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            if now is None:
                from django.utils import timezone

                now = timezone.now()
            defaults.append(now)
        else:
            # What a model instance gets for a field left out ("" for text, None if null).
            defaults.append(field.get_default())
    forced = [
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in fields
    ]
    json = [isinstance(field, JSONField) for field in fields]
    names = [field.attname for field in fields]
    ids = ids_reserve(model, len(rows))
    columns = ", ".join(
        connection.ops.quote_name(c) for c in [model._meta.pk.column, *(f.column for f in fields)]
    )
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for pk, row in zip(ids, rows, strict=True):
            values = [pk]
            for index, name in enumerate(names):
                value = defaults[index] if forced[index] else row.get(name, defaults[index])
                if json[index] and value is not None:
                    value = Jsonb(value)
                values.append(value)
            copy.write_row(values)
    return ids


def _defaults(fields: list, now) -> tuple:
    values = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append(now)
        else:
            default = field.get_default()
            values.append(Jsonb(default) if isinstance(field, JSONField) and default else default)
    return tuple(values)


def tuples_copy(
    model, names: list[str], rows: Iterable[tuple], *, now, ids: bool = False
) -> list[int]:
    """COPY rows given as tuples of the `names` columns (attnames; JSON values wrapped by the
    caller); every other column takes its field's default. With `ids`, the new primary keys
    are reserved first and returned in the rows' order; otherwise the table's identity gives
    them and nothing is returned."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return []
    fields = _columns(model)
    given = set(names)
    unknown = given - {field.attname for field in fields}
    if unknown:
        raise ValueError(f"{model._meta.label} has no column {sorted(unknown)}")
    rest = [field for field in fields if field.attname not in given]
    tail = _defaults(rest, now)
    by_name = {field.attname: field for field in fields}
    quote = connection.ops.quote_name
    columns = [by_name[name].column for name in names] + [field.column for field in rest]
    if ids:
        columns.insert(0, model._meta.pk.column)
    table = quote(model._meta.db_table)
    statement = f"COPY {table} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    reserved = ids_reserve(model, len(rows)) if ids else []
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        write = copy.write_row
        if ids:
            for pk, row in zip(reserved, rows, strict=True):
                write((pk, *row, *tail))
        else:
            for row in rows:
                write(row + tail)
    return reserved


def rows_insert_select(
    model,
    *,
    expressions: dict[str, str],
    values: dict[str, Any],
    source: str,
    params: list[Any],
    now,
    returning: str = "",
) -> list[tuple]:
    """INSERT INTO the model's table SELECT ... FROM `source`: one statement for rows made
    from rows already in the database. `expressions` are the SQL of some columns (attname:
    SQL over `source`), `values` constants; every other column takes its field's default.
    With `returning` (SQL), the rows it names come back."""
    quote = connection.ops.quote_name
    columns, select, select_params = [], [], []
    fields = _columns(model)
    for field, default in zip(fields, _defaults(fields, now), strict=True):
        columns.append(quote(field.column))
        if field.attname in expressions:
            select.append(expressions[field.attname])
        else:
            select.append("%s")
            select_params.append(values.get(field.attname, default))
    unknown = (expressions.keys() | values.keys()) - {field.attname for field in fields}
    if unknown:
        raise ValueError(f"{model._meta.label} has no column {sorted(unknown)}")
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(select)} FROM {source}"
        + (f" RETURNING {returning}" if returning else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*select_params, *params])
        return cursor.fetchall() if returning else []


def chunked(items: Iterable, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def rows_update(model, changes: dict[int, dict[str, Any]]) -> None:
    """UPDATE each row's changed fields: one statement per set of fields, sent with
    `executemany` (pipelined by psycopg) instead of one round trip per row."""
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    for pk, values in changes.items():
        names = tuple(sorted(values))
        groups.setdefault(names, []).append([*(values[n] for n in names), pk])
    table = connection.ops.quote_name(model._meta.db_table)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for names, params in groups.items():
            columns = [model._meta.get_field(name).column for name in names]
            assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s",
                params,
            )
