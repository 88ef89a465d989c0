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
these are kept bounded whatever the planner believes about the data (see the section below and
benchmarks/README.md); on SQLite they are the plain queries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from string import ascii_letters, ascii_lowercase, ascii_uppercase
from typing import Any

from django.core.exceptions import EmptyResultSet
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
    # The same, also holding the n-gram column and the other filters (INCLUDE): a district's
    # searches and counts then read that index alone, not the table.
    covered_within: tuple[str, ...] = ()

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
    template may name ``{col}``, the column, ``{grams}``, its hidden n-gram column, and
    ``{value}``."""

    output_field = BooleanField()

    def __init__(self, column: F, value: Value, *, template: str) -> None:
        super().__init__(column, value)
        self.match_template = template

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, value = self.get_source_expressions()
        col_sql, col_params = compiler.compile(column)
        val_sql, val_params = compiler.compile(value)
        grams = ""
        if "{grams}" in self.match_template:
            quote = connection.ops.quote_name
            grams = f"{quote(column.alias)}.{quote(column.target.column + GRAMS_SUFFIX)}"
        sql = self.match_template.format(col=col_sql, grams=grams, value=val_sql)
        return sql, [*col_params, *val_params]


GRAMS_SUFFIX = "_grams"


def _pg_contains(qs: QuerySet, field: str, term: str, index: NameIndex | None) -> QuerySet:
    column = F(field)
    if index and len(term) < TRIGRAM:
        # Exact: the n-gram column holds every 2-character substring of the name and its last
        # character, so a character occurs iff some lexeme starts with it.
        star = ":*" if len(term) == 1 else ""
        query = " | ".join(_tsquery_lexeme(v) + star for v in _case_variants(term))
        return qs.filter(_Match(column, Value(query), template="{grams} @@ ({value})::tsquery"))
    pattern = "%" + _escape_like(term) + "%"
    if not any(c in ascii_letters for c in term):
        return qs.filter(_Match(column, Value(pattern), template="{col} LIKE {value}"))
    # ILIKE uses the trigram index; the folded LIKE keeps the meaning exact (A-Z only).
    folded = "%" + _escape_like(fold(term)) + "%"
    return qs.filter(
        _Match(column, Value(pattern), template="{col} ILIKE {value}"),
        _Match(column, Value(folded), template=_PG_FOLD.format("{col}") + " LIKE {value}"),
    )


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
        *(
            f"CREATE INDEX IF NOT EXISTS {prefix}_by_{other} ON {table} ({other}, {col}, id)"
            for other in index.sorted_within
        ),
        *(
            f"CREATE INDEX IF NOT EXISTS {prefix}_by_{other} ON {table} ({other}, {col}, id) "
            f"INCLUDE ({', '.join([grams, *(c for c in index.filters if c != other)])})"
            for other in index.covered_within
        ),
    ]


def _pg_drop(index: NameIndex) -> list[str]:
    table, prefix = index.table, index.prefix
    return [
        f"DROP TRIGGER IF EXISTS {prefix}_grams_sync ON {table}",
        f"DROP FUNCTION IF EXISTS {prefix}_grams_sync()",
        f"DROP INDEX IF EXISTS {prefix}_search",
        *(
            f"DROP INDEX IF EXISTS {prefix}_by_{other}"
            for other in (*index.sorted_within, *index.covered_within)
        ),
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
# rows reads the whole table. The functions below keep every read bounded instead.


@dataclass(frozen=True)
class _Known:
    """What one capped read found for exactly this query (``sql``, ``params``): ``count`` rows
    (``limit`` or more when ``count == limit``), and when they were fewer than ``limit`` their
    primary keys in the queryset's order."""

    sql: str
    params: tuple[Any, ...]
    count: int
    limit: int
    ordered_pks: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class _Split:
    """Slices in ``order`` are merged from one ordered index scan per value of ``field``."""

    field: str
    values: tuple[Any, ...]
    order: tuple[str, ...]


_KNOWN = "socorg_known"
_SPLIT = "socorg_split"


def count_up_to(qs: QuerySet, limit: int) -> int:
    """``min(qs.count(), limit)``, reading at most ``limit`` rows."""
    if connections[qs.db].vendor != "postgresql":
        return qs.order_by()[:limit].count()
    known = _known(qs)
    if known and (known.count < known.limit or limit <= known.limit):
        return min(known.count, limit)
    rows = _pg_capped(qs, ["pk"], "SELECT count(*) FROM (SELECT 1 FROM m LIMIT %s) c", limit)
    return int(rows[0][0]) if rows else 0


