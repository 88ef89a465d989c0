"""The one seam for database-specific features, with an SQLite equivalent for each.

Substring search on names (``name_contains``)
---------------------------------------------
Meaning, identical on both backends: the name contains the term; the Latin letters A-Z match
either case (SQLite's LIKE semantics), every other character matches only itself.

=========  =================================================  ==================================
term       PostgreSQL                                         SQLite
=========  =================================================  ==================================
3+ chars   ``LIKE`` served by a pg_trgm GIN index             FTS5 trigram index (external
                                                              content, kept in sync by triggers)
                                                              narrowed by ``LIKE``
1-2 chars  ``@@`` on a hidden tsvector column of the name's   ``LIKE``
           2-grams and last character (GIN, exact)
=========  =================================================  ==================================

pg_trgm needs three characters, and Chinese names are searched by one or two all the time
(协会, 幼儿), hence the n-gram column; a trigger fills it and the ORM does not know it. The
indexes exist only for the columns in ``NAME_INDEXES`` (created by a migration through
:func:`create_name_index`); any other field gets the same meaning from a plain LIKE.

Capped and ordered reads (``count_up_to``, ``bounded_ordered``)
--------------------------------------------------------------
A list shows a first page sorted by name and a count capped at 10,000. On PostgreSQL at scale
one read answers both, chosen by the share of names the query matches (``choose_plan``): a
frequent term is walked in name order along a btree that holds the name and the filters
(index-only, stopping after 10,001 matches), a rare one read through the GIN index, and a
table of the n-grams found in each jurisdiction's names skips the jurisdictions that cannot
match (see the section below and benchmarks/README.md). On SQLite they are the plain queries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from string import ascii_letters, ascii_lowercase, ascii_uppercase
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import BooleanField, F, Func, Lookup, Model, QuerySet, Value
from django.db.models.expressions import Col, RawSQL
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND, WhereNode

# Every SQL text built below pastes only identifiers from NAME_INDEXES (app constants) or SQL the
# ORM compiled with its parameters kept apart; values always travel as parameters (hence the
# ``noqa: S608``).
TRIGRAM = 3
_ASCII_FOLD = str.maketrans(ascii_uppercase, ascii_lowercase)
_PG_FOLD = f"translate({{}}, '{ascii_uppercase}', '{ascii_lowercase}')"


@dataclass(frozen=True)
class NameIndex:
    """A name column searched by substring. On PostgreSQL the GIN index also holds the
    ``filters`` columns (btree_gin), so that a name condition and the filters of a search are
    intersected inside one index whatever their correlation."""

    table: str
    column: str
    filters: tuple[str, ...] = ()
    # Columns whose values cluster along the name index (names start with their region; a
    # supervisory unit's organizations are all city-level, 日照市…): a btree (column, name, id)
    # serves a page of one value in name order (see ``bounded_ordered``).
    sorted_within: tuple[str, ...] = ()
    # The same, also holding the other filters (INCLUDE), and the n-gram column unless walks
    # test the name itself (``name_order``): a district's searches and counts then read that
    # index alone, not the table.
    covered_within: tuple[str, ...] = ()
    # A btree (name, id) INCLUDE (filters): a search in name order of the whole table walks it
    # without reading the table (see ``bounded_ordered``).
    name_order: bool = False
    # For each value of these columns, the characters and 2-character substrings its names
    # contain (a table kept by triggers; a superset: nothing is removed). A search then walks
    # only the values whose names can contain the term: 日照市 lies in the city's own
    # organizations, none of a district's.
    grams_within: tuple[str, ...] = ()

    def grams_table(self, field: str) -> str:
        return f"{self.prefix}_grams_by_{field}"

    @property
    def prefix(self) -> str:
        return f"{self.table}_{self.column}"

    @property
    def fts(self) -> str:
        return f"{self.prefix}_fts"


# The name indexes the apps declare (``register_name_index``): substring search uses them, and
# ``repair_name_indexes`` restores their SQLite triggers after a migration.
NAME_INDEXES: set[NameIndex] = set()


def register_name_index(index: NameIndex) -> NameIndex:
    """Declare a name column searched through its index; call at import of the app's models."""
    NAME_INDEXES.add(index)
    return index


def fold(term: str) -> str:
    """The case folding of the search: A-Z to a-z, nothing else."""
    return term.translate(_ASCII_FOLD)


