"""Shared fixtures: a small city with a fixed cast of people.

- ``city_registrar``: registrar of 日照市, sees the whole city;
- ``donggang_registrar``: registrar of 东港区 only;
- ``lanshan_registrar``: registrar of another district (岚山区);
- ``division_head``: head of the registration division (approves corrections);
- ``edu_liaison``: liaison of 市教育局, sees the organizations it is responsible for;
- ``org_account``: the account of one organization;
- anonymous: the public."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import psycopg
import pytest
from django.core.cache import caches
from django.db import connection

from socorg.core.models import (
    Department,
    DepartmentKind,
    Jurisdiction,
    JurisdictionLevel,
    Role,
    User,
)
from socorg.core.representations import LOCAL_CACHE
from socorg.registry.models import Organization, SourceDocument
from tests import factories as f

# The access matrices' route and case counts in the terminal summary.
pytest_plugins = ["tests.architecture.report"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI a configured PostgreSQL must be reachable: fail, never skip."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        try:
            psycopg.connect(url, connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            raise pytest.UsageError(f"PostgreSQL at DATABASE_URL is unreachable: {exc}") from exc
    elif os.environ.get("CI") == "true" and os.environ.get("SOCORG_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("CI requires PostgreSQL but DATABASE_URL is not set")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The schema fuzzing's report: how many generated API requests were sent."""
    cases = sum(
        value
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        for name, value in getattr(report, "user_properties", [])
        if name == "fuzz_cases"
    )
    if cases:
        terminalreporter.write_line(f"schema fuzzing: {cases} generated API requests")


@pytest.fixture
def scratch_database_url(tmp_path) -> Iterator[str]:
    """A database of its own for a subprocess that migrates: on PostgreSQL a fresh database
    beside ``DATABASE_URL``'s (never that database itself, whose history belongs to its
    owner), dropped afterwards; otherwise an SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    server, _name = url.rsplit("/", 1)
    name = f"socorg_scratch_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Argon2 is the production hasher (settings); tests that are not about hashing use a fast
    one so that creating the cast does not dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def audit_key_files(settings, tmp_path_factory) -> None:
    """Each test signs its audit chain with its own keys and checkpoints, outside ``var/``."""
    base = tmp_path_factory.mktemp("audit-keys")
    settings.SOCORG_AUDIT_KEY_FILE = base / "audit-chain-keys.json"
    settings.SOCORG_AUDIT_SIGNING_KEY_FILE = base / "audit-anchor-ed25519.pem"
    settings.SOCORG_AUDIT_ANCHOR_DIR = base / "anchors"
    settings.SOCORG_INSPECTION_SEED_DIR = base / "inspection-seeds"


@pytest.fixture(autouse=True)
def fresh_local_cache() -> None:
    """Each test starts with an empty per-process representation cache: a rolled-back test
    leaves no rows, but on SQLite the next test may reuse their ids and versions."""
    caches[LOCAL_CACHE].clear()


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class City:
    city: Jurisdiction
    donggang: Jurisdiction
    lanshan: Jurisdiction
    edu: Department
    civil_affairs: Department
    approval: Department
    party: Department
    donggang_org: Organization
    lanshan_org: Organization
    city_org: Organization
    edu_org: Organization


@pytest.fixture
def city(db: None) -> City:
    rz = f.jurisdiction("371100", "日照市", JurisdictionLevel.CITY)
    dg = f.jurisdiction("371102", "东港区", JurisdictionLevel.COUNTY, rz)
    ls = f.jurisdiction("371103", "岚山区", JurisdictionLevel.COUNTY, rz)
    edu = f.department(
        "EDU",
        "日照市教育局",
        DepartmentKind.GOVERNMENT,
        rz,
        is_supervisory_unit=True,
        is_industry_regulator=True,
    )
    ca = f.department("MZJ-DJ", "日照市民政局社会组织管理科", DepartmentKind.DIVISION, rz)
    ap = f.department("SPJ", "日照市行政审批服务局", DepartmentKind.APPROVAL_BUREAU, rz)
    party = f.department("LXGW", "日照市两新工委", DepartmentKind.PARTY_BUILDING_BODY, rz)
    return City(
        city=rz,
        donggang=dg,
        lanshan=ls,
        edu=edu,
        civil_affairs=ca,
        approval=ap,
        party=party,
        donggang_org=f.organization(where=dg, name="日照市东港区书法家协会"),
        lanshan_org=f.organization(where=ls, name="日照市岚山区渔业协会"),
        city_org=f.organization(where=rz, name="日照市物流协会"),
        edu_org=f.organization(where=rz, name="日照市教育学会", supervisory_unit=edu),
    )


@pytest.fixture
def city_registrar(city: City) -> User:
    return f.user(
        "city_registrar", Role.REGISTRAR, jurisdiction=city.city, department=city.civil_affairs
    )


@pytest.fixture
def donggang_registrar(city: City) -> User:
    return f.user("donggang_registrar", Role.REGISTRAR, jurisdiction=city.donggang)


@pytest.fixture
def lanshan_registrar(city: City) -> User:
    return f.user("lanshan_registrar", Role.REGISTRAR, jurisdiction=city.lanshan)


@pytest.fixture
def division_head(city: City) -> User:
    return f.user(
        "division_head", Role.DIVISION_HEAD, jurisdiction=city.city, department=city.civil_affairs
    )


@pytest.fixture
def edu_liaison(city: City) -> User:
    return f.user("edu_liaison", Role.DEPARTMENT_LIAISON, department=city.edu)


@pytest.fixture
def org_account(city: City) -> User:
    return f.user("org_demo", Role.ORGANIZATION, organization=city.city_org)


@pytest.fixture
def joint_document(city: City) -> SourceDocument:
    """A source document issued jointly by two departments (the responsibility map's basis)."""
    doc = SourceDocument.objects.create(
        title="关于建立社会组织综合监管责任清单的通知",
        number="日民发〔2022〕8号",
        issued_on=date(2022, 5, 1),
    )
    doc.issuers.add(city.edu, city.party)
    return doc
