"""Queries compiled once by the ORM and run with each call's values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

# Every SQL text built below pastes only identifiers from NAME_INDEXES (app constants) or SQL the
# ORM compiled with its parameters kept apart; values always travel as parameters (hence the
# ``noqa: S608``).


class CompiledQuery:
    """A read of fixed shape that the ORM compiles once per database, then runs with new values
    (the rows of ``values_list``, with the ORM's converters applied): for the reads a public
    endpoint makes on every call, where compiling costs more than answering (the name check).

    ``build(**values)`` returns the queryset. Each value must reach the SQL as one parameter,
    unchanged (an equality, not ``startswith``): the first compilation passes marker values and
    finds each of them among the parameters, else raises ``ValueError``. Other parameters of
    the query (constants) are kept as compiled. The shape may depend on which values are given
    (each set of names is compiled once), never on the values themselves."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        key = (using, tuple(sorted(values)))
        compiled = self._compiled.get(key) or self._compile(using, values)
        connection = connections[using]
        params = [
            values[slot] if slot is not None else constant for slot, constant in compiled.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        return [compiled.convert(row, connection) for row in rows]

    def _compile(self, using: str, values: dict[str, Any]) -> _Compiled:
        markers = {name: _marker(i, value) for i, (name, value) in enumerate(values.items())}
        queryset = self.build(**markers).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = {marker: name for name, marker in markers.items()}
        bound = [(slots.get(p), None if p in slots else p) for p in params]
        missing = set(markers) - {slot for slot, _ in bound}
        if missing:
            raise ValueError(f"values that do not reach the SQL unchanged: {sorted(missing)}")
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        compiled = _Compiled(sql, bound, converters)
        self._compiled[(using, tuple(sorted(values)))] = compiled
        return compiled


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list[tuple[str | None, Any]]
    converters: dict[int, tuple[list[Any], Any]]

    def convert(self, row: tuple[Any, ...], connection: BaseDatabaseWrapper) -> tuple[Any, ...]:
        values = list(row)
        for i, (funcs, expression) in self.converters.items():
            for func in funcs:
                values[i] = func(values[i], expression, connection)
        return tuple(values)


def _marker(i: int, value: Any) -> Any:
    """A value that no query holds, of the type of ``value``."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"only str and int values can be bound, not {type(value).__name__}")
    return -(10**15) - i if isinstance(value, int) else f"\x00marker{i}\x00"
