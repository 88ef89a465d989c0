"""Attack (of the other kind): the founder is locked out of what was issued to them.

Once the establishment is approved, the founders' account is the new organization's account:
it opens the organization's profile and downloads its registration certificate (a PDF). Any
other founder gets nothing (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from socorg.core.models import Attachment, AuditLog, Role, User
from socorg.core.workflow import fire
from socorg.registration.access import ORGANIZATION_OWNER
from socorg.registration.processes import APPLICATION
from socorg.registry.models import Organization
from tests import factories as f
from tests.registration.conftest import establishment_data
from tests.security.review import give, in_review

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")


@pytest.fixture
def founded(
    city,
    founder,
    approval_clerk,
    edu_liaison,
    party_reviewer,
    city_registrar,
    division_head,
    django_capture_on_commit_callbacks,
) -> tuple[Organization, Attachment]:
    app = in_review(founder, approval_clerk, establishment_data())
    give(app, "EDU", edu_liaison)
    give(app, "LXGW", party_reviewer)
    give(app, "MZJ-DJ", city_registrar)
    with django_capture_on_commit_callbacks(execute=True):  # the certificate follows the commit
        fire(process=APPLICATION, key=app.pk, action="approve", actor=division_head)
    org = Organization.objects.get(applications=app)
    certificate = Attachment.objects.get(owner_type=ORGANIZATION_OWNER, owner_id=str(org.pk))
    return org, certificate


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _download(client: Client, certificate: Attachment) -> Any:
    return client.get(reverse("attachment_download", args=[certificate.pk]))


def test_founder_downloads_the_certificate_and_opens_the_organization(
    founder, founded, division_head
) -> None:
    org, certificate = founded
    founder.refresh_from_db()
    assert founder.organization_id == org.pk
    link = AuditLog.objects.get(action="application.founder_link")
    assert link.actor_id == division_head.pk

    client = _client(founder)
    response = _download(client, certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    page = client.get(reverse("registry:organization_detail", args=[org.uscc]))
    assert page.status_code == 200 and org.name in page.content.decode()
    assert client.get(f"/api/v1/organizations/{org.uscc}").status_code == 200


def test_another_founder_gets_nothing(founded) -> None:
    org, certificate = founded
    stranger = _client(f.user("founder2", Role.ORGANIZATION))
    assert _download(stranger, certificate).status_code == 404
    page = stranger.get(reverse("registry:organization_detail", args=[org.uscc]))
    assert page.status_code == 404
    assert stranger.get(f"/api/v1/organizations/{org.uscc}").status_code in (403, 404)


def test_an_account_of_another_organization_gets_nothing(founded, org_account) -> None:
    org, certificate = founded
    other = _client(org_account)
    assert _download(other, certificate).status_code == 404
    assert other.get(reverse("registry:organization_detail", args=[org.uscc])).status_code == 404


def test_the_linked_account_cannot_found_a_second_organization(api, founder, founded) -> None:
    """The account now belongs to the organization it founded: a second founding application
    would give an organization nobody could open."""
    response = api(founder).post(
        "/applications",
        {"kind": "establishment", "org_type": "social_group", "jurisdiction": "371100"},
    )
    assert response.status_code == 422
    assert "已登记社会组织的账号不能申请" in response.json()["errors"]["kind"][0]
