"""``socorg audit verify``: recompute the audit log's hash chain.

Exits 0 and prints how many rows were checked when the chain is intact; exits 1 and names the
first broken row (its sequence number and why) when a row was edited, deleted or reordered."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from socorg.core.audit import verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链是否完整。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="重新计算哈希链，找出被修改、删除或调换的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify()

    def _verify(self) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(_("审计日志完整：已校验 %(n)d 条记录。") % {"n": result.checked})
            return
        self.stderr.write(
            _("审计日志已被篡改：第 %(seq)s 条记录异常——%(reason)s。此前 %(n)d 条记录完好。")
            % {"seq": result.broken_seq, "reason": result.reason, "n": result.checked}
        )
        sys.exit(1)
