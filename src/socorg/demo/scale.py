"""``socorg demo scale --orgs N``: N synthetic organizations for benchmarks.

Each organization comes with two people (chair and legal representative, secretary general),
their two principal posts, one term, a registered event (and a removal event when it was
deregistered or revoked) and one party-building responsibility. Names are region + core name
+ organization form drawn from the demo catalogue, with 字号 so that substring search meets a
realistic spread; credit codes are valid (ID-1..ID-4) and unique (serial ``MK`` + the row id in
base 31), resident ID numbers valid and unique (``people.id_number`` of the row id).

PostgreSQL: rows are streamed with ``COPY`` (psycopg 3); for large loads the secondary indexes
of the loaded tables are dropped first and rebuilt at the end, which is much faster than
maintaining them row by row. SQLite: ``bulk_create`` in batches. Either way one transaction."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone
from psycopg import sql as pgsql

from socorg.core.audit import audit_record
from socorg.core.models import Department, Jurisdiction
from socorg.demo import catalogue as cat
from socorg.demo import people
from socorg.demo.reference import CITY_CODE, COUNTIES, STREETS, ZONES
from socorg.demo.scenario import REFORM_DAY, REGISTERED, _social_group_items
from socorg.demo.setup import ensure_departments, ensure_jurisdictions
from socorg.registry.models import (
    Organization,
    OrganizationEvent,
    Person,
    Principal,
    Responsibility,
    Term,
)
from socorg.registry.rules.organizations import USCC_ALPHABET, make_uscc

PERSON_INDEX_OFFSET = 1_000_000  # demo people use indexes below this
CHUNK = 50_000
SQLITE_BATCH = 500
INDEX_REBUILD_FROM = 50_000  # rows; below this, COPY into the indexed tables as they are
FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2026, 10, 31)
REMOVALS_FROM = date(2020, 1, 1)
NULL = None

COLUMNS: dict[type[Model], tuple[str, ...]] = {
    Organization: (
        "id", "uscc", "name", "region_name", "core_name", "org_form", "org_type", "level",
        "jurisdiction_id", "management_mode", "supervisory_unit_id", "industry_regulator_id",
        "category", "purpose", "business_scope", "domicile", "contact_person", "contact_phone",
        "legal_representative", "registered_funds", "established_on", "certificate_valid_until",
        "status", "removed_on", "created_at", "updated_at",
    ),
    Person: ("id", "name", "id_number", "birth_date", "sex", "is_retired_cadre", "is_state_functionary"),
    Term: ("id", "organization_id", "number", "starts_on", "ends_on"),
    Principal: (
        "id", "organization_id", "term_id", "person_id", "post", "is_legal_representative",
        "starts_on", "ends_on", "is_paid",
    ),
    OrganizationEvent: (
        "id", "organization_id", "kind", "reason", "occurred_on", "details", "note", "is_public", "created_at",
    ),
    Responsibility: (
        "id", "organization_id", "department_id", "kind", "effective_from", "effective_to", "source_document_id",
    ),
}  # fmt: skip
MODELS = tuple(COLUMNS)
Row = tuple[str | None, ...]
Chunk = dict[type[Model], list[Row]]
MODIFIERS = ("老年", "青少年", "青年", "职工", "女", "少儿", "业余")
_ORDINAL0 = FIRST_DAY.toordinal()
_DAYS = tuple(
    str(FIRST_DAY + timedelta(days=d)) for d in range((date(2033, 1, 1) - FIRST_DAY).days)
)


def _day(ordinal: int) -> str:
    return _DAYS[ordinal - _ORDINAL0]


def scale_serial(org_id: int) -> str:
    """'MK' + the row id in six base-31 characters: unique per row, disjoint from the demo's."""
    digits = []
    n = org_id
    for _ in range(6):
        n, r = divmod(n, 31)
        digits.append(USCC_ALPHABET[r])
    if n:
        raise ValueError(f"organization id {org_id} too large for a scale serial")
    return "MK" + "".join(reversed(digits))


@dataclass(frozen=True)
class ScaleResult:
    organizations: int
    rows: int
    seconds: float
    method: str


@dataclass(frozen=True)
class Start:
    """First free id of each table."""

    organization: int
    person: int
    term: int
    principal: int
    event: int
    responsibility: int


