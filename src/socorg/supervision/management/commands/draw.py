"""``socorg draw verify --plan ID``: recompute a revealed random-inspection draw from the plan's
public bundle (``supervision/draw.py``) and compare it with what was stored and published.

The bundle is the one stored after the draw when there is one (checked against its digest,
the plan's published fields and the selections the draw stored), otherwise built from the
pools; either way the draw is recomputed from the bundle alone."""

from __future__ import annotations

import gzip
import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from socorg.supervision import draw
from socorg.supervision.selectors.inspections import (
    published_bundle,
    published_stored_bundle,
    stored_bundle_problems,
)


class Command(BaseCommand):
    help = "随机抽查：verify 依公开数据包重新计算抽取结果并核对。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="重新计算并核对一个已公开种子的抽查计划")
        verify.add_argument("--plan", type=int, required=True, help="抽查计划编号")

    def handle(self, *args: Any, **options: Any) -> None:
        bundle, problems = verification_input(options["plan"])
        problems += draw.verify_bundle(bundle, processes=settings.SOCORG_DRAW_PROCESSES)
        if problems:
            raise CommandError(
                _("抽查计划 %(id)s 核对不一致：%(problems)s")
                % {"id": bundle["id"], "problems": "；".join(problems)}
            )
        self.stdout.write(
            _(
                "抽查计划 %(id)s 核对一致：种子承诺值、名录库摘要、%(n)s 个抽中组织及其检查人员均可复算。"
            )
            % {"id": bundle["id"], "n": len(bundle["selected"])}
        )


def verification_input(plan_id: int) -> tuple[dict[str, Any], list[str]]:
    """The plan's public bundle (the stored one if any) and what is wrong with the stored one."""
    try:
        stored = published_stored_bundle(plan_id)
        if stored is None:
            return published_bundle(plan_id), []
    except Http404 as exc:
        raise CommandError(_("未找到该抽查计划，或计划尚未锁定。")) from exc
    body = gzip.decompress(stored.body)
    with draw.gc_paused():
        bundle = json.loads(body)
    return bundle, stored_bundle_problems(stored, body, bundle)
