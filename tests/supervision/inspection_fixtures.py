"""Fixtures of the random-inspection tests: a city with 50 organizations, the division head,
three bureau inspectors and the 教育局 liaison, the published list of matters and a draft plan."""

from __future__ import annotations

from datetime import date

import pytest

from socorg.core.models import Role
from socorg.registry.models import OrgType
from socorg.supervision.models import InspectionPlan
from socorg.supervision.services import inspections as services
from tests import factories as f

__all__ = ["MATTERS", "division_head", "inspectors", "plan"]

MATTERS = [
    ("annual_report", "年度工作报告"),
    ("disclosure", "信息公开"),
    ("governance", "内部治理"),
    ("finances", "财务管理"),
    ("activities", "业务活动"),
]


@pytest.fixture
def division_head(city):
    return f.user("head", Role.DIVISION_HEAD, jurisdiction=city.city, department=city.civil_affairs)


@pytest.fixture
def inspectors(city):
    staff = [
        f.user(f"insp{n}", Role.INSPECTOR, jurisdiction=city.city, department=city.civil_affairs)
        for n in range(3)
    ]
    liaison = f.user(
        "edu_liaison", Role.DEPARTMENT_LIAISON, jurisdiction=city.city, department=city.edu
    )
    return [*staff, liaison]


@pytest.fixture
def plan(city, rule_defaults, division_head, inspectors) -> InspectionPlan:
    f.make_orgs(city.city, 40)
    f.make_orgs(city.city, 10, org_type=OrgType.FOUNDATION)
    services.matter_list_publish(
        actor=division_head, version=1, published_on=date(2024, 1, 1), matters=MATTERS
    )
    return services.plan_create(actor=division_head, jurisdiction_code="371100", year=2026)
