"""Capped and ordered reads: one read gives the capped count and the first page, chosen by the share of names the query matches (see the package's docstring)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Lookup, Model, QuerySet, Value
from django.db.models.expressions import Col, RawSQL
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND, WhereNode

from socorg.core.db.names import (
    _PG_READ_FUNCTIONS,
    _WALK_FORM,
    NameIndex,
    _Contains,
    _Match,
    _name_index,
    fold,
)

# Every SQL text built below pastes only identifiers from NAME_INDEXES (app constants) or SQL the
# ORM compiled with its parameters kept apart; values always travel as parameters (hence the
# ``noqa: S608``).

# --- Capped and ordered reads (PostgreSQL at scale) ------------------------------------------
#
# A list shows the first page of a result sorted by name and a count capped at 10,000. With a
# LIMIT, PostgreSQL's planner bets that matching rows are spread evenly along whatever it scans
# (the name index, the table) and stops early. In a registry the bet is often lost: names start
# with their region (日照市…, 莒县…), so a district's organizations, or a word found only in
# city-level names, sit in one stretch of the name index, and a query that matches few or late
# rows reads the whole table. The functions below choose the read themselves, by the share of
# names the query matches, and keep every read bounded.


class SearchPlan(StrEnum):
    """How :func:`bounded_ordered` reads a result."""

    # Through the GIN index, straight to the matching rows: the keys of up to cap + 1 of them
    # (sorted when they are all). Its cost grows with the number of matches.
    INDEX = "index"
    # Along a btree in the result's order (name, id), the conditions evaluated on the index
    # entries without reading the table, stopping at cap + 1 matches. Its cost grows with the
    # entries passed: small when the query matches a large share of them.
    WALK = "walk"


# What reading one table row through the GIN index costs (finding it in the index, reading
# its page, checking it), in entries of a walk: measured at a million organizations, about
# 1.5 µs against 0.15 µs.
ROW_COST = 10
# A walk's length is an expectation for matches spread evenly along the index, and names are
# not (regions, brand names in 字号 order): its cost counts half as much again. A GIN read's
# cost depends on the matches alone.
WALK_RISK = 1.5


def choose_plan(*, matches: float, walked: float, cap: int) -> SearchPlan:
    """The read for a result of at most about ``matches`` rows (the planner's estimate for
    the rarest condition) among the ``walked`` rows a walk passes along (the table, or the
    jurisdictions the result can lie in), whichever reads less.

    A walk expects to read ``(cap + 1) * walked / matches`` index entries before it has counted
    past the cap, and never more than ``walked`` (counted ``WALK_RISK`` times). The GIN read
    finds every match in the index and reads up to ``cap + 1`` of them in the table, each worth
    ``ROW_COST`` entries. So a query matching a large share of the names (over 8 % of a
    million) is walked in name order, a rare one read through the GIN index."""
    entries = walked if matches <= 0 else min(walked, (cap + 1) * walked / matches)
    index = matches + ROW_COST * min(matches, cap + 1)
    return SearchPlan.WALK if WALK_RISK * entries <= index else SearchPlan.INDEX


def search_plan(qs: QuerySet) -> SearchPlan | None:
    """The plan :func:`bounded_ordered` chose for this queryset (``None``: not made by it, or
    not on PostgreSQL)."""
    known = _known(qs)
    return known.plan if known else None


@dataclass(frozen=True)
class _Known:
    """What the first read found for exactly this query (``sql``, ``params``, in ``order``),
    through ``plan``: ``count`` rows (``limit`` or more when ``count == limit``) and, when
    known, the keys of the first of them in order (all of them when ``count < limit``)."""

    sql: str
    params: tuple[Any, ...]
    order: tuple[str, ...]
    plan: SearchPlan
    count: int
    limit: int
    keys: tuple[Any, ...] | None = None

    def serves(self, stop: int) -> bool:
        """Whether the keys of the rows before ``stop`` are known."""
        return self.keys is not None and (stop <= len(self.keys) or self.count < self.limit)


@dataclass(frozen=True)
class _Walk:
    """How rows in ``order`` (name, id) are read along a btree: the name-order index of the
    whole table, or, when the rows can only have one of ``values`` of ``field`` (the
    jurisdictions of a district), one range of the btree (``field``, name, id) per value,
    merged. ``covered``: the index entries hold every column the conditions name, so the walk
    reads no table page."""

    index: NameIndex
    order: tuple[str, ...]
    field: str = ""
    values: tuple[Any, ...] = ()
    covered: bool = False

    def read(self, qs: QuerySet, limit: int) -> tuple[int, tuple[Any, ...] | None]:
        """``(min(count, limit), keys)``: the keys of the first rows in order (along the name
        order, as many as were read; range by range, all of them when fewer than ``limit``)."""
        if not self.field:
            keys = self.keys(qs, limit)
            return len(keys), tuple(keys)
        fields = [f.lstrip("-") for f in self.order]
        inner, params = _compile(self._part(qs).values_list("pk", *fields)[:limit], walk=True)
        columns = ", ".join(["pk", *(f"o{i}" for i in range(len(fields)))])
        # ``inner`` is ORM-compiled SQL with its parameters kept apart; no input is pasted.
        rows = (
            "SELECT part.* FROM unnest(%s) AS split(value) "  # noqa: S608
            f"CROSS JOIN LATERAL ({inner}) AS part({columns}) LIMIT %s"
        )
        sql = _count_and_keys(rows, _order_by(qs, self.order))
        result = _pg_walk(qs.db, sql, [list(self.values), *params, limit, limit])
        return _counted(result[0], limit)

    def keys(self, qs: QuerySet, stop: int) -> list[Any]:
        """The keys of the first ``stop`` rows of ``qs`` in ``order``."""
        if not self.field:
            sql, params = _compile(qs.order_by(*self.order).values_list("pk")[:stop], walk=True)
            return [row[0] for row in _pg_walk(qs.db, sql, params)]
        fields = [f.lstrip("-") for f in self.order]
        inner, params = _compile(self._part(qs).values_list("pk", *fields)[:stop], walk=True)
        columns = ", ".join(f"o{i}" for i in range(len(fields)))
        # ``inner`` is ORM-compiled SQL with its parameters kept apart; no input is pasted.
        sql = (
            "SELECT pk FROM unnest(%s) AS split(value) "  # noqa: S608
            f"CROSS JOIN LATERAL ({inner}) AS part(pk, {columns}) "
            f"ORDER BY {_order_by(qs, self.order)} LIMIT %s"
        )
        return [row[0] for row in _pg_walk(qs.db, sql, [list(self.values), *params, stop])]

    def _part(self, qs: QuerySet) -> QuerySet:
        """The rows of one value of ``field`` (``split.value``), in order: one index range."""
        return qs.filter(**{self.field: RawSQL("split.value", [])}).order_by(*self.order)


_KNOWN = "socorg_known"
_WALK = "socorg_walk"


def count_up_to(qs: QuerySet, limit: int) -> int:
    """``min(qs.count(), limit)``, reading at most ``limit`` rows."""
    if connections[qs.db].vendor != "postgresql":
        return qs.order_by()[:limit].count()
    known = _known(qs)
    if known and (known.count < known.limit or limit <= known.limit):
        return min(known.count, limit)
    rows = _pg_capped(qs, ["pk"], "SELECT count(*) FROM (SELECT 1 FROM m LIMIT %s) c", limit)
    return int(rows[0][0]) if rows else 0


def bounded_ordered(qs: QuerySet, *, cap: int, plan: SearchPlan | None = None) -> QuerySet:
    """``qs`` (ordered), the same rows, made cheap to page and to count up to ``cap``.

    PostgreSQL only (elsewhere ``qs`` itself). One read, chosen by :func:`choose_plan` (or
    ``plan``), counts up to ``cap + 1`` matching rows; the capped count of the returned
    queryset is then known, and so are the keys of the first rows when that read found them
    in order (a walk of the name-order index; the GIN read when at most ``cap`` match), so a
    slice among them fetches just its rows by key. Any other slice in name order is read by a
    walk: along the name-order index or, when a condition keeps the rows to a few values of a
    field with a btree (field, name, id) (a district's jurisdictions), merged from one range of
    that btree per value, each stopping after as many rows as the slice needs."""
    if connections[qs.db].vendor != "postgresql":
        return qs
    order = _order(qs)
    hints = {key: v for key, v in _hints(qs).items() if key not in (_KNOWN, _WALK)}
    bounded = _BoundedQuerySet(qs.model, qs.query.chain(), qs.db, hints)
    sql, params = _fingerprint(bounded)
    walk = None
    if not sql:  # matches nothing (an empty ``__in``, ``none()``)
        known = _Known(sql, params, order, SearchPlan.INDEX, 0, cap + 1, ())
    else:
        walk, known = _first_read(qs, order, cap, plan, (sql, params))
    _hints(bounded)[_KNOWN] = known
    if walk:
        _hints(bounded)[_WALK] = walk
    return bounded


def _first_read(
    qs: QuerySet,
    order: tuple[str, ...],
    cap: int,
    plan: SearchPlan | None,
    fingerprint: tuple[str, tuple[Any, ...]],
) -> tuple[_Walk | None, _Known]:
    walk, option = _walk(qs, order)
    if walk is not None and walk.field and not walk.values:
        # The term occurs in none of the jurisdictions the rows can lie in.
        return walk, _Known(*fingerprint, order, SearchPlan.WALK, 0, cap + 1, ())
    estimates = None
    if walk is not None and (plan is None or option is not None):
        estimates = _estimates(qs, [walk] if option is None else [walk, option])
    if walk is not None and estimates is not None:
        walked = estimates.walked[0]
        if option is not None and estimates.walked[1] <= walked / 2:
            walk, walked = option, estimates.walked[1]
        if plan is None and walk.covered:
            plan = _choose(qs, estimates, walked, cap)
    if walk is not None and plan is SearchPlan.WALK:
        count, keys = walk.read(qs, cap + 1)
    else:
        plan = SearchPlan.INDEX
        count, keys = _pks_in_order(qs, order, cap + 1)
    return walk, _Known(*fingerprint, order, plan, count, cap + 1, keys)


def _choose(qs: QuerySet, estimates: _Estimates, walked: float, cap: int) -> SearchPlan:
    """The plan for the planner's estimate of the matches, if the rarest condition's rows lead
    to the same; else the conditions are correlated enough to matter, and a sample of the
    table says how many rows they match together."""
    plan = choose_plan(matches=estimates.matches, walked=walked, cap=cap)
    if plan is choose_plan(matches=estimates.matches_at_most, walked=walked, cap=cap):
        return plan
    matches = _sampled_matches(qs, estimates.table)
    return choose_plan(matches=matches, walked=walked, cap=cap)


class _BoundedQuerySet(QuerySet):
    """A queryset made by :func:`bounded_ordered`: slices in its own order are served from the
    keys its first read found or by a walk (see there)."""

    def __getitem__(self, k: Any) -> Any:
        if not (isinstance(k, slice) and k.stop is not None and self._result_cache is None):
            return super().__getitem__(k)
        if k.step is not None or (k.start or 0) < 0 or k.stop < 0:
            return super().__getitem__(k)
        known, walk = _known(self), _hints(self).get(_WALK)
        if known is None or known.order != _order(self) or not known.order:
            return super().__getitem__(k)
        if known.serves(k.stop):
            keys = list(known.keys[k]) if known.keys is not None else []
        elif walk is not None and (walk.field or walk.covered):
            keys = walk.keys(self._plain(), k.stop)[k.start or 0 :]
        else:
            return super().__getitem__(k)
        if not keys:
            return self._plain().none()
        # The conditions stay: a row changed since the keys were read drops out of the page.
        return self._plain().filter(_pk_any(keys))

    def _plain(self) -> QuerySet:
        hints = {key: v for key, v in _hints(self).items() if key not in (_KNOWN, _WALK)}
        return QuerySet(self.model, self.query.chain(), self.db, hints)


# Values a walk is split into at most: one index range (a LATERAL subquery) each.
SPLIT_MAX = 100


def _walk(qs: QuerySet, order: tuple[str, ...]) -> tuple[_Walk | None, _Walk | None]:
    """The walk that reads ``qs`` in ``order``, if a btree serves that order, and another one
    worth estimating. The walk: along (field, name, id) when a condition of ``qs`` keeps the
    rows to a few values of such a field (a district's jurisdictions, a supervisory unit),
    without the values whose names cannot contain the term (``grams_within``); else along the
    name-order index. The other: along (jurisdiction, name, id) over the jurisdictions whose
    names can contain the term, when no condition names them (日照市 city-wide)."""
    index = _order_index(qs.model, order)
    if index is None:
        return None, None
    columns = {index.column, "id", *index.filters}
    split = _split(qs, index)
    candidates = _grams_candidates(qs, index)
    if split:
        field, values = split
        if candidates and candidates[0] == field:
            values = tuple(v for v in values if v in candidates[1])
        covered = field in index.covered_within and _covered(qs, columns | {field})
        return _Walk(index, order, field, values, covered), None
    if candidates and len(candidates[1]) <= SPLIT_MAX:
        field, values = candidates[0], tuple(sorted(candidates[1]))
        covered = field in index.covered_within and _covered(qs, columns | {field})
        option = _Walk(index, order, field, values, covered)
        if not index.name_order or not values:
            return option, None
        return _Walk(index, order, covered=_covered(qs, columns)), option
    if index.name_order:
        return _Walk(index, order, covered=_covered(qs, columns)), None
    return None, None


def _split(qs: QuerySet, index: NameIndex) -> tuple[str, tuple[Any, ...]] | None:
    """``(field, values)`` of the condition ``field IN values`` (or ``=``) of ``qs`` that best
    splits a walk: on a field with a btree (field, name, id), at most ``SPLIT_MAX`` values, the
    covering btree first, then the fewest values."""
    table, found = qs.model._meta.db_table, []
    for leaf in _conjuncts(qs):
        if not isinstance(leaf, In | Exact) or hasattr(leaf.rhs, "resolve_expression"):
            continue
        column = leaf.lhs
        if not (isinstance(column, Col) and column.alias == table):
            continue
        field = column.target.column
        if field in (*index.covered_within, *index.sorted_within):
            values = tuple(dict.fromkeys(leaf.rhs)) if isinstance(leaf, In) else (leaf.rhs,)
            if len(values) <= SPLIT_MAX:
                found.append((field not in index.covered_within, len(values), field, values))
    return min(found)[2:] if found else None


def _conjuncts(qs: QuerySet) -> list[Any]:
    """The conditions that every row of ``qs`` meets (the top-level ANDs)."""
    where = qs.query.where
    return [] if where.connector != AND or where.negated else list(where.children)


def _grams_candidates(qs: QuerySet, index: NameIndex) -> tuple[str, set[Any]] | None:
    """``(field, values)``: the values of the first ``grams_within`` field whose names contain
    every character and 2-character substring of the terms ``qs`` searches for; the others
    have no match. ``None`` when ``qs`` searches no term or no such field is kept."""
    terms = [
        leaf.lhs.term
        for leaf in _conjuncts(qs)
        if isinstance(leaf, Lookup)
        and isinstance(leaf.lhs, _Contains)
        and leaf.lhs.get_source_expressions()[0].target.column == index.column
    ]
    if not terms or not index.grams_within:
        return None
    grams: set[str] = set()
    for term in map(fold, terms):
        grams |= {term} if len(term) == 1 else {term[i : i + 2] for i in range(len(term) - 1)}
    field = index.grams_within[0]
    # Identifiers come from NAME_INDEXES, never from input; the grams are a parameter.
    sql = (
        f"SELECT {field} FROM {index.grams_table(field)} WHERE gram = ANY(%s) "  # noqa: S608
        f"GROUP BY {field} HAVING count(*) = %s"
    )
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, [sorted(grams), len(grams)])
        return field, {row[0] for row in cursor.fetchall()}


def _order_index(model: type[Model], order: tuple[str, ...]) -> NameIndex | None:
    """The name index whose column ``order`` sorts by, then by key, in either direction."""
    if len(order) != 2:
        return None
    first, second = order
    sign = "-" if first.startswith("-") else ""
    if second not in (f"{sign}id", f"{sign}pk"):
        return None
    return _name_index(model, first.lstrip("-"))


def _covered(qs: QuerySet, columns: set[str]) -> bool:
    """Whether every condition of ``qs`` compares a column of its own table among ``columns``
    with plain values (or is a name search), so that an index holding them answers it."""
    table = qs.model._meta.db_table
    for leaf in _leaves(qs.query.where):
        if not isinstance(leaf, Lookup) or hasattr(leaf.rhs, "resolve_expression"):
            return False
        column = leaf.lhs
        if isinstance(column, _Contains):  # filter(expression) is ``expression = true``
            column = column.get_source_expressions()[0]
        if not (isinstance(column, Col) and column.alias == table):
            return False
        if column.target.column not in columns:
            return False
    return True


def _leaves(node: Any) -> Iterator[Any]:
    """The conditions of a WHERE tree, whatever its ANDs, ORs and NOTs."""
    for child in node.children:
        if isinstance(child, WhereNode):
            yield from _leaves(child)
        else:
            yield child


@dataclass(frozen=True)
class _Estimates:
    # Rows of the query: as the planner multiplies the shares of its conditions (as if they
    # were independent), and as many as its rarest condition has (whatever their correlation).
    matches: float
    matches_at_most: float
    walked: list[float]  # rows each walk passes along
    table: float  # rows of the table


def _estimates(qs: QuerySet, walks: list[_Walk]) -> _Estimates | None:
    """The planner's estimates (one EXPLAIN, no execution) of the rows of ``qs``, of the rows
    of its rarest condition, of the rows each walk passes along (the values it is split into,
    or the whole table) and of the table's."""
    conjuncts = _conjuncts(qs)
    parts = [_compile(qs.order_by().values_list("pk"))]
    for conjunct in conjuncts if len(conjuncts) > 1 else []:
        part = qs.order_by().values_list("pk")
        part.query.where = WhereNode([conjunct], AND)
        parts.append(_compile(part))
    conditions = len(parts)
    table = qs.model._default_manager.using(qs.db).all()
    for walk in walks:
        rows = table.filter(**{f"{walk.field}__in": walk.values}) if walk.field else table
        parts.append(_compile(rows.order_by().values_list("pk")))
    parts.append(_compile(table.order_by().values_list("pk")))
    # Every text is ORM-compiled SQL with its parameters kept apart; no input is pasted.
    union = " UNION ALL ".join(
        f"SELECT 1 FROM ({part}) p{i}"  # noqa: S608
        for i, (part, _) in enumerate(parts)
    )
    sql = f"EXPLAIN (FORMAT JSON) {union}"
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, [param for _, params in parts for param in params])
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    rows = [float(part["Plan Rows"]) for part in plan[0]["Plan"].get("Plans", [])]
    if len(rows) != len(parts):  # a plan not shaped as expected: no estimate
        return None
    return _Estimates(
        matches=rows[0],
        matches_at_most=min(rows[1:conditions] or rows[:1]),
        walked=rows[conditions:-1],
        table=rows[-1],
    )


# Rows a sample of the table reads (TABLESAMPLE SYSTEM: whole pages, about 2 ms).
SAMPLE_ROWS = 5_000


def _sampled_matches(qs: QuerySet, table_rows: float) -> float:
    """The rows of ``qs``, estimated by evaluating its conditions on a sample of the table's
    pages (the same pages every time): what correlated conditions really match."""
    percent = min(100.0, 100.0 * SAMPLE_ROWS / max(table_rows, 1.0))
    sql, params = _compile(qs.order_by().values_list("pk"))
    table = connections[qs.db].ops.quote_name(qs.model._meta.db_table)
    sampled = f"FROM {table} TABLESAMPLE SYSTEM (%s) REPEATABLE (0)"
    if f"FROM {table}" not in sql:
        return 0.0
    sql = sql.replace(f"FROM {table}", sampled, 1)
    # ``sql`` is ORM-compiled SQL with its parameters kept apart; no input is pasted.
    count = f"SELECT count(*), (SELECT count(*) {sampled}) FROM ({sql}) s"  # noqa: S608
    with connections[qs.db].cursor() as cursor:
        cursor.execute(count, [percent, percent, *params])
        hits, rows = cursor.fetchone()
    return hits / rows * table_rows if rows else 0.0


def _pg_walk(using: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of a walk's ``sql``, run by ``socorg_walk``."""
    return _pg_read(using, "walk", sql, params)


_READ_CALLS = {name: f"SELECT socorg_{name}(%s)" for name in _PG_READ_FUNCTIONS}


def _pg_read(using: str, read: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql``, run by ``socorg_<read>`` (one round trip)."""
    conn = connections[using]
    with conn.cursor() as cursor:
        query = conn.ops.compose_sql(sql, params)  # type: ignore[attr-defined]  # PostgreSQL's
        cursor.execute(_READ_CALLS[read], [query])
        rows = cursor.fetchone()[0]
    if isinstance(rows, str):
        rows = json.loads(rows)
    return [tuple(row.values()) for row in rows]


def _compile(qs: QuerySet, *, walk: bool = False) -> tuple[str, list[Any]]:
    """``qs``'s SQL and parameters; with ``walk``, name searches in their walk form."""
    compiler = qs.query.get_compiler(using=qs.db)
    setattr(compiler, _WALK_FORM, walk)
    sql, params = compiler.as_sql()
    return sql, list(params)


def _hints(qs: QuerySet) -> dict[str, Any]:
    """The queryset's hints, which every clone shares and passes on (Django keeps them for
    database routers; unknown keys are ignored there)."""
    return qs._hints  # type: ignore[attr-defined]


def _pk_any(pks: list[Any]) -> _Match:
    """``pk = ANY(%s)``: one array parameter; ``pk__in`` would build thousands of placeholders."""
    return _Match(F("pk"), Value(pks), template="{col} = ANY({value})")


def _order(qs: QuerySet) -> tuple[str, ...]:
    """The queryset's explicit order if it names fields only (else ``()``: no shortcut)."""
    names = [f for f in qs.query.order_by if isinstance(f, str) and f != "?"]
    return tuple(names) if len(names) == len(qs.query.order_by) else ()


def _known(qs: QuerySet) -> _Known | None:
    """The first read of this very query, if :func:`bounded_ordered` made one (a queryset
    filtered further compiles to other SQL and is read afresh)."""
    known = _hints(qs).get(_KNOWN)
    return known if known and _fingerprint(qs) == (known.sql, known.params) else None


def _fingerprint(qs: QuerySet) -> tuple[str, tuple[Any, ...]]:
    try:
        sql, params = qs.order_by().values_list("pk").query.sql_with_params()
    except EmptyResultSet:
        return "", ()
    return sql, tuple(params)


def _count_and_keys(rows: str, order_by: str) -> str:
    """SQL returning the count of ``rows`` (SQL of at most ``limit`` rows ``(pk, o0, o1, …)``
    ending with a ``LIMIT %s``) and, when fewer than ``limit`` (the last parameter), their keys
    sorted by ``order_by`` (else an empty array: no sort of rows that are not all the result)."""
    return (
        f"WITH c AS MATERIALIZED ({rows}) SELECT (SELECT count(*) FROM c), "  # noqa: S608
        f"ARRAY(SELECT pk FROM c WHERE (SELECT count(*) FROM c) < %s ORDER BY {order_by})"
    )


def _order_by(qs: QuerySet, order: tuple[str, ...]) -> str:
    """``ORDER BY`` of columns ``o0, o1, …`` holding the fields of ``order``. Text in byte
    order when that is the database's collation (see ``_byte_order``)."""
    byte_order = _byte_order(qs.db)
    terms = []
    for i, name in enumerate(order):
        meta, attname = qs.model._meta, name.lstrip("-")
        field = meta.pk if attname == "pk" else meta.get_field(attname)
        text = byte_order and field.get_internal_type() in ("CharField", "TextField")
        collate = ' COLLATE "C"' if text else ""
        terms.append(f"o{i}{collate} {'DESC' if name.startswith('-') else 'ASC'}")
    return ", ".join(terms)


def _counted(row: tuple[Any, ...], limit: int) -> tuple[int, tuple[Any, ...] | None]:
    count, keys = int(row[0]), row[1]
    return count, (tuple(keys) if count < limit else None)


def _pks_in_order(
    qs: QuerySet, order: tuple[str, ...], limit: int
) -> tuple[int, tuple[Any, ...] | None]:
    """``(min(count, limit), keys)`` through bitmap scans (``socorg_bitmap``: the GIN index,
    which goes to every match before the LIMIT applies, so there is no bet on it); when fewer
    than ``limit`` match, their keys sorted by ``order`` (the sort then costs little, and the
    database's collation decides it)."""
    fields = [f.lstrip("-") for f in order]
    try:
        inner, params = _compile(qs.order_by().values_list("pk", *fields))
    except EmptyResultSet:
        return 0, ()
    columns = ", ".join(["pk", *(f"o{i}" for i in range(len(fields)))])
    # ``inner`` is ORM-compiled SQL with its parameters kept apart; no input is pasted.
    rows = f"SELECT * FROM ({inner}) AS m({columns}) LIMIT %s"  # noqa: S608
    if not order:
        sql = f"SELECT count(*), NULL FROM ({rows}) c"  # noqa: S608
        return int(_pg_read(qs.db, "bitmap", sql, [*params, limit])[0][0]), None
    sql = _count_and_keys(rows, _order_by(qs, order))
    return _counted(_pg_read(qs.db, "bitmap", sql, [*params, limit, limit])[0], limit)


_BYTE_ORDER: dict[tuple[str, str], bool] = {}


def _byte_order(using: str) -> bool:
    """Whether the database sorts text by its bytes (collation C, POSIX or C.UTF-8: code point
    order, which is UTF-8 byte order). Its sorts then use ``COLLATE "C"``, the same order
    compared by ``memcmp``, several times faster than through the C library."""
    conn = connections[using]
    key = (using, str(conn.settings_dict["NAME"]))
    if key not in _BYTE_ORDER:
        with conn.cursor() as cursor:
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            collate = cursor.fetchone()[0]
        _BYTE_ORDER[key] = collate in ("C", "POSIX", "C.UTF-8", "C.utf8")
    return _BYTE_ORDER[key]


def _pg_capped(qs: QuerySet, fields: list[str], outer: str, limit: int) -> list[tuple[Any, ...]]:
    """Run ``outer`` over ``m(pk, o0, o1, …)``, the ``fields`` of the rows of ``qs``.

    With several conditions, the rows come from a MATERIALIZED CTE, which the planner plans for
    all the matching rows (it cannot bet on a LIMIT) while execution still stops as soon as
    ``outer`` has enough. A single condition has nothing to be correlated with: an inlined CTE
    lets a frequent word stop a sequential scan early."""
    try:
        inner, params = qs.order_by().values_list(*fields).query.sql_with_params()
    except EmptyResultSet:
        return []
    columns = ", ".join(["pk", *(f"o{i}" for i in range(len(fields) - 1))])
    many = len(qs.query.where.children) > 1
    cte = f"WITH m({columns}) AS {'MATERIALIZED' if many else 'NOT MATERIALIZED'}"
    # ``inner`` is ORM-compiled SQL with its parameters kept apart; no input is pasted.
    sql = f"{cte} ({inner}) {outer}"
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return list(cursor.fetchall())
