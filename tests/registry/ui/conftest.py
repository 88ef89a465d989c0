"""Fixtures of the registry's staff pages: a richer record for one organization and bulk rows
for query-count tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from stdnum.cn import ric

from socorg.core.models import Jurisdiction, User
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
from tests import factories as f


def id_number(birth: str, serial: str = "001") -> str:
    """A valid resident ID number of someone from 东港区 born on ``birth`` (YYYYMMDD)."""
    body = f"371102{birth}{serial}"
    return body + ric.calc_check_digit(body + "0")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def joint_document(city: Any) -> SourceDocument:
    doc = SourceDocument.objects.create(
        title="关于建立社会组织综合监管责任清单的通知",
        number="日民发〔2022〕8号",
        issued_on=date(2022, 5, 1),
    )
    doc.issuers.add(city.edu, city.party)
    return doc


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


def make_orgs(where: Jurisdiction, n: int, **extra: Any) -> list[Organization]:
    return [f.organization(where=where, **extra) for _ in range(n)]
