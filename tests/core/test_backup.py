"""``socorg backup`` / ``socorg restore`` on the configured database (SQLite or PostgreSQL):
a restore brings back the database and the attachments as they were, the audit log verifies
afterwards, and an archive that does not match its manifest is refused without changing
anything."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from socorg.core.audit import audit_record
from socorg.core.models import AuditLog, User

pytestmark = pytest.mark.django_db(transaction=True)


def write_rows(actor: User, count: int) -> None:
    for n in range(count):
        with transaction.atomic():
            audit_record(actor=actor, action="test.write", object_type="t", object_id=n)


def verify_code() -> int:
    try:
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def archive(tmp_path: Path, media_root: Path, city_registrar: User) -> Path:
    """A backup of three audit rows and one attachment."""
    write_rows(city_registrar, 3)
    (media_root / "attachments").mkdir(parents=True)
    (media_root / "attachments" / "章程.pdf").write_bytes(b"%PDF-1.4 charter")
    target = tmp_path / "backup"
    out = StringIO()
    call_command("backup", "--output", str(target), stdout=out)
    assert "备份完成" in out.getvalue()
    return target


def test_restore_brings_back_database_and_attachments(archive, media_root, city_registrar):
    rows = AuditLog.objects.count()
    write_rows(city_registrar, 2)
    (media_root / "attachments" / "章程.pdf").write_bytes(b"overwritten")
    (media_root / "attachments" / "later.txt").write_text("written after the backup")
    out = StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert AuditLog.objects.count() == rows
    assert (media_root / "attachments" / "章程.pdf").read_bytes() == b"%PDF-1.4 charter"
    assert not (media_root / "attachments" / "later.txt").exists()
    assert "审计日志完整" in out.getvalue()
    assert verify_code() == 0


def test_manifest_lists_the_hash_of_every_file(archive):
    manifest = (archive / "manifest.json").read_text(encoding="utf-8")
    assert "media/attachments/章程.pdf" in manifest
    assert ("database.sqlite3" in manifest) or ("database.pgdump" in manifest)
    call_command("restore", str(archive), "--check", stdout=StringIO())


def test_tampered_archive_is_refused_and_nothing_changes(archive, media_root, city_registrar):
    write_rows(city_registrar, 2)
    rows = AuditLog.objects.count()
    (archive / "media" / "attachments" / "章程.pdf").write_bytes(b"%PDF-1.4 forged")
    with pytest.raises(CommandError, match="拒绝恢复.*SHA-256 不符"):
        call_command("restore", str(archive), "--yes")
    assert AuditLog.objects.count() == rows
    assert (media_root / "attachments" / "章程.pdf").read_bytes() == b"%PDF-1.4 charter"


def test_added_or_missing_files_are_refused(archive):
    (archive / "media" / "extra.txt").write_text("slipped in")
    with pytest.raises(CommandError, match="多出未登记的文件"):
        call_command("restore", str(archive), "--yes")
    (archive / "media" / "extra.txt").unlink()
    (archive / "media" / "attachments" / "章程.pdf").unlink()
    with pytest.raises(CommandError, match="备份文件缺失"):
        call_command("restore", str(archive), "--yes")


def test_restore_needs_confirmation(archive):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))


@pytest.mark.postgres
def test_postgres_backup_restores_onto_a_fresh_database(archive, tmp_path, settings):
    """Disaster recovery: the archive restored by ``socorg restore`` into an empty database
    (its own ``test_backup_*``) of a new installation verifies there."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    name = f"test_backup_{uuid.uuid4().hex[:10]}"
    conf = connection.settings_dict
    admin = psycopg.connect(
        host=conf["HOST"],
        port=conf["PORT"] or 5432,
        user=conf["USER"],
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{conf['USER']}@{conf['HOST']}:{conf['PORT'] or 5432}/{name}",
            "SOCORG_MEDIA_ROOT": str(tmp_path / "new-media"),
            "SOCORG_AUDIT_KEY_FILE": str(settings.SOCORG_AUDIT_KEY_FILE),
            "SOCORG_AUDIT_SIGNING_KEY_FILE": str(settings.SOCORG_AUDIT_SIGNING_KEY_FILE),
            "SOCORG_AUDIT_ANCHOR_DIR": str(settings.SOCORG_AUDIT_ANCHOR_DIR),
        }
        socorg = [sys.executable, "-m", "socorg.cli"]
        restored = subprocess.run(
            [*socorg, "restore", str(archive), "--yes"], env=env, capture_output=True, text=True
        )
        assert restored.returncode == 0, restored.stderr
        assert "审计日志完整：已校验 3 条记录" in restored.stdout
        assert (tmp_path / "new-media" / "attachments" / "章程.pdf").exists()
        verified = subprocess.run([*socorg, "audit", "verify"], env=env, capture_output=True)
        assert verified.returncode == 0
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
