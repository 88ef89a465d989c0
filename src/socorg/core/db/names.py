"""Substring search on names: the name indexes of each backend, their migrations (the package's docstring has the table)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from string import ascii_letters, ascii_lowercase, ascii_uppercase
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import BooleanField, F, Func, Model, QuerySet, Value
from django.db.models.expressions import RawSQL

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
