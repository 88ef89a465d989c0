"""The demo's random inspections (双随机、一公开): the published list of RI-4 matters, an inspector
pool for the city and each county (the cast's two city inspectors and the 教育局 liaison, plus pool
members who do not log in), and the 2025 and 2026 plans of 日照市 and of each district/county,
committed, drawn and revealed; the 2025 ones inspected with findings on every matter.

Deterministic: the seeds come from a fixed demo secret (``services.seeds_from``), so every load
draws the same organizations and inspectors; a real plan's seed comes from ``secrets``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from random import Random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from socorg.core.models import Department, Jurisdiction, Role, User
from socorg.demo.reference import CITY_CODE
from socorg.supervision.models import (
    FindingResult,
    InspectionFinding,
    InspectionMatterList,
    InspectionPlan,
    PlanAssignment,
)
from socorg.supervision.rules.inspections import RI4_MATTERS
from socorg.supervision.services import inspections as services

COUNTY_CODES = ("371102", "371103", "371121", "371122")
YEARS = (2025, 2026)
MATTERS_PUBLISHED_ON = date(2024, 12, 20)
DEMO_SECRET = "socorg-demo-random-inspection"
# Pool members besides the cast (they do not log in): (jurisdiction, name, role).
POOL = (
    (CITY_CODE, "钱文博", Role.INSPECTOR),
    (CITY_CODE, "冯佳怡", Role.INSPECTOR),
    (CITY_CODE, "蒋国庆", Role.EXPERT),
    (CITY_CODE, "韩雨桐", Role.EXPERT),
    ("371102", "杨帆", Role.INSPECTOR),
    ("371102", "朱丽华", Role.INSPECTOR),
    ("371102", "秦明远", Role.EXPERT),
    ("371103", "许志伟", Role.INSPECTOR),
    ("371103", "何秀英", Role.INSPECTOR),
    ("371103", "吕晓东", Role.EXPERT),
    ("371121", "施建华", Role.INSPECTOR),
    ("371121", "张海燕", Role.INSPECTOR),
    ("371121", "孔令军", Role.EXPERT),
    ("371122", "曹玉梅", Role.INSPECTOR),
    ("371122", "严志刚", Role.INSPECTOR),
    ("371122", "华丽娜", Role.EXPERT),
)
# The findings of 2025, drawn from this mix (most checks find nothing).
RESULTS = (FindingResult.COMPLIANT,) * 7 + (FindingResult.ISSUES,) * 2 + (FindingResult.SERIOUS,)
ISSUES = {
    "annual_report": "年度工作报告部分财务数据与审计报告不一致，已责令更正。",
    "disclosure": "未按章程在官网公开年度工作报告，已责令限期公开。",
    "governance": "理事会未按章程每年召开，会议记录不全。",
    "finances": "未按规定建立财务台账，部分支出无原始凭证。",
    "activities": "开展的部分活动超出登记的业务范围。",
}


def _seeds() -> Callable[[], str]:
    counter = iter(range(10_000))
    return lambda: hashlib.sha256(f"{DEMO_SECRET}:{next(counter)}".encode()).hexdigest()


def _ensure_pool() -> None:
    areas = {j.code: j for j in Jurisdiction.objects.filter(code__in=[CITY_CODE, *COUNTY_CODES])}
    expert_dept = Department.objects.filter(code="MZJ-ZF").first()
    password = make_password(None)  # pool members do not log in
    existing = set(
        User.objects.filter(username__startswith="pool_").values_list("username", flat=True)
    )
    User.objects.bulk_create(
        User(
            username=f"pool_{code}_{n}",
            role=role,
            full_name=name,
            password=password,
            jurisdiction=areas[code],
            department=expert_dept if code == CITY_CODE and role == Role.INSPECTOR else None,
        )
        for n, (code, name, role) in enumerate(POOL)
        if f"pool_{code}_{n}" not in existing
    )


def _record_findings(plan: InspectionPlan, rng: Random) -> int:
    recorded = 0
    matters = list(plan.matter_list.matters.all())
    first: dict[int, PlanAssignment] = {}
    for assignment in (
        PlanAssignment.objects.filter(subject__plan=plan)
        .select_related("inspector__user")
        .order_by("subject__uscc", "pk")
    ):
        first.setdefault(assignment.subject_id, assignment)
    for subject_id, assignment in first.items():
        for matter in matters:
            result = rng.choice(RESULTS)
            services.finding_record(
                actor=assignment.inspector.user,
                subject_id=subject_id,
                matter_id=matter.pk,
                result=result,
                description="" if result == FindingResult.COMPLIANT else ISSUES[matter.code],
            )
            recorded += 1
    return recorded


def ensure_demo_inspections() -> int:
    """The demo's plans, drawn and revealed, 2025's inspected; how many plans there are."""
    if InspectionPlan.objects.exists():
        return InspectionPlan.objects.count()
    head = User.objects.filter(username="division_head").first()
    if head is None:
        return 0
    _ensure_pool()
    if not InspectionMatterList.objects.exists():
        services.matter_list_publish(
            actor=head,
            version=1,
            published_on=MATTERS_PUBLISHED_ON,
            matters=RI4_MATTERS,
            basis="社会组织抽查暂行办法（民发〔2017〕45号）",
        )
    rng = Random(20250301)
    with services.seeds_from(_seeds()):
        for year in YEARS:
            for code in (CITY_CODE, *COUNTY_CODES):
                plan = services.plan_create(
                    actor=head, jurisdiction_code=code, year=year, on=date(year, 1, 10)
                )
                services.plan_commit(actor=head, plan_id=plan.pk)
                services.plan_draw(actor=head, plan_id=plan.pk)
                if year == YEARS[0]:
                    _record_findings(plan, rng)
    _rectification_notices()
    return InspectionPlan.objects.count()


def _rectification_notices(count: int = 3) -> None:
    """The enforcement officer has followed up the city's first 2025 findings of issues with a
    rectification notice each (numbered PDFs the organizations can download)."""
    officer = User.objects.filter(username="enforcement_officer").first()
    if officer is None:
        return
    findings = InspectionFinding.objects.filter(
        result=FindingResult.ISSUES,
        subject__plan__year=YEARS[0],
        subject__plan__jurisdiction__code=CITY_CODE,
    ).order_by("subject__stratum", "subject__uscc", "matter__position")[:count]
    for finding in findings:
        services.finding_rectification_notice(
            actor=officer,
            finding_id=finding.pk,
            requirements="对照检查发现的问题逐项整改，于期限内向登记管理机关书面报送整改情况。",
            due_on=timezone.localdate() + timedelta(days=30),
        )
