"""Fast bulk inserts for set-wise writes (the compliance sweep's notices, their audit rows and
events): PostgreSQL's ``COPY … FROM STDIN`` through psycopg 3, which skips building one huge
``INSERT … VALUES`` statement with every parameter bound on the client; elsewhere (SQLite)
``bulk_create``. Field values go through each field's ``pre_save`` and ``get_db_prep_save``,
as ``bulk_create`` does (``auto_now_add``, JSON adaptation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


def allocate_ids(model: type[Model], n: int) -> list[int]:
    """``n`` fresh primary keys from the table's sequence (PostgreSQL), in increasing order."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, n],
        )
        return sorted(int(row[0]) for row in cursor.fetchall())


def bulk_insert(objs: Sequence[Model], *, batch_size: int = 5000, with_ids: bool = False) -> None:
    """Insert ``objs`` (all of one model). ``with_ids``: every object gets its primary key
    (taken from the sequence beforehand on PostgreSQL; returned by ``bulk_create``
    elsewhere). Call inside the caller's transaction."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    pk = model._meta.pk
    if with_ids:
        for obj, pk_value in zip(
            [o for o in objs if o.pk is None],
            allocate_ids(model, sum(1 for o in objs if o.pk is None)),
            strict=True,
        ):
            obj.pk = pk_value
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f is pk and (not with_ids and objs[0].pk is None))
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
