"""``socorg name_keys rebuild``: recompute the name index used by the name check (RG-15)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from socorg.registry.services.names import name_keys_rebuild


class Command(BaseCommand):
    help = "名称索引：rebuild 根据登记库重建名称查重所用的索引。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="重建全部名称索引（预留名称保留）")
        rebuild.add_argument("--batch-size", type=int, default=10_000, help="每批处理的组织数")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        verbose = options["verbosity"] > 1

        def progress(done: int) -> None:
            if verbose:
                self.stderr.write(_("已处理 %(n)s 条") % {"n": done})

        count = name_keys_rebuild(batch_size=options["batch_size"], progress=progress)
        seconds = time.monotonic() - started
        self.stdout.write(
            _("名称索引已重建：%(n)s 条，用时 %(s).1f 秒。") % {"n": count, "s": seconds}
        )
