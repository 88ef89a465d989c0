"""``socorg backup`` and ``socorg restore``: the database and the attachments in one archive
directory, with a manifest of the SHA-256 of every file.

- SQLite: the online backup API (``sqlite3.Connection.backup``), consistent while the system
  runs; PostgreSQL: ``pg_dump --format=custom``, restored with ``pg_restore --clean
  --if-exists``.
- Attachments: the media directory, copied file by file.
- ``manifest.json``: what was backed up (database vendor, the audit chain's head) and the hash of
  every file. Restore checks every hash — and that no file was added or removed — before it
  touches anything, and refuses on any mismatch.

The archive holds the audit log with its chain; the chain's keys and the signed checkpoints
stay where they are (outside the database, outside the archive), so ``socorg audit verify``
passes after a restore as it did when the backup was taken."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.models import AuditChainHead

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"
FORMAT = 1


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why, in words for the operator."""


@dataclass(frozen=True)
class Archive:
    path: Path
    files: int
    audit_seq: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)


def default_archive_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%dT%H%M%S")
    return Path(settings.SOCORG_BACKUP_DIR) / f"socorg-{stamp}"


# --- database -------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database (no password on a command line)."""
    conf = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if conf.get(key):
            env[name] = str(conf[key])
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    env["PGDATABASE"] = str(conf["NAME"])
    return env


def _run(args: list[str]) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(_("%(tool)s 执行失败：%(err)s") % {"tool": args[0], "err": done.stderr})


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target / PG_FILE}"])
        return PG_FILE
    raise BackupError(_("不支持的数据库：%(v)s") % {"v": connection.vendor})


def _restore_database(archive: Path, manifest: dict[str, Any]) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            _("备份来自 %(a)s 数据库，当前配置的是 %(b)s，不能恢复。")
            % {"a": manifest["vendor"], "b": connection.vendor}
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(archive / SQLITE_FILE)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops the tables: no session of ours may hold them
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(archive / PG_FILE),
        ]
    )


# --- attachments ----------------------------------------------------------------------------


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        target.mkdir(parents=True, exist_ok=True)


def _replace_media(archive: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    _copy_tree(archive / MEDIA, media)


# --- manifest -------------------------------------------------------------------------------


def _write_manifest(target: Path, database_file: str) -> int:
    head = AuditChainHead.objects.filter(id=1).first()
    files = {str(p.relative_to(target)): sha256_of(p) for p in _files_under(target)}
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database_file": database_file,
        "audit_head": {"seq": head.seq if head else 0, "hash": head.hash if head else ""},
        "files": files,
    }
    (target / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
    )
    return len(files)


def verify_archive(archive: Path) -> dict[str, Any]:
    """The manifest, once every file's hash matches and no file was added or removed; raises
    :class:`BackupError` naming the first difference otherwise."""
    path = archive / MANIFEST
    if not path.is_file():
        raise BackupError(_("%(p)s 中没有 manifest.json，不是有效的备份。") % {"p": archive})
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        listed: dict[str, str] = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(_("manifest.json 无法读取：%(e)s") % {"e": exc}) from exc
    present = {str(p.relative_to(archive)) for p in _files_under(archive)}
    for name in sorted(set(listed) - present):
        raise BackupError(_("备份文件缺失：%(f)s") % {"f": name})
    for name in sorted(present - set(listed)):
        raise BackupError(_("备份中多出未登记的文件：%(f)s") % {"f": name})
    for name, expected in sorted(listed.items()):
        if sha256_of(archive / name) != expected:
            raise BackupError(_("备份文件已被改动（SHA-256 不符）：%(f)s") % {"f": name})
    if manifest.get("database_file") not in listed:
        raise BackupError(_("备份中没有数据库文件。"))
    return manifest


# --- commands -------------------------------------------------------------------------------


def backup_create(target: Path | None = None) -> Archive:
    """Write the database and the attachments to a new archive directory with its manifest."""
    target = target or default_archive_path()
    if target.exists() and any(target.iterdir()):
        raise BackupError(_("目标目录 %(p)s 已存在且不为空。") % {"p": target})
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    database_file = _dump_database(target)
    _copy_tree(Path(settings.MEDIA_ROOT), target / MEDIA)
    count = _write_manifest(target, database_file)
    head = AuditChainHead.objects.filter(id=1).first()
    return Archive(target, count, head.seq if head else 0)


def backup_restore(archive: Path) -> dict[str, Any]:
    """Verify the archive's manifest, then replace the database and the attachments with it."""
    manifest = verify_archive(archive)
    _restore_database(archive, manifest)
    _replace_media(archive)
    return manifest