def name_contains(qs: QuerySet, field: str, term: str) -> QuerySet:
    """Rows whose ``field`` contains ``term`` (see the module docstring for the meaning)."""
    if not term:
        return qs
    conn = connections[qs.db]
    index = _name_index(qs.model, field)
    if conn.vendor == "postgresql":
        return _pg_contains(qs, field, term, index)
    qs = qs.filter(**{f"{field}__contains": term})
    if conn.vendor == "sqlite" and index and len(term) >= TRIGRAM and _fts_ready(conn, index):
        qs = qs.filter(pk__in=_fts_match(index, term))
    return qs


def _name_index(model: type[Model], field: str) -> NameIndex | None:
    if "__" in field:
        return None
    key = (model._meta.db_table, model._meta.get_field(field).column)  # type: ignore[union-attr]
    return next((i for i in NAME_INDEXES if (i.table, i.column) == key), None)


# --- PostgreSQL -------------------------------------------------------------------------------


class _Match(Func):
    """``<column expression> <operator> <value>``, written the way an index holds it. The
    template may name ``{col}``, the column, and ``{value}``."""

    output_field = BooleanField()

    def __init__(self, column: F, value: Value, *, template: str) -> None:
        super().__init__(column, value)
        self.match_template = template

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, value = self.get_source_expressions()
        col_sql, col_params = compiler.compile(column)
        val_sql, val_params = compiler.compile(value)
        sql = self.match_template.format(col=col_sql, value=val_sql)
        return sql, [*col_params, *val_params]


GRAMS_SUFFIX = "_grams"
# Set on a SQL compiler: its ``_Contains`` conditions are written for a walk of a btree that
# holds the name (``name LIKE …``, evaluated on the index entry) instead of for the GIN index.
_WALK_FORM = "socorg_walk_form"


class _Contains(Func):
    """The column contains ``term`` (meaning: see the module docstring), written for the read
    that runs it. Through the GIN index: for 1-2 characters the hidden n-gram column (``@@``,
    exact), else ``LIKE`` (``ILIKE`` as well when the term has Latin letters, which pg_trgm
    serves; the folded ``LIKE`` keeps the meaning exact). In a walk of a btree holding the name
    (``_WALK_FORM``): one ``LIKE`` on the name, which the index entry answers."""

    output_field = BooleanField()

    def __init__(self, column: F, term: str, *, grams: bool) -> None:
        super().__init__(column)
        self.term = term
        self.grams = grams

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        (column,) = self.get_source_expressions()
        col, params = compiler.compile(column)
        latin = any(c in ascii_letters for c in self.term)
        folded = _PG_FOLD.format(col) if latin else col
        like = "%" + _escape_like(fold(self.term)) + "%"
        if getattr(compiler, _WALK_FORM, False):
            return f"{folded} LIKE %s", [*params, like]
        if self.grams:
            # Exact: the n-gram column holds every 2-character substring of the name and its
            # last character, so a character occurs iff some lexeme starts with it.
            star = ":*" if len(self.term) == 1 else ""
            query = " | ".join(_tsquery_lexeme(v) + star for v in _case_variants(self.term))
            quote = connection.ops.quote_name
            grams = f"{quote(column.alias)}.{quote(column.target.column + GRAMS_SUFFIX)}"
            return f"{grams} @@ (%s)::tsquery", [query]
        if not latin:
            return f"{col} LIKE %s", [*params, like]
        pattern = "%" + _escape_like(self.term) + "%"
        return f"({col} ILIKE %s AND {folded} LIKE %s)", [*params, pattern, *params, like]


def _pg_contains(qs: QuerySet, field: str, term: str, index: NameIndex | None) -> QuerySet:
    return qs.filter(_Contains(F(field), term, grams=bool(index) and len(term) < TRIGRAM))


def _case_variants(term: str) -> list[str]:
    variants = [""]
    for char in term:
        cases = sorted({char.lower(), char.upper()}) if char in ascii_letters else [char]
        variants = [v + c for v in variants for c in cases]
    return variants


def _tsquery_lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The 2-character substrings of a name and its last character, as the lexemes of a tsvector
# (GIN builds and answers faster on tsvector lexemes than on text[] elements). The pairs at odd
# and at even offsets are split off by two regular expressions; \x01 separates them (it does
# not occur in names).
_PG_GRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION socorg_name_grams(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array_remove(string_to_array(
       regexp_replace(name, '(..)', E'\\1\x01', 'g') || E'\x01'
    || regexp_replace(substr(name, 2), '(..)', E'\\1\x01', 'g') || E'\x01'
    || right(name, 1), E'\x01'), ''))