def bounded_ordered(
    qs: QuerySet,
    *,
    cap: int,
    split_field: str = "",
    split_values: Sequence[Any] | Callable[[], Sequence[Any]] = (),
) -> QuerySet:
    """``qs`` (ordered), the same rows, made cheap to page and to count up to ``cap``.

    PostgreSQL only (elsewhere ``qs`` itself). One read takes up to ``cap + 1`` matching rows;
    the capped count of the returned queryset is then known. When at most ``cap`` rows match,
    that read also sorted their keys, and a slice fetches just its own rows by key. Otherwise,
    given ``split_values`` (the rows can only have these values of ``split_field``, e.g. the
    jurisdictions of a district; a callable is called only then), a slice is merged from one
    scan per value along the btree index (``split_field``, *order*), each stopping after as
    many rows as the slice needs."""
    if connections[qs.db].vendor != "postgresql":
        return qs
    order = _order(qs)
    pks = _pks_in_order(qs, order, cap + 1)
    hints: dict[str, Any] = {key: v for key, v in _hints(qs).items() if key not in (_KNOWN, _SPLIT)}
    if len(pks) <= cap:
        qs = qs.filter(_pk_any(pks))
    elif split_values and order:
        values = tuple(split_values() if callable(split_values) else split_values)
        if values:
            hints[_SPLIT] = _Split(split_field, values, order)
    bounded = _BoundedQuerySet(qs.model, qs.query.chain(), qs.db, hints)
    sql, params = _fingerprint(bounded)
    in_order = tuple(pks) if len(pks) <= cap and order else None
    _hints(bounded)[_KNOWN] = _Known(sql, params, len(pks), cap + 1, in_order)
    return bounded


class _BoundedQuerySet(QuerySet):
    """A queryset made by :func:`bounded_ordered`: slices in its own order are served from what
    it already knows (the sorted keys of a small result) or by a split merge. The first
    ``stop`` rows of the whole are among the first ``stop`` rows of each part of a split."""

    def __getitem__(self, k: Any) -> Any:
        if not (isinstance(k, slice) and k.stop is not None and self._result_cache is None):
            return super().__getitem__(k)
        if k.step is not None or (k.start or 0) < 0 or k.stop < 0:
            return super().__getitem__(k)
        known, split, order = _known(self), _hints(self).get(_SPLIT), _order(self)
        if known and known.ordered_pks is not None and order:
            return self._plain().filter(_pk_any(list(known.ordered_pks[k])))
        if split and order == split.order:
            return QuerySet.__getitem__(self._split_candidates(split, k.stop), k)
        return super().__getitem__(k)

    def _plain(self) -> QuerySet:
        hints = {key: v for key, v in _hints(self).items() if key not in (_KNOWN, _SPLIT)}
        return QuerySet(self.model, self.query.chain(), self.db, hints)

    def _split_candidates(self, split: _Split, stop: int) -> QuerySet:
        plain = self._plain()
        part = plain.filter(**{split.field: RawSQL("split.value", [])}).order_by(*split.order)
        inner, params = part.values_list("pk")[:stop].query.sql_with_params()
        # ``inner`` is ORM-compiled SQL with its parameters kept apart; no input is pasted.
        sql = (
            "SELECT part.pk FROM unnest(%s) AS split(value) "  # noqa: S608
            f"CROSS JOIN LATERAL ({inner}) AS part(pk)"
        )
        return plain.filter(pk__in=RawSQL(sql, [list(split.values), *params]))


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
    """The capped read of this very query, if :func:`bounded_ordered` made one (a queryset
    filtered further compiles to other SQL and is read afresh)."""
    known = _hints(qs).get(_KNOWN)
    return known if known and _fingerprint(qs) == (known.sql, known.params) else None


def _fingerprint(qs: QuerySet) -> tuple[str, tuple[Any, ...]]:
    try:
        sql, params = qs.order_by().values_list("pk").query.sql_with_params()
    except EmptyResultSet:
        return "", ()
    return sql, tuple(params)


def _pks_in_order(qs: QuerySet, order: tuple[str, ...], limit: int) -> list[Any]:
    """The keys of up to ``limit`` rows; sorted by ``order`` when fewer than ``limit`` match
    (the sort then costs little, and the database's collation decides it)."""
    fields = [f.lstrip("-") for f in order]
    by = ", ".join(f"o{i} {'DESC' if f.startswith('-') else 'ASC'}" for i, f in enumerate(order))
    outer = "SELECT pk FROM (SELECT * FROM m LIMIT %s) c" + (f" ORDER BY {by}" if by else "")  # noqa: S608
    return [row[0] for row in _pg_capped(qs, ["pk", *fields], outer, limit)]


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
