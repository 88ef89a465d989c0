"""Reads every request makes, written once as SQL from the models' metadata."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

# Every SQL text built below pastes only identifiers from NAME_INDEXES (app constants) or SQL the
# ORM compiled with its parameters kept apart; values always travel as parameters (hence the
# ``noqa: S608``).

# --- Reads every request makes ----------------------------------------------------------------
# The ORM compiles a query anew each time, which costs more than SQLite or a near PostgreSQL take
# to answer a lookup by key. The few reads that every request makes (the caller, the record
# asked for) are written once as SQL from the models' own metadata and turned into instances
# with the same converters the ORM applies.


def select_columns(model: type[Model], alias: str) -> str:
    """``"alias"."col", …`` for every concrete field of ``model``, in ``from_db`` order."""
    return ", ".join(f'"{alias}"."{f.column}"' for f in model._meta.concrete_fields)


_CONVERTERS: dict[tuple[str, type[Model]], list[tuple[int, list[Any], Any]]] = {}


def _converters(
    connection: BaseDatabaseWrapper, model: type[Model]
) -> list[tuple[int, list[Any], Any]]:
    key = (connection.alias, model)
    if key not in _CONVERTERS:
        found = []
        for i, field in enumerate(model._meta.concrete_fields):
            col = field.get_col(model._meta.db_table)
            funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if funcs:
                found.append((i, funcs, col))
        _CONVERTERS[key] = found
    return _CONVERTERS[key]


def fetch_instances(
    model: type[Model],
    sql: str,
    params: Sequence[Any],
    *,
    related: Sequence[str] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> list[tuple[Model, tuple[Any, ...]]]:
    """Run ``sql`` whose first columns are ``select_columns(model, …)``, then those of each
    foreign key in ``related`` (as ``select_related`` would, NULLs when there is none); each
    row becomes an instance of ``model`` as the ORM would load it, with those related objects
    in place, and the tuple of the remaining columns."""
    connection = connections[using]
    parts: list[tuple[type[Model], str]] = [(model, "")]
    for name in related:
        target = model._meta.get_field(name).related_model
        assert isinstance(target, type) and issubclass(target, Model)
        parts.append((target, name))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result = []
    for row in rows:
        start, loaded = 0, list[Model | None]()
        for part, _name in parts:
            fields = part._meta.concrete_fields
            values = list(row[start : start + len(fields)])
            start += len(fields)
            if _name and values[0] is None:
                loaded.append(None)
                continue
            for i, funcs, col in _converters(connection, part):
                for func in funcs:
                    values[i] = func(values[i], col, connection)
            loaded.append(part.from_db(using, [f.attname for f in fields], values))
        instance = loaded[0]
        assert instance is not None
        for (_part, name), obj in zip(parts[1:], loaded[1:], strict=True):
            model._meta.get_field(name).set_cached_value(instance, obj)  # type: ignore[union-attr]
        result.append((instance, tuple(row[start:])))
    return result