$$"""

# A trigger, not a generated column: a generated column would forbid ALTER COLUMN TYPE on the
# name, and so would a trigger declared "UPDATE OF name".
_PG_SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION {prefix}_grams_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.{col} IS DISTINCT FROM OLD.{col} THEN
    NEW.{grams} := socorg_name_grams(NEW.{col});
  END IF;
  RETURN NEW;
END $$"""


def _pg_create(index: NameIndex) -> list[str]:
    table, col, prefix = index.table, index.column, index.prefix
    grams = col + GRAMS_SUFFIX
    indexed = ", ".join((f"{col} gin_trgm_ops", grams, *index.filters))
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE EXTENSION IF NOT EXISTS btree_gin",
        _PG_GRAMS_FUNCTION,
        _PG_SYNC_FUNCTION.format(prefix=prefix, col=col, grams=grams),
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {grams} tsvector",
        f"UPDATE {table} SET {grams} = socorg_name_grams({col})",  # noqa: S608
        f"CREATE OR REPLACE TRIGGER {prefix}_grams_sync BEFORE INSERT OR UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {prefix}_grams_sync()",
        f"CREATE INDEX IF NOT EXISTS {prefix}_search ON {table} USING gin ({indexed})",
        *_pg_split_indexes(index),
        *_pg_name_order(index),
    ]


def _pg_split_indexes(index: NameIndex) -> list[str]:
    """The btrees (field, name, id). Covering ones INCLUDE the other filters, and the n-gram
    column unless walks test the name itself (``name_order``: walks write the term as a LIKE on
    the name, which the btree holds)."""
    table, col, prefix = index.table, index.column, index.prefix
    extra = [] if index.name_order else [col + GRAMS_SUFFIX]
    return [
        *(
            f"CREATE INDEX IF NOT EXISTS {prefix}_by_{other} ON {table} ({other}, {col}, id)"
            for other in index.sorted_within
        ),
        *(
            f"CREATE INDEX IF NOT EXISTS {prefix}_by_{other} ON {table} ({other}, {col}, id) "
            f"INCLUDE ({', '.join([*extra, *(c for c in index.filters if c != other)])})"
            for other in index.covered_within
        ),
    ]


def _pg_drop_split_indexes(index: NameIndex) -> list[str]:
    return [
        f"DROP INDEX IF EXISTS {index.prefix}_by_{other}"
        for other in (*index.sorted_within, *index.covered_within)
    ]


# The two reads of ``bounded_ordered``, each run with the planner held to it for this call only
# (the SET clauses), on query text composed by the ORM with its values quoted by the driver;
# rows come back as one JSON array. JIT is off for both: the cost of a disabled method pushes
# the estimate past jit_above_cost, and compiling takes longer than the read; so are parallel
# workers, which take longer to start than the read takes.
# - socorg_walk: index scans in the query's order, stopping at its LIMIT (no sequential or
#   bitmap scan, no sort: they would read every match first).
# - socorg_bitmap: bitmap scans (the GIN index, or a btree for a credit code), straight to the
#   matches; not an index walked end to end with a filter, which the planner may prefer when
#   it underrates how far the matches lie from the start.
_PG_READ_FUNCTION = """
CREATE OR REPLACE FUNCTION socorg_{name}(query text) RETURNS json
LANGUAGE plpgsql STABLE
{settings} SET jit = off SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
  found json;
BEGIN
  EXECUTE 'SELECT coalesce(json_agg(r), ''[]'') FROM (' || query || ') r' INTO found;
  RETURN found;
END $$"""
_PG_READ_FUNCTIONS = {
    "walk": "SET enable_seqscan = off SET enable_bitmapscan = off SET enable_sort = off "
    "SET enable_incremental_sort = off",
    "bitmap": "SET enable_seqscan = off SET enable_indexscan = off SET enable_indexonlyscan = off",
}


# The characters and 2-character substrings of a name, Latin letters folded (the search's
# meaning): a name contains a term only if it contains each of these of the term.
_PG_GRAMS_OF_FUNCTION = r"""
CREATE OR REPLACE FUNCTION socorg_grams_of(name text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT substr(f, i, k)
  FROM translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS f,
       generate_series(1, char_length(f)) AS i, (VALUES (1), (2)) AS v(k)
  WHERE i + k - 1 <= char_length(f)
$$"""

