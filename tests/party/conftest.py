"""Fixtures of the party-building tests: tasks run inline, uploads go to a temporary directory,
and a source document issued jointly by two departments; the party-building bodies."""

from __future__ import annotations

from datetime import date

import pytest

from socorg.core.models import Department, DepartmentKind, Role
from socorg.core.rule_defaults import load_rule_defaults
from socorg.party.models import BodyKind, PartyBody
from socorg.registry.models import SourceDocument
from tests import factories as f
from tests.party.bodies_fixtures import JOINT_NUMBER, Bodies


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path) -> None:
    # Changing TASKS fires setting_changed, on which django_tasks rebuilds its backends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bodies(city) -> Bodies:
    load_rule_defaults()
    top = PartyBody.objects.create(department=city.party, kind=BodyKind.NEW_SECTORS_PARTY_COMMITTEE)
    edu_dept = f.department(
        "HYDW-EDU", "中共日照市教育行业委员会", DepartmentKind.PARTY_BUILDING_BODY, city.city
    )
    health_dept = f.department(
        "HYDW-WJW", "中共日照市卫生健康行业委员会", DepartmentKind.PARTY_BUILDING_BODY, city.city
    )
    edu = PartyBody.objects.create(
        department=edu_dept,
        kind=BodyKind.INDUSTRY_PARTY_COMMITTEE,
        parent=top,
        sector_department=city.edu,
    )
    health = PartyBody.objects.create(
        department=health_dept, kind=BodyKind.INDUSTRY_PARTY_COMMITTEE, parent=top
    )
    document = SourceDocument.objects.create(
        title="关于明确市直部门社会组织党建工作管理职责的通知",
        number=JOINT_NUMBER,
        issued_on=date(2022, 2, 10),
    )
    issuers: list[Department] = [city.party, city.approval, city.civil_affairs]
    for code, name in (
        ("ZZB", "中共日照市委组织部"),
        ("TZB", "中共日照市委统战部"),
        ("SCJ", "日照市市场监督管理局"),
    ):
        issuers.append(f.department(code, name, DepartmentKind.GOVERNMENT, city.city))
    document.issuers.set(issuers)
    return Bodies(
        top=top,
        edu=edu,
        health=health,
        document=document,
        top_reviewer=f.user("party_top", Role.PARTY_BUILDING_REVIEWER, department=city.party),
        edu_reviewer=f.user("party_edu", Role.PARTY_BUILDING_REVIEWER, department=edu_dept),
    )
