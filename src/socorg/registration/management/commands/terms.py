"""``socorg terms remind [--today YYYY-MM-DD]``: create the TT-1 reminders of terms that expire
within the preparation window or are overdue (run daily by the scheduler)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socorg.registration.services.terms import term_reminders_create


class Command(BaseCommand):
    help = "换届管理：remind 生成即将届满和逾期未换届的提醒（TT-1）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="生成换届提醒")
        remind.add_argument("--today", help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            self._remind(options.get("today"))

    def _remind(self, raw: str | None) -> None:
        try:
            today = date.fromisoformat(raw) if raw else None
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from exc
        created = term_reminders_create(today=today)
        self.stdout.write(
            _(
                "已生成换届提醒：即将届满 %(expiring)d 条，已届满未换届 %(overdue)d 条，逾期超过一年 %(overdue_long)d 条。"
            )
            % created
        )