# Statement triggers with transition tables: one set-based insert per statement (a COPY of
# 50,000 rows included); an UPDATE adds only rows whose name or value changed.
_PG_GRAMS_SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION {grams}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO {grams} ({field}, gram)
    SELECT DISTINCT n.{field}, g FROM socorg_new_rows n
    JOIN socorg_old_rows o ON o.id = n.id, socorg_grams_of(n.{col}) g
    WHERE n.{field} IS NOT NULL AND (n.{col}, n.{field}) IS DISTINCT FROM (o.{col}, o.{field})
    ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO {grams} ({field}, gram)
    SELECT DISTINCT n.{field}, g FROM socorg_new_rows n, socorg_grams_of(n.{col}) g
    WHERE n.{field} IS NOT NULL
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$"""


NAME_STATISTICS = 1000


def _pg_name_order(index: NameIndex) -> list[str]:
    statements = []
    if index.name_order:
        include = f" INCLUDE ({', '.join(index.filters)})" if index.filters else ""
        statements += [
            *(
                _PG_READ_FUNCTION.format(name=name, settings=settings)
                for name, settings in _PG_READ_FUNCTIONS.items()
            ),
            f"CREATE INDEX IF NOT EXISTS {index.prefix}_order ON {index.table} "
            f"({index.column}, id){include}",
            # The choice of read follows the planner's estimate of a term's share, which it
            # judges on the histogram of names: 1,000 names instead of 100 tell a 3 % term
            # from a 7 % one.
            f"ALTER TABLE {index.table} ALTER COLUMN {index.column} SET STATISTICS "
            f"{NAME_STATISTICS}",
        ]
    if index.grams_within:
        statements.append(_PG_GRAMS_OF_FUNCTION)
    for field in index.grams_within:
        grams, table, col = index.grams_table(field), index.table, index.column
        statements += [
            f"CREATE TABLE IF NOT EXISTS {grams} ({field} bigint NOT NULL, gram text NOT NULL, "
            f"PRIMARY KEY (gram, {field}))",
            f"INSERT INTO {grams} ({field}, gram) SELECT DISTINCT {field}, g "  # noqa: S608
            f"FROM {table}, socorg_grams_of({col}) g WHERE {field} IS NOT NULL "
            "ON CONFLICT DO NOTHING",
            _PG_GRAMS_SYNC_FUNCTION.format(grams=grams, field=field, col=col),
            f"CREATE OR REPLACE TRIGGER {grams}_insert AFTER INSERT ON {table} "
            "REFERENCING NEW TABLE AS socorg_new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {grams}_sync()",
            f"CREATE OR REPLACE TRIGGER {grams}_update AFTER UPDATE ON {table} "
            "REFERENCING OLD TABLE AS socorg_old_rows NEW TABLE AS socorg_new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {grams}_sync()",
        ]
    return statements


def _pg_drop_name_order(index: NameIndex) -> list[str]:
    statements = []
    for field in index.grams_within:
        grams = index.grams_table(field)
        statements += [
            f"DROP TRIGGER IF EXISTS {grams}_insert ON {index.table}",
            f"DROP TRIGGER IF EXISTS {grams}_update ON {index.table}",
            f"DROP FUNCTION IF EXISTS {grams}_sync()",
            f"DROP TABLE IF EXISTS {grams}",
        ]
    if index.grams_within:
        statements.append("DROP FUNCTION IF EXISTS socorg_grams_of(text)")
    if index.name_order:
        statements += [
            f"ALTER TABLE {index.table} ALTER COLUMN {index.column} SET STATISTICS -1",
            f"DROP INDEX IF EXISTS {index.prefix}_order",
            *(f"DROP FUNCTION IF EXISTS socorg_{name}(text)" for name in _PG_READ_FUNCTIONS),
        ]
    return statements


def _pg_drop(index: NameIndex) -> list[str]:
    table, prefix = index.table, index.prefix
    return [
        f"DROP TRIGGER IF EXISTS {prefix}_grams_sync ON {table}",
        f"DROP FUNCTION IF EXISTS {prefix}_grams_sync()",
        f"DROP INDEX IF EXISTS {prefix}_search",
        *_pg_drop_split_indexes(index),
        *_pg_drop_name_order(index),
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {index.column}{GRAMS_SUFFIX}",
        "DROP FUNCTION IF EXISTS socorg_name_grams(text)",
    ]


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


# --- SQLite -----------------------------------------------------------------------------------


def sqlite_trigram_available() -> bool:
    """FTS5 with the trigram tokenizer (SQLite >= 3.34 built with FTS5)."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def _fts_match(index: NameIndex, term: str) -> RawSQL:
    phrase = '"' + term.replace('"', '""') + '"'
    # Identifiers come from NAME_INDEXES, never from input; the term is a parameter.
    sql = f"SELECT rowid FROM {index.fts} WHERE {index.fts} MATCH %s"  # noqa: S608
    return RawSQL(sql, [phrase])


