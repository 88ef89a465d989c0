"""``socorg demo load`` (the seed city, once) and ``socorg demo scale --orgs N`` (synthetic
organizations for benchmarks)."""

from __future__ import annotations

import unicodedata
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from socorg.core.models import Role
from socorg.demo.loader import CAST, DEMO_PASSWORD, FOUNDERS, figures, load_demo
from socorg.demo.scenario import EXPECTED

LABELS = {
    "registered": "登记在册社会组织",
    "registered_city": "  其中市管",
    "deregistered": "2020年以来注销登记",
    "revoked": "2020年以来撤销登记",
    "deregistered_city": "  其中市级注销",
    "revoked_city": "  其中市级撤销",
    "filed_community": "备案社区社会组织",
    "government_departments": "市直部门",
    "industry_party_committees": "行业党委",
    "mapped_city_organizations": "明确党建管理职责的市管社会组织",
    "preschools": "幼教机构",
    "civil_affairs_field": "民政领域社会组织",
    "public_welfare": "公益慈善类社会组织",
    "pre_reviewed_by_divisions": "业务科室前置审查",
    "joint_document_issuers": "党建管理职责联合发文部门",
    "party_instructors": "党建工作指导员",
    "instructed_organizations": "  其指导的社会组织",
}


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """Pad to a terminal width, counting wide (CJK) characters as two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill


class Command(BaseCommand):
    help = "演示数据：load 载入日照市演示场景；scale 批量生成合成社会组织用于性能测试。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="载入日照市演示场景（可重复执行，已载入则跳过）")
        scale = sub.add_parser("scale", help="批量生成合成社会组织")
        scale.add_argument("--orgs", type=int, required=True, help="生成的社会组织数量")
        scale.add_argument("--seed", type=int, default=1, help="随机种子")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self.load()
        else:
            self.scale(options["orgs"], options["seed"])

    def load(self) -> None:
        result = load_demo()
        if result.loaded:
            self.stdout.write(f"已载入日照市演示场景，用时 {result.seconds:.1f} 秒。")
            self.stdout.write("  " + "，".join(f"{k} {v:,}" for k, v in result.rows.items()))
        else:
            self.stdout.write(f"演示场景已存在，未作改动（检查用时 {result.seconds:.2f} 秒）。")
            if result.rows:
                self.stdout.write(
                    "  补充：" + "，".join(f"{k} {v:,}" for k, v in result.rows.items())
                )
        if result.rule_parameters_created:
            self.stdout.write(f"新增规则参数 {result.rule_parameters_created} 项。")
        self.summary()
        self.logins()

    def summary(self) -> None:
        actual = figures()
        self.stdout.write(
            "\n" + _pad("指标", 34) + _pad("数据库", 10, right=True) + _pad("种子", 10, right=True)
        )
        for key, expected in EXPECTED.items():
            mark = "" if actual[key] == expected else "  ≠"
            self.stdout.write(_pad(LABELS[key], 34) + f"{actual[key]:>10,}{expected:>10,}{mark}")

    def logins(self) -> None:
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}，生产环境禁止登录）：")
        self.stdout.write("  " + _pad("用户名", 20) + _pad("角色", 42) + _pad("姓名", 8) + "密码")
        for username, role, full_name, *_ in CAST:
            founder = "，发起人" if username in FOUNDERS else ""
            label = f"{Role(role).label}（{role}{founder}）"
            self.stdout.write(
                f"  {username:<20}{_pad(label, 42)}{_pad(full_name, 8)}{DEMO_PASSWORD}"
            )

    def scale(self, orgs: int, seed: int) -> None:
        from socorg.demo.scale import load_scale

        if orgs <= 0:
            raise CommandError("--orgs 必须为正整数。")
        result = load_scale(orgs, seed=seed, progress=self.stdout.write)
        self.stdout.write(
            f"已生成 {result.organizations:,} 个社会组织（共写入 {result.rows:,} 行），"
            f"用时 {result.seconds:.1f} 秒，{result.rows / result.seconds:,.0f} 行/秒，"
            f"{result.organizations / result.seconds:,.0f} 个组织/秒（{result.method}）。"
        )