class Generator:
    """Rows of N synthetic organizations, chunk by chunk, as text (COPY format values)."""

    def __init__(
        self, seed: int, areas: dict[str, Jurisdiction], depts: dict[str, Department], start: Start
    ):
        self.rng = Random(seed)
        self.area_ids = {code: str(a.pk) for code, a in areas.items()}
        self.dept_ids = {code: str(d.pk) for code, d in depts.items()}
        self.start = start
        self.brands = cat.brands()
        self.now = timezone.now().isoformat()
        self.kinds = {level: _kind_weights(i) for i, level in enumerate(("city", "county"))}
        self.items = {
            (k, city): _social_group_items(k, city)
            for k in cat.KINDS
            if k.startswith("sg_")
            for city in (True, False)
        }
        self.items = {key: v for key, v in self.items.items() if v}
        self.streets = {c.code: [s for s in STREETS if s.parent == c.code] for c in COUNTIES}
        self.next = {
            "person": start.person,
            "term": start.term,
            "principal": start.principal,
            "event": start.event,
            "responsibility": start.responsibility,
        }
        self.details = {
            lv: json.dumps({"level": lv, "source": "scale"}) for lv in ("city", "county")
        }

    def chunks(self, n: int, size: int = CHUNK) -> Iterator[Chunk]:
        for first in range(0, n, size):
            rows: Chunk = {m: [] for m in MODELS}
            for i in range(first, min(n, first + size)):
                self.organization(self.start.organization + i, rows)
            yield rows

    def _id(self, table: str) -> str:
        value = self.next[table]
        self.next[table] = value + 1
        return str(value)

    def organization(self, org_id: int, rows: Chunk) -> None:
        rng = self.rng
        level = "city" if rng.random() < 0.505 else "county"
        kind = rng.choices(self.kinds[level][0], cum_weights=self.kinds[level][1])[0]
        dept, core, form, category = self.name_parts(kind, level)
        authority, jurisdiction, region = self.place(kind, level)
        if level == "city":
            supervisor, regulator = (dept, None) if kind.mode == cat.DUAL else (None, dept)
        else:
            supervisor = regulator = None
        est = _ORDINAL0 + rng.randrange(LAST_DAY.toordinal() - _ORDINAL0 - 30)
        status, removed = self.fate(rng, est)
        until = removed or LAST_DAY.toordinal()
        number = (until - est) // 1826 + 1
        starts = est + 1826 * (number - 1)
        ends = starts + 1825
        chair, secretary = self.person(), self.person()
        oid = str(org_id)
        removed_text = _day(removed) if removed else NULL
        rows[Organization].append(
            (
                oid,
                make_uscc(org_type=kind.org_type, area_code=authority, serial=scale_serial(org_id)),
                f"{region}{core}{form}",
                region,
                core,
                form,
                kind.org_type,
                level,
                self.area_ids[jurisdiction],
                kind.mode,
                self.dept_ids.get(supervisor or ""),
                self.dept_ids.get(regulator or ""),
                category,
                "遵守宪法、法律、法规和国家政策，践行社会主义核心价值观。",
                f"{core}相关服务、交流与培训",
                self.domicile(authority, jurisdiction, region),
                secretary[1],
                f"0633-{rng.randrange(2000000, 9000000)}",
                chair[1],
                str(rng.choice(kind.funds)),
                _day(est),
                _day(ends),
                status,
                removed_text,
                self.now,
                self.now,
            )
        )
        term_id = self._id("term")
        rows[Term].append((term_id, oid, str(number), _day(starts), _day(ends)))
        for person, post, legal in ((chair, "chair", "t"), (secretary, "secretary_general", "f")):
            rows[Person].append(person[0])
            rows[Principal].append(
                (
                    self._id("principal"),
                    oid,
                    term_id,
                    person[0][0],
                    post,
                    legal,
                    _day(starts),
                    removed_text,
                    "f",
                )
            )
        rows[OrganizationEvent].append(
            (
                self._id("event"),
                oid,
                "registered",
                "application",
                _day(est),
                self.details[level],
                "",
                "t",
                self.now,
            )
        )
        if removed:
            kind_text, reason = (
                ("revoked", "dormant_no_activity")
                if status == "revoked"
                else ("deregistered", "liquidation_completed")
            )
            rows[OrganizationEvent].append(
                (self._id("event"), oid, kind_text, reason, removed_text, "{}", "", "t", self.now)
            )
        manager = self.dept_ids[dept or "MZJ"]
        rows[Responsibility].append(
            (
                self._id("responsibility"),
                oid,
                manager,
                "party_building_management",
                _day(max(est, REFORM_DAY.toordinal())),
                removed_text,
                NULL,
            )
        )

    def name_parts(self, kind: cat.Kind, level: str) -> tuple[str | None, str, str, str]:
        rng = self.rng
        if kind.org_type == cat.SG:
            dept, core, form, category = rng.choice(self.items[(kind.key, level == "city")])
            r = rng.random()
            if (category == "sports" or core.endswith("家")) and r < 0.25:
                core = rng.choice(MODIFIERS) + core
            elif kind.key != "sg_chamber" and r < 0.6:
                core = rng.choice(self.brands) + core  # a 字号, as many associations carry
            return dept, core, form, category
        if kind.key == "foundation_theme":
            theme = rng.choice(list(cat.THEMED_FOUNDATIONS))
            supervisor, category = cat.THEMED_FOUNDATIONS[theme]
            prefix = rng.choice(self.brands) if rng.random() < 0.5 else ""
            return supervisor, prefix + theme, "基金会", category
        index = rng.randrange(len(kind.templates))
        template = kind.templates[index]
        return (
            cat.agency_department(kind, index),
            rng.choice(self.brands) + template.industry,
            template.form,
            kind.category,
        )

    def place(self, kind: cat.Kind, level: str) -> tuple[str, str, str]:
        """(registering authority's area code, jurisdiction code, region part of the name)."""
        rng = self.rng
        if level == "city":
            if kind.org_type == cat.SSA and rng.random() < 0.3:
                zone = rng.choice(ZONES)
                return CITY_CODE, zone.code, zone.name
            return CITY_CODE, CITY_CODE, "日照市"
        county = rng.choice(COUNTIES)
        if kind.org_type != cat.FDN and rng.random() < 0.5:
            street = rng.choice(self.streets[county.code])
            return county.code, street.code, county.name + street.name
        return county.code, county.code, county.name

    def domicile(self, authority: str, jurisdiction: str, region: str) -> str:
        if authority != CITY_CODE:
            place, roads = f"日照市{region}", cat.ROADS[authority]
        elif jurisdiction != CITY_CODE:
            place, roads = region, cat.ROADS[jurisdiction]
        else:
            place, roads = "日照市东港区", cat.ROADS[CITY_CODE]
        return f"{place}{self.rng.choice(roads)}{self.rng.randrange(1, 400)}号"

    @staticmethod
    def fate(rng: Random, est: int) -> tuple[str, int | None]:
        r = rng.random()
        if r >= 0.07:
            return "registered", None
        first = max(est + 365, REMOVALS_FROM.toordinal())
        last = LAST_DAY.toordinal()
        if first > last:
            return "registered", None
        return ("deregistered" if r < 0.05 else "revoked"), first + rng.randrange(last - first + 1)

    def person(self) -> tuple[Row, str]:
        pid = int(self._id("person"))
        number, born, sex = people.identity(PERSON_INDEX_OFFSET + pid)
        name = people.person_name(self.rng, sex)
        row = (str(pid), name, number, str(born), sex, "f", "f")
        return row, name


