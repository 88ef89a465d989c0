"""Fixtures of the registry's staff pages: a richer record for one organization and bulk rows
for query-count tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from stdnum.cn import ric

from socorg.registry.models import (
    Branch,
    BranchKind,
    Organization,
    Person,
    Post,
    Principal,
    Responsibility,
    ResponsibilityKind,
    SourceDocument,
    Term,
)


def id_number(birth: str, serial: str = "001") -> str:
    """A valid resident ID number of someone from 东港区 born on ``birth`` (YYYYMMDD)."""
    body = f"371102{birth}{serial}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def full_record(city: Any, joint_document: SourceDocument) -> Organization:
    """The 教育学会 with a term, principals, a branch and a responsibility."""
    org = city.edu_org
    term = Term.objects.create(
        organization=org, number=3, starts_on=date(2022, 1, 1), ends_on=date(2026, 12, 31)
    )
    chair = Person.objects.create(name="李明", id_number=id_number("19600315"))
    secretary = Person.objects.create(name="王芳", id_number=id_number("19850720", "002"))
    Principal.objects.create(
        organization=org,
        term=term,
        person=chair,
        post=Post.CHAIR,
        is_legal_representative=True,
        starts_on=date(2022, 1, 1),
    )
    Principal.objects.create(
        organization=org,
        term=term,
        person=secretary,
        post=Post.SECRETARY_GENERAL,
        starts_on=date(2022, 1, 1),
    )
    Branch.objects.create(
        parent=org,
        kind=BranchKind.BRANCH,
        name="日照市教育学会学前教育专业委员会",
        established_on=date(2019, 4, 1),
    )
    Responsibility.objects.create(
        organization=org,
        department=city.party,
        kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT,
        effective_from=date(2022, 5, 1),
        source_document=joint_document,
    )
    return org
