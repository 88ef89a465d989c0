"""``socorg sweep run [--as-of YYYY-MM-DD] [--dry-run] [--incremental]``: the compliance sweep
(CR-2 … CR-5) now, in this process; ``socorg sweep nightly``: queue the nightly incremental
sweep for the background worker (what the scheduler runs every night)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from socorg.supervision.services.sweep import sweep_result_rows, sweep_run
from socorg.supervision.services.sweep_runs import sweep_nightly_start

WHAT = {
    "noticed": pgettext_lazy("sweep outcome", "预先告知"),
    "evidence_added": pgettext_lazy("sweep outcome", "补充事实依据"),
    "cancelled": pgettext_lazy("sweep outcome", "撤回告知"),
    "listed": pgettext_lazy("sweep outcome", "列入"),
    "delisted": pgettext_lazy("sweep outcome", "移出"),
}


class Command(BaseCommand):
    help = "合规核查：run 立即核查（可指定基准日、仅预览、增量）；nightly 提交每晚的增量核查任务。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="立即执行合规核查")
        run.add_argument("--as-of", dest="as_of", help="核查基准日（YYYY-MM-DD），默认今天")
        run.add_argument(
            "--dry-run", action="store_true", help="仅预览该基准日将产生的结果，不写入任何数据"
        )
        run.add_argument(
            "--incremental", action="store_true", help="只核查上次核查以来数据有变化的组织"
        )
        run.add_argument("--limit", type=int, default=50, help="预览时列出的明细条数")
        run.add_argument("--json", action="store_true", help="以 JSON 输出统计")
        sub.add_parser("nightly", help="提交每晚的增量核查后台任务")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "nightly":
            sweep_nightly_start()
            self.stdout.write(_("已提交增量核查后台任务。"))
            return
        try:
            as_of = date.fromisoformat(options["as_of"]) if options.get("as_of") else None
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from exc
        dry_run = bool(options["dry_run"])
        result = sweep_run(
            as_of=as_of,
            dry_run=dry_run,
            incremental=bool(options["incremental"]),
            record=not dry_run,
            detail_limit=max(int(options["limit"]), 0) if dry_run else 0,
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "as_of": result.as_of.isoformat(),
                        "dry_run": dry_run,
                        "full": result.full,
                        "rules": result.by_rule(),
                        "detail": result.counts,
                        "seconds": round(result.seconds, 3),
                    },
                    ensure_ascii=False,
                )
            )
            return
        head = _("核查基准日 %(date)s：%(n)s 项变更，用时 %(s).1f 秒。") % {
            "date": result.as_of.isoformat(),
            "n": result.changes,
            "s": result.seconds,
        }
        if dry_run:
            head = _("（仅预览，未写入）") + head
        self.stdout.write(head)
        for key, n in sorted(result.counts.items()):
            rule, ground, what = key.split(".")
            self.stdout.write(f"  {rule} {ground} {WHAT.get(what, what)}: {n}")
        for row in sweep_result_rows(result):
            evidence = json.dumps(row.get("evidence", {}), ensure_ascii=False, default=str)
            self.stdout.write(
                f"  - {row['rule']} {WHAT.get(row['what'], row['what'])} {row['uscc']} "
                f"{row['name']} {row['ground']} {evidence}"
            )
