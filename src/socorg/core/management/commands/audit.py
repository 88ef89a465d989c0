"""``socorg audit``: the audit log's keyed chain, checkpoints and retention.

- ``verify`` recomputes the keyed chain and checks every signed checkpoint; exits 0 and prints
  how many rows were checked when intact, exits 1 naming the first broken row and why.
- ``anchor`` appends a signed checkpoint (head number, hash, count, time) outside the database.
- ``rotate-key`` puts a fresh chain key in force (the rotation is an audit row).
- ``purge --before DATE`` removes rows older than the retention period, after a checkpoint."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socorg.core.audit import audit_key_rotate
from socorg.core.audit.checkpoints import audit_anchor, checkpoint_file, verify_audit
from socorg.core.audit.keys import key_file
from socorg.core.audit.retention import PurgeRefused, audit_purge


class Command(BaseCommand):
    help = "审计日志：verify 校验，anchor 写签名检查点，rotate-key 更换密钥，purge 清理过期记录。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="重新计算带密钥的哈希链，并逐一核对签名检查点")
        sub.add_parser("anchor", help="把链头序号、哈希、条数和时间签名后写到库外的检查点文件")
        sub.add_parser("rotate-key", help="启用新的链密钥（旧密钥保留用于校验）")
        purge = sub.add_parser("purge", help="清理保存期（至少 180 天）以前的记录")
        purge.add_argument("--before", required=True, help="清理此日期（YYYY-MM-DD）之前的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify()
        elif action == "anchor":
            self._anchor()
        elif action == "rotate-key":
            self._rotate()
        elif action == "purge":
            self._purge(options["before"])

    def _verify(self) -> None:
        result = verify_audit()
        if result.ok:
            self.stdout.write(_("审计日志完整：已校验 %(n)d 条记录。") % {"n": result.checked})
            return
        self.stderr.write(
            _("审计日志已被篡改：第 %(seq)s 条记录异常——%(reason)s。此前 %(n)d 条记录完好。")
            % {"seq": result.broken_seq, "reason": result.reason, "n": result.checked}
        )
        sys.exit(1)

    def _anchor(self) -> None:
        checkpoint = audit_anchor()
        self.stdout.write(
            _("已写入签名检查点：第 %(seq)d 条，共 %(count)d 条，%(at)s → %(file)s")
            % {
                "seq": checkpoint.seq,
                "count": checkpoint.count,
                "at": checkpoint.at,
                "file": checkpoint_file(),
            }
        )

    def _rotate(self) -> None:
        row = audit_key_rotate()
        self.stdout.write(
            _("已启用新的审计链密钥 %(kid)s（第 %(seq)d 条记录），密钥文件：%(file)s")
            % {"kid": row.key_id, "seq": row.seq, "file": key_file()}
        )

    def _purge(self, before: str) -> None:
        try:
            day = date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD，例如 2026-01-31。")) from exc
        try:
            result = audit_purge(before=day)
        except PurgeRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("已清理 %(n)d 条审计记录（至第 %(seq)d 条），清理前已写入签名检查点。")
            % {"n": result.removed, "seq": result.through_seq}
        )