def _kind_weights(column: int) -> tuple[list[cat.Kind], list[int]]:
    kinds, cumulative, total = [], [], 0
    for key, counts in REGISTERED.items():
        if counts[column]:
            total += counts[column]
            kinds.append(cat.KINDS[key])
            cumulative.append(total)
    return kinds, cumulative


def _next_ids() -> Start:
    def after(model: type[Model]) -> int:
        return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1  # type: ignore[attr-defined]

    return Start(
        after(Organization),
        after(Person),
        after(Term),
        after(Principal),
        after(OrganizationEvent),
        after(Responsibility),
    )


def load_scale(n: int, *, seed: int = 1, progress: Callable[[str], object] = print) -> ScaleResult:
    """Insert ``n`` synthetic organizations (one transaction)."""
    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        areas = ensure_jurisdictions()
        depts = ensure_departments(areas)
        if postgres:
            _lock_tables()
        start = _next_ids()
        generator = Generator(seed, areas, depts, start)
        if postgres:
            rows, method = _copy_all(generator, n, progress), "PostgreSQL COPY"
        else:
            rows, method = _bulk_all(generator, n, progress), "bulk_create"
        audit_record(
            actor=None,
            action="demo.scale",
            object_type="demo",
            object_id=str(start.organization),
            after={"organizations": n, "rows": rows, "seed": seed},
        )
    return ScaleResult(n, rows, time.perf_counter() - started, method)


def _bulk_all(generator: Generator, n: int, progress: Callable[[str], object]) -> int:
    total = done = 0
    for chunk in generator.chunks(n):
        for model in MODELS:
            objs = [_instance(model, row) for row in chunk[model]]
            model.objects.bulk_create(objs, batch_size=SQLITE_BATCH)  # type: ignore[attr-defined]
            total += len(objs)
        done += len(chunk[Organization])
        progress(f"  {done:,}/{n:,}")
    return total


