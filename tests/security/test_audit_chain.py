"""Attacks on the audit log by someone who can write the database: the keyed chain and the
signed checkpoints outside the database catch what a recomputed SHA-256 chain would hide."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from socorg.core.audit import KEY_ROTATED, audit_key_rotate, audit_record, verify_chain
from socorg.core.audit.chain import canonical
from socorg.core.audit.checkpoints import audit_anchor, checkpoint_file, load_checkpoints
from socorg.core.audit.keys import load_ring
from socorg.core.checks import check_audit_keys
from socorg.core.models import AuditChainHead, AuditLog, AuditResult, User
from tests.core.conftest import audit_trigger_disabled


def verify() -> tuple[int, str]:
    """``socorg audit verify``: exit code and everything it printed."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def write_rows(actor: User, count: int, start: int = 1) -> list[AuditLog]:
    rows = []
    for n in range(start, start + count):
        with transaction.atomic():
            rows.append(
                audit_record(
                    actor=actor,
                    action="organization.change",
                    object_type="registry.organization",
                    object_id=n,
                    before={"name": f"旧名称{n}"},
                    after={"name": f"新名称{n}"},
                )
            )
    return rows


def sha_canonical(row: dict) -> str:
    """The published canonical form of an unkeyed row, as an attacker rebuilds it."""
    created = row["created_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload = {k: row[k] for k in CANONICAL if k != "created_at"}
    payload["created_at"] = created
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


CANONICAL = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "actor_role",
    "scope",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_id",
    "source_ip",
    "prev_hash",
)


def sql_set(seq: int, **values: object) -> None:
    """UPDATE one audit row with raw SQL, as a database superuser could."""
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sets, params = [], []
    for column, value in values.items():
        if column in ("before", "after"):
            sets.append(f'"{column}" = {cast}')
            params.append(json.dumps(value, ensure_ascii=False))
        else:
            sets.append(f'"{column}" = %s')
            params.append(value)
    with audit_trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_auditlog SET {', '.join(sets)} WHERE seq = %s",  # noqa: S608 - test text
            [*params, seq],
        )


def recompute_sha_chain(from_seq: int, *, clear_key: bool) -> None:
    """The attacker rehashes every row from ``from_seq`` with plain SHA-256 (no key) and moves
    the chain head to the new tip."""
    prev = AuditLog.objects.get(seq=from_seq - 1).hash if from_seq > 1 else "0" * 64
    for row in AuditLog.objects.filter(seq__gte=from_seq).order_by("seq").values():
        row["prev_hash"] = prev
        prev = sha_canonical(row)
        changes = {"prev_hash": row["prev_hash"], "hash": prev}
        if clear_key:
            changes["key_id"] = ""
        sql_set(row["seq"], **changes)
    AuditChainHead.objects.filter(id=1).update(hash=prev)


def test_forged_row_with_recomputed_sha_chain_fails_verify(city_registrar) -> None:
    write_rows(city_registrar, 5)
    sql_set(3, after={"name": "伪造的名称"})
    recompute_sha_chain(3, clear_key=True)
    code, text = verify()
    assert code == 1
    assert "第 3 条" in text and "没有密钥签名" in text


def test_forged_row_keeping_its_key_id_fails_verify(city_registrar) -> None:
    write_rows(city_registrar, 5)
    sql_set(3, after={"name": "伪造的名称"})
    recompute_sha_chain(3, clear_key=False)
    code, text = verify()
    assert code == 1
    assert "第 3 条" in text and "已被修改" in text


def test_chain_recomputed_with_the_stolen_chain_key_fails_against_the_checkpoint(
    city_registrar,
) -> None:
    """Even an insider holding the chain key cannot rewrite history behind a signed checkpoint."""
    write_rows(city_registrar, 5)
    audit_anchor()
    ring = load_ring()
    assert ring is not None
    sql_set(2, after={"name": "伪造的名称"})
    prev = AuditLog.objects.get(seq=1).hash
    for row in AuditLog.objects.filter(seq__gte=2).order_by("seq"):
        row.prev_hash = prev
        row.after = {"name": "伪造的名称"} if row.seq == 2 else row.after
        prev = ring.sign(row.key_id, canonical(row))
        sql_set(row.seq, prev_hash=row.prev_hash, hash=prev)
    AuditChainHead.objects.filter(id=1).update(hash=prev)
    assert verify_chain().ok  # the chain alone is fooled …
    code, text = verify()  # … the checkpoint is not
    assert code == 1
    assert "签名检查点不符" in text


