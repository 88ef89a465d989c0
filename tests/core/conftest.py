"""Fixtures of the core tests: an audit chain to tamper with, a proposed data correction, and
uploaded files made in memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction

from socorg.core.audit import audit_record
from socorg.core.models import AuditLog, User
from socorg.registry.models import DataCorrection
from socorg.registry.services import correction_propose
from tests.conftest import City

NEW_DOMICILE = "日照市东港区海曲东路88号"


@contextmanager
def audit_trigger_disabled() -> Iterator[None]:
    """Let raw SQL edit the audit log as a database superuser could (PostgreSQL refuses it
    otherwise)."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # Run the deferred foreign-key checks now: ALTER TABLE refuses pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditlog DISABLE TRIGGER ALL")
        try:
            yield
        finally:
            if postgres:
                cursor.execute("ALTER TABLE core_auditlog ENABLE TRIGGER ALL")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def raw_set_after(seq: int, after: dict[str, Any]) -> None:
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with audit_trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE core_auditlog SET "after" = {cast} WHERE seq = %s',  # noqa: S608 - fixed text
            [json.dumps(after), seq],
        )


def raw_delete(seq: int) -> None:
    with audit_trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE seq = %s", [seq])


SWAPPED_COLUMNS = ("seq", "created_at", "action", "object_id", "after", "prev_hash", "hash")


def raw_swap(seq_a: int, seq_b: int, columns: tuple[str, ...] = SWAPPED_COLUMNS) -> None:
    """Exchange the given columns of two rows, keeping each row's id (its place in the table)."""
    values = {
        row.seq: {"id": row.id, **{c: getattr(row, c) for c in columns}}
        for row in AuditLog.objects.filter(seq__in=[seq_a, seq_b])
    }
    with audit_trigger_disabled():
        if "seq" in columns:  # seq is unique: park one row's out of the way first
            AuditLog.objects.filter(id=values[seq_a]["id"]).update(seq=10**12)
        for here, there in ((seq_b, seq_a), (seq_a, seq_b)):
            fields = {c: values[there][c] for c in columns}
            AuditLog.objects.filter(id=values[here]["id"]).update(**fields)


@pytest.fixture
def audit_chain(city_registrar: User) -> list[AuditLog]:
    """Five audit rows written the way services write them."""
    rows = []
    for n in range(1, 6):
        with transaction.atomic():
            rows.append(
                audit_record(
                    actor=city_registrar,
                    action="test.write",
                    object_type="test.thing",
                    object_id=n,
                    before={"n": n - 1},
                    after={"n": n, "名称": "日照市物流协会"},
                )
            )
    return rows


@pytest.fixture
def correction(city: City, city_registrar: User) -> DataCorrection:
    return correction_propose(
        actor=city_registrar,
        organization=city.city_org,
        changes={"domicile": NEW_DOMICILE},
        reason="登记档案中的住所与实际不符",
    )


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