def _instance(model: type[Model], row: Row) -> Model:
    values: dict[str, object] = dict(zip(COLUMNS[model], row, strict=True))
    if "details" in values:
        values["details"] = json.loads(str(values["details"] or "{}"))
    for key in (
        "is_retired_cadre",
        "is_state_functionary",
        "is_legal_representative",
        "is_paid",
        "is_public",
    ):
        if key in values:
            values[key] = values[key] == "t"
    return model(**values)


# --- PostgreSQL -------------------------------------------------------------------------------


def _table(model: type[Model]) -> str:
    return model._meta.db_table


def _run(cursor: Any, statement: pgsql.Composable, params: list[Any] | None = None) -> None:
    """Execute SQL composed with ``psycopg.sql`` (identifiers quoted, never string-formatted)."""
    cursor.execute(statement.as_string(connection.connection), params)


def _lock_tables() -> None:
    """No one else inserts while ids are handed out by hand."""
    tables = pgsql.SQL(", ").join(pgsql.Identifier(_table(m)) for m in MODELS)
    with connection.cursor() as cursor:
        _run(cursor, pgsql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(tables))


def _copy_all(generator: Generator, n: int, progress: Callable[[str], object]) -> int:
    total = done = 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        # Check foreign keys statement by statement: deferred checks would queue millions of
        # trigger events, and an index cannot be built on a table with pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        rebuild = (
            _drop_foreign_keys(cursor) + _drop_indexes(cursor) if n >= INDEX_REBUILD_FROM else []
        )
        for chunk in _prefetched(generator.chunks(n)):
            for model in MODELS:
                total += _copy(cursor, model, chunk[model])
            done += len(chunk[Organization])
            progress(f"  {done:,}/{n:,}（{time.perf_counter() - started:.0f} 秒）")
        for label, statement in rebuild:
            step = time.perf_counter()
            _run(cursor, statement)
            progress(f"  {label}：{time.perf_counter() - step:.1f} 秒")
        for model in MODELS:
            sequence = pgsql.SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {}))"
            ).format(pgsql.Identifier(_table(model)))
            _run(cursor, sequence, [_table(model)])
    return total


def _prefetched(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """Generate the next chunk in a thread while the server ingests the current one (Python
    and PostgreSQL then work at the same time)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(next, chunks, None)
        while (chunk := future.result()) is not None:
            future = pool.submit(next, chunks, None)
            yield chunk


def _copy(cursor: Any, model: type[Model], rows: list[Row]) -> int:
    if not rows:
        return 0
    statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
        pgsql.Identifier(_table(model)),
        pgsql.SQL(", ").join(pgsql.Identifier(c) for c in COLUMNS[model]),
    )
    text = "".join("\t".join(r"\N" if v is None else v for v in row) + "\n" for row in rows)
    with cursor.cursor.copy(statement) as copy:  # the psycopg cursor under Django's wrapper
        copy.write(text)
    return len(rows)


Rebuild = list[tuple[str, pgsql.Composable]]


def _drop_foreign_keys(cursor: Any) -> Rebuild:
    """Drop the loaded tables' foreign keys; return the statements that add them back. Adding
    a foreign key checks every row in one join, far cheaper than a trigger per inserted row."""
    cursor.execute(
        "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "WHERE c.contype = 'f' AND t.relname = ANY(%s) AND pg_table_is_visible(t.oid)",
        [[_table(m) for m in MODELS]],
    )
    rebuild: Rebuild = []
    for table, name, definition in cursor.fetchall():
        target = pgsql.SQL("ALTER TABLE {} {} CONSTRAINT {}").format
        _run(cursor, target(pgsql.Identifier(table), pgsql.SQL("DROP"), pgsql.Identifier(name)))
        # The definition is the server's own text for the constraint (pg_get_constraintdef).
        add = target(pgsql.Identifier(table), pgsql.SQL("ADD"), pgsql.Identifier(name))
        rebuild.append((f"{table}.{name}", pgsql.Composed([add, pgsql.SQL(" " + definition)])))
    return rebuild


def _drop_indexes(cursor: Any) -> Rebuild:
    """Drop the loaded tables' indexes that back no constraint; return their definitions so
    they are rebuilt exactly as they were (including indexes other modules added)."""
    cursor.execute(
        "SELECT n.nspname, x.relname, pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace n ON n.oid = x.relnamespace "
        "WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [[_table(m) for m in MODELS]],
    )
    rebuild: Rebuild = []
    for schema, name, definition in cursor.fetchall():
        _run(cursor, pgsql.SQL("DROP INDEX {}").format(pgsql.Identifier(schema, name)))
        # The definition is the server's own CREATE INDEX statement (pg_get_indexdef).
        rebuild.append((name, pgsql.SQL(definition)))
    return rebuild
