"""Fixtures of the application and joint-review tests: the rule parameters, the rest of the
cast (a founder, the approval clerk, the party reviewer), an API client and sample data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from socorg.core.models import Attachment, Role, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.core.workflow import fire
from socorg.registration.access import ORGANIZATION_OWNER
from socorg.registration.models import Application
from socorg.registration.processes import APPLICATION
from socorg.registration.selectors import applications as app_selectors
from socorg.registration.services import applications as app_services
from socorg.registration.services.certificates import certificate_issue
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FOUNDER_ID = "110101198001010010"


@pytest.fixture(autouse=True)
def chinese_messages() -> Iterator[None]:
    """Messages are checked in Chinese, whatever language a request of an earlier test left
    active in this thread (the test client's requests activate the caller's language)."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def rule_params(db: None) -> None:
    load_rule_defaults()


@pytest.fixture
def issue_certificate(django_capture_on_commit_callbacks):
    """Issue a certificate as the approval does and return its stored PDF: the file is
    rendered once the issuing transaction commits."""

    def issue(actor: User, organization: Any) -> Attachment:
        with django_capture_on_commit_callbacks(execute=True):
            issued = certificate_issue(actor=actor, organization=organization)
        return Attachment.objects.get(
            owner_type=ORGANIZATION_OWNER,
            owner_id=str(organization.pk),
            original_name__contains=issued.number,
        )

    return issue


@pytest.fixture
def founder(city) -> User:
    """A founders' account: an organization account without an organization yet."""
    return f.user("founder", Role.ORGANIZATION)


@pytest.fixture
def approval_clerk(city) -> User:
    return f.user(
        "approval_clerk", Role.APPROVAL_CLERK, jurisdiction=city.city, department=city.approval
    )


@pytest.fixture
def party_reviewer(city) -> User:
    return f.user("party_reviewer", Role.PARTY_BUILDING_REVIEWER, department=city.party)


class Api:
    """The JSON API as one user sees it (session authentication)."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.client.force_login(user)

    def get(self, path: str) -> Any:
        return self.client.get("/api/v1" + path)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post("/api/v1" + path, json.dumps(body), content_type="application/json")

    def put(self, path: str, body: Any) -> Any:
        return self.client.put("/api/v1" + path, json.dumps(body), content_type="application/json")

    def upload(self, app_id: int, key: str, name: str = "材料.pdf", content: bytes = PDF) -> Any:
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        return self.client.post(
            f"/api/v1/applications/{app_id}/materials", {"key": key, "file": upload}
        )

    def fire(self, process: str, pk: int, action: str, comment: str = "", **extra: Any) -> Any:
        body = {"action": action, "comment": comment, **extra}
        return self.post(f"/{process}/{pk}/transitions", body)


@pytest.fixture
def api():
    return Api


@pytest.fixture
def upload_dir(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def establishment_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "日照市青少年科技教育促进会",
        "category": "education",
        "supervisory_unit": "EDU",
        "purpose": "促进青少年科技教育",
        "business_scope": "科普活动、培训交流、咨询服务",
        "domicile": "日照市东港区海曲中路1号",
        "registered_funds": "50000",
        "individual_members": 60,
        "legal_representative": "王海",
        "legal_representative_id": FOUNDER_ID,
        "principals": [
            {"name": "王海", "id_number": FOUNDER_ID, "post": "chair"},
            {"name": "李红", "id_number": "110101198502020022", "post": "secretary_general"},
        ],
    }
    data.update(over)
    return data


def upload_required_materials(app: Application, actor: User, name: str = "材料.pdf") -> None:
    """Every required material of ``app``, as a small PDF uploaded by ``actor``."""
    for row in app_selectors.material_rows(app):
        if row.material.required:
            upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
            app_services.material_upload(
                actor=actor, application=app, key=row.material.key, upload=upload
            )


def submitted_establishment(founder: User, name: str = "材料.pdf") -> Application:
    """An establishment application of a city social group, complete and submitted."""
    app = app_services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code="371100",
        data=establishment_data(),
    )
    upload_required_materials(app, founder, name)
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    return app
