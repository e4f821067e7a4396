"""Bulk inserts for imports: PostgreSQL COPY when available, bulk_create elsewhere.

Django's bulk_create spends most of a 30,000-contact import building model
instances and compiling SQL parameters field by field. Here rows are plain dicts
of column values (by attname); on PostgreSQL they go through COPY, with ids taken
from the table's sequence first so the rows can be referred to (emails, positions)
straight away. Other databases get bulk_create, which also returns the ids.
"""

from typing import Any, cast

from django.db import connection, models
from django.utils import timezone
from psycopg import sql

BATCH = 1000
Row = dict[str, Any]


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    now = timezone.now()
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values[field.attname] = now
        else:
            values[field.attname] = field.get_default()
    return values


def insert_rows(model: type[models.Model], rows: list[Row]) -> None:
    """Insert `rows` (column values by attname) and set each row's "id"."""
    if not rows:
        return
    defaults = _defaults(model)
    unknown = {key for row in rows for key in row} - defaults.keys() - {"id"}
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    if connection.vendor != "postgresql":
        objects = [model(**{**defaults, **row}) for row in rows]
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        for row, obj in zip(rows, objects, strict=True):
            row["id"] = obj.pk
        return
    meta = model._meta
    # Concrete fields always have a column; the stubs allow None (for non-concrete ones).
    columns = cast(
        list[str], [meta.pk.column] + [f.column for f in meta.concrete_fields if not f.primary_key]
    )
    names = list(defaults)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (new_id,) in zip(rows, cursor.fetchall(), strict=True):
            row["id"] = new_id
        statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
            table=sql.Identifier(meta.db_table),
            columns=sql.SQL(", ").join(sql.Identifier(column) for column in columns),
        )
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row["id"], *(row.get(n, defaults[n]) for n in names)])
