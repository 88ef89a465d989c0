"""``socorg backup [--output DIR]``: the database (SQLite online backup or ``pg_dump``) and the
attachments in one archive directory, with a manifest of every file's SHA-256."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socorg.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和附件到一个目录，并写入每个文件的 SHA-256 清单。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", help="备份目录（默认 SOCORG_BACKUP_DIR 下按时间命名）")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["output"]) if options["output"] else None
        try:
            archive = backup_create(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("备份完成：%(path)s（%(n)d 个文件，审计日志至第 %(seq)d 条）")
            % {"path": archive.path, "n": archive.files, "seq": archive.audit_seq}
        )