def test_deleted_tail_fails_against_the_checkpoint(city_registrar) -> None:
    write_rows(city_registrar, 5)
    checkpoint = audit_anchor()
    assert (checkpoint.seq, checkpoint.count) == (5, 5)
    with audit_trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE seq >= 4")
    third = AuditLog.objects.get(seq=3)
    AuditChainHead.objects.filter(id=1).update(seq=3, hash=third.hash)
    assert verify_chain().ok  # head reset: the chain alone cannot tell
    code, text = verify()
    assert code == 1
    assert "链尾记录缺失" in text and "第 5 条" in text


def test_edited_checkpoint_file_fails_verify(city_registrar) -> None:
    write_rows(city_registrar, 3)
    audit_anchor()
    file = checkpoint_file()
    file.write_text(file.read_text().replace('"count": 3', '"count": 2'))
    code, text = verify()
    assert code == 1 and "签名无效" in text


def test_rotated_key_keeps_old_rows_verifiable(city_registrar) -> None:
    before = write_rows(city_registrar, 3)
    audit_anchor()
    rotation = audit_key_rotate(actor=city_registrar)
    after = write_rows(city_registrar, 2, start=4)
    audit_anchor()
    assert rotation.action == KEY_ROTATED and rotation.seq == 4
    assert rotation.before == {"key_id": before[0].key_id}
    assert {r.key_id for r in after} == {rotation.key_id} != {before[0].key_id}
    ring = load_ring()
    assert ring is not None and set(ring.secrets) == {before[0].key_id, rotation.key_id}
    code, text = verify()
    assert code == 0, text
    assert "6" in text


def test_rotate_key_command_records_a_row(city_registrar) -> None:
    write_rows(city_registrar, 1)
    out = StringIO()
    call_command("audit", "rotate-key", stdout=out)
    assert "新的审计链密钥" in out.getvalue()
    assert AuditLog.objects.filter(action=KEY_ROTATED).count() == 1
    assert verify()[0] == 0


def test_failed_login_is_recorded_as_a_failure(city_registrar, client) -> None:
    client.post("/login/", {"username": city_registrar.username, "password": "wrong"})
    row = AuditLog.objects.get(action="user.login_failed")
    assert row.result == AuditResult.FAILURE
    assert verify()[0] == 0


def _write_at(moment: datetime, actor: User, monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)
    write_rows(actor, 1, start=n)
    monkeypatch.undo()


def test_purge_refuses_rows_younger_than_180_days(city_registrar) -> None:
    write_rows(city_registrar, 2)
    recent = timezone.localdate() - timedelta(days=179)
    with pytest.raises(CommandError, match="至少保存 180 天"):
        call_command("audit", "purge", "--before", recent.isoformat())
    assert AuditLog.objects.count() == 2


def test_purge_of_old_rows_writes_a_checkpoint_and_keeps_the_chain_verifiable(
    city_registrar, monkeypatch
) -> None:
    old = timezone.now() - timedelta(days=200)
    for n in range(1, 4):
        _write_at(old + timedelta(minutes=n), city_registrar, monkeypatch, n)
    write_rows(city_registrar, 2, start=4)
    audit_anchor()
    out = StringIO()
    call_command(
        "audit",
        "purge",
        "--before",
        (timezone.localdate() - timedelta(days=190)).isoformat(),
        stdout=out,
    )
    assert "已清理 3 条" in out.getvalue()
    assert list(AuditLog.objects.values_list("seq", flat=True)) == [4, 5, 6]
    assert AuditLog.objects.get(seq=6).action == "audit.purge"
    assert [c.kind for c in load_checkpoints()] == ["anchor", "purge"]
    code, text = verify()
    assert code == 0, text


def test_deleted_head_rows_without_a_purge_checkpoint_fail_verify(city_registrar) -> None:
    write_rows(city_registrar, 4)
    with audit_trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE seq <= 2")
    code, text = verify()
    assert code == 1 and "开头记录缺失" in text


def test_production_writes_no_audit_row_without_its_key(city_registrar, settings) -> None:
    settings.SOCORG_AUDIT_KEYS_AUTOCREATE = False
    with pytest.raises(ImproperlyConfigured, match="rotate-key"), transaction.atomic():
        audit_record(actor=city_registrar, action="test.write", object_type="t", object_id=1)
    assert [e.id for e in check_audit_keys()] == ["socorg.E010"]
    call_command("audit", "rotate-key", stdout=StringIO())
    assert check_audit_keys() == []
    write_rows(city_registrar, 1)
    assert stat.S_IMODE(settings.SOCORG_AUDIT_KEY_FILE.stat().st_mode) == 0o600
    assert verify()[0] == 0
