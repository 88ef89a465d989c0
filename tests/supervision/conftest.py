"""Fixtures of the supervision tests: organization accounts that file, the supervisory unit
that reviews first, the bureau that reviews and concludes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from socorg.core.models import DepartmentKind, Role, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.registry.models import Organization
from socorg.supervision.models import AnnualReport
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Api:
    """The JSON API as one user sees it (session authentication)."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.client.force_login(user)

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get("/api/v1" + path, query)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post("/api/v1" + path, json.dumps(body), content_type="application/json")

    def put(self, path: str, body: Any) -> Any:
        return self.client.put("/api/v1" + path, json.dumps(body), content_type="application/json")

    def upload_audit_report(self, pk: int, name: str = "审计报告.pdf", content: bytes = PDF) -> Any:
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        return self.client.post(f"/api/v1/annual-reports/{pk}/audit-report", {"file": upload})

    def fire(self, pk: int, action: str, comment: str = "", **extra: Any) -> Any:
        body = {"action": action, "comment": comment, **extra}
        return self.post(f"/annual_report/{pk}/transitions", body)


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """Messages are compared in Chinese, whatever language an earlier page left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def edu_org_account(city) -> User:
    """The account of 日照市教育学会 (dual management, supervisory unit 市教育局)."""
    return f.user("edu_org", Role.ORGANIZATION, organization=city.edu_org)


@pytest.fixture
def reviewer(city) -> User:
    return f.user("reviewer", Role.REVIEWER, jurisdiction=city.city, department=city.civil_affairs)


@pytest.fixture
def health_liaison(city) -> User:
    """The liaison of another supervisory unit (市卫生健康委员会)."""
    health = f.department(
        "WJW",
        "日照市卫生健康委员会",
        DepartmentKind.GOVERNMENT,
        city.city,
        is_supervisory_unit=True,
    )
    return f.user("health_liaison", Role.DEPARTMENT_LIAISON, department=health)


@pytest.fixture
def api():
    return Api


@pytest.fixture
def rule_defaults(db: None) -> None:
    load_rule_defaults()


def report(
    org: Organization, year: int, state: str, submitted_on: date | None = None
) -> AnnualReport:
    return AnnualReport.objects.create(
        organization=org,
        year=year,
        org_type=org.org_type,
        management_mode=org.management_mode,
        supervisory_unit=org.supervisory_unit,
        state=state,
        submitted_on=submitted_on,
    )
