"""``socorg restore DIR --yes``: check the archive's manifest (every file's SHA-256, nothing
added or missing), then replace the database and the attachments with it, and verify the
audit log. Refuses, changing nothing, when the archive does not match its manifest."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socorg.core.audit.checkpoints import verify_audit
from socorg.core.backup import BackupError, backup_restore, verify_archive


class Command(BaseCommand):
    help = "从备份目录恢复数据库和附件（先核对清单中的 SHA-256，不符则拒绝恢复）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", help="socorg backup 生成的备份目录")
        parser.add_argument("--yes", action="store_true", help="确认用备份覆盖当前数据库和附件")
        parser.add_argument("--check", action="store_true", help="只核对备份是否完整，不恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            if options["check"]:
                manifest = verify_archive(archive)
                self.stdout.write(
                    _("备份完整：%(n)d 个文件与清单一致。") % {"n": len(manifest["files"])}
                )
                return
            if not options["yes"]:
                raise CommandError(_("恢复会覆盖当前数据库和附件：确认请加 --yes。"))
            manifest = backup_restore(archive)
        except BackupError as exc:
            raise CommandError(_("拒绝恢复：%(e)s") % {"e": exc}) from exc
        self.stdout.write(
            _("已从 %(path)s 恢复（备份时间 %(at)s）。")
            % {"path": archive, "at": manifest["created_at"]}
        )
        result = verify_audit()
        if result.ok:
            self.stdout.write(_("审计日志完整：已校验 %(n)d 条记录。") % {"n": result.checked})
            return
        self.stderr.write(
            _("恢复后审计日志校验未通过：第 %(seq)s 条——%(reason)s。")
            % {"seq": result.broken_seq, "reason": result.reason}
        )
        sys.exit(1)
