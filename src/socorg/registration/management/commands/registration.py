"""``socorg registration escalate``: flag overdue joint-review opinions to the division head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from socorg.registration.services.opinions import opinion_escalate_overdue


class Command(BaseCommand):
    help = "登记审批维护任务：escalate（逾期意见提交科室负责人督办）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("task", choices=["escalate"])

    def handle(self, *args: Any, **options: Any) -> None:
        flagged = opinion_escalate_overdue()
        self.stdout.write(f"已督办逾期意见 {flagged} 条。")
