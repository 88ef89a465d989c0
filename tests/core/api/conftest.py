"""Fixtures for the JSON API: a client that speaks JSON as one member of the cast."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from socorg.core.models import User
from socorg.registry.models import (
    Branch,
    BranchKind,
    EventKind,
    EventReason,
    OrganizationEvent,
    Person,
    Post,
    Principal,
    Responsibility,
    ResponsibilityKind,
    Term,
)

API = "/api/v1"


class JsonClient:
    """``get``/``post`` against /api/v1 as the given user (session login) or with a token."""

    def __init__(self, user: User | None = None, token: str | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            self.client.force_login(user)
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            API + path, json.dumps(body), content_type="application/json", headers=self.headers
        )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """The cast's passwords need no Argon2 strength here (it costs ~0.3 s per user)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_user():
    return lambda user=None, token=None: JsonClient(user, token)


@pytest.fixture
def profiled_org(city):
    """The 东港区 organization with a term, principals, a branch, a responsibility and events."""
    org = city.donggang_org
    term = Term.objects.create(
        organization=org, number=3, starts_on=date(2021, 6, 1), ends_on=date(2099, 5, 31)
    )
    chair = Person.objects.create(name="李四", id_number="37110219800101001X")
    secretary = Person.objects.create(name="王五", id_number="371102199001010017")
    Principal.objects.create(
        organization=org,
        term=term,
        person=secretary,
        post=Post.SECRETARY_GENERAL,
        starts_on=date(2021, 6, 1),
    )
    Principal.objects.create(
        organization=org,
        term=term,
        person=chair,
        post=Post.CHAIR,
        is_legal_representative=True,
        starts_on=date(2021, 6, 1),
    )
    Branch.objects.create(
        parent=org,
        kind=BranchKind.BRANCH,
        name="青少年书法专业委员会",
        established_on=date(2019, 1, 1),
    )
    Responsibility.objects.create(
        organization=org,
        department=city.party,
        kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT,
        effective_from=date(2022, 1, 1),
    )
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.REGISTERED,
        reason=EventReason.APPLICATION,
        occurred_on=date(2015, 6, 1),
    )
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.CORRECTED,
        reason=EventReason.DATA_CORRECTION,
        occurred_on=date(2020, 1, 1),
        is_public=False,
    )
    return org