_FTS_READY: set[tuple[str, str]] = set()


def _fts_ready(conn: BaseDatabaseWrapper, index: NameIndex) -> bool:
    """Whether the FTS table exists in this database (it does not where the SQLite library
    lacks the trigram tokenizer: then LIKE alone answers)."""
    key = (str(conn.settings_dict["NAME"]), index.fts)
    if key not in _FTS_READY:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [index.fts]
            )
            if cursor.fetchone() is None:
                return False
        _FTS_READY.add(key)
    return True


def _sqlite_triggers(index: NameIndex) -> dict[str, str]:
    table, col, fts = index.table, index.column, index.fts
    insert = f"INSERT INTO {fts}(rowid, {col}) VALUES (new.id, new.{col});"  # noqa: S608
    delete = f"INSERT INTO {fts}({fts}, rowid, {col}) VALUES ('delete', old.id, old.{col});"  # noqa: S608
    return {
        f"{fts}_ai": f"AFTER INSERT ON {table} BEGIN {insert} END",
        f"{fts}_ad": f"AFTER DELETE ON {table} BEGIN {delete} END",
        f"{fts}_au": f"AFTER UPDATE OF {col} ON {table} BEGIN {delete} {insert} END",
    }


def _sqlite_create(index: NameIndex) -> list[str]:
    fts = index.fts
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({index.column}, "
        f"content='{index.table}', content_rowid='id', tokenize='trigram')",
        *(
            f"CREATE TRIGGER IF NOT EXISTS {name} {body}"
            for name, body in _sqlite_triggers(index).items()
        ),
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608
    ]


def _sqlite_drop(index: NameIndex) -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_triggers(index)),
        f"DROP TABLE IF EXISTS {index.fts}",
    ]


# --- Migrations -------------------------------------------------------------------------------


def create_name_index(schema_editor: BaseDatabaseSchemaEditor, index: NameIndex) -> None:
    """Create the substring index of ``index`` (from a migration's RunPython)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = _pg_create(index)
    elif vendor == "sqlite" and sqlite_trigram_available():
        statements = _sqlite_create(index)
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_name_order(
    schema_editor: BaseDatabaseSchemaEditor, index: NameIndex, *, replacing: NameIndex
) -> None:
    """Turn the name index ``replacing`` into ``index``, which has a name-order btree (and its
    n-grams by value, ``grams_within``): its btrees (field, name, id) are rebuilt as ``index``
    declares them (PostgreSQL; SQLite runs the plain queries)."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in [
            *_pg_drop_split_indexes(replacing),
            *_pg_split_indexes(index),
            *_pg_name_order(index),
        ]:
            schema_editor.execute(sql, params=None)


def drop_name_order(
    schema_editor: BaseDatabaseSchemaEditor, index: NameIndex, *, restoring: NameIndex
) -> None:
    """The reverse of :func:`create_name_order`."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in [
            *_pg_drop_name_order(index),
            *_pg_drop_split_indexes(index),
            *_pg_split_indexes(restoring),
        ]:
            schema_editor.execute(sql, params=None)


def drop_name_index(schema_editor: BaseDatabaseSchemaEditor, index: NameIndex) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": _pg_drop, "sqlite": _sqlite_drop}.get(vendor)
    for sql in statements(index) if statements else []:
        schema_editor.execute(sql, params=None)


def repair_name_indexes(using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """Re-create missing SQLite triggers and rebuild the FTS table (post_migrate).

    Django alters an SQLite table by copying it into a new one, which drops its triggers; the
    FTS table would then silently miss every later write."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        for index in NAME_INDEXES:
            if index.fts in present and not set(_sqlite_triggers(index)) <= present:
                for sql in _sqlite_create(index):
                    cursor.execute(sql)


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
