"""Attachments are read only through their owner's access check: application materials by
whoever may see the application, the registration certificate by whoever may see the
organization. Outside the scope the file does not exist (404); anonymous visitors log in."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socorg.core.workflow import fire
from socorg.registration.models import Application
from socorg.registration.processes import APPLICATION
from socorg.registration.selectors import applications as selectors
from socorg.registration.services import applications as services
from tests.registration.conftest import PDF, establishment_data

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")


def _submitted(founder) -> tuple[Application, int]:
    app = services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code="371100",
        data=establishment_data(),
    )
    first = 0
    for row in selectors.material_rows(app):
        if row.material.required:
            upload = SimpleUploadedFile("登记申请书.pdf", PDF, content_type="application/pdf")
            material = services.material_upload(
                actor=founder, application=app, key=row.material.key, upload=upload
            )
            first = first or material.attachment_id
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    return app, first


def _url(pk: int) -> str:
    return reverse("attachment_download", args=[pk])


def test_applicant_downloads_the_material_under_its_original_name(client, city, founder) -> None:
    app, pk = _submitted(founder)
    client.force_login(founder)
    response = client.get(_url(pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert quote("登记申请书.pdf") in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith(("inline", "attachment"))


def test_application_detail_links_the_material_downloads(client, city, founder) -> None:
    app, pk = _submitted(founder)
    client.force_login(founder)
    page = client.get(reverse("registration:application_detail", args=[app.pk]))
    assert f'href="{_url(pk)}"' in page.content.decode()


def test_registrar_of_the_authority_may_download_another_district_may_not(
    client, city, founder, city_registrar, donggang_registrar
) -> None:
    _app, pk = _submitted(founder)
    client.force_login(city_registrar)
    assert client.get(_url(pk)).status_code == 200
    client.force_login(donggang_registrar)
    assert client.get(_url(pk)).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, city, founder) -> None:
    _app, pk = _submitted(founder)
    response = client.get(_url(pk))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_attachment_is_404(client, city, city_registrar) -> None:
    client.force_login(city_registrar)
    assert client.get(_url(999999)).status_code == 404


def test_certificate_is_linked_on_the_profile_and_served_to_the_organization(
    client, city, org_account, division_head, lanshan_registrar, issue_certificate
) -> None:
    org = city.city_org
    attachment = issue_certificate(division_head, org)
    client.force_login(org_account)
    page = client.get(reverse("registry:organization_detail", args=[org.uscc]))
    assert page.status_code == 200
    assert f'href="{_url(attachment.pk)}"' in page.content.decode()
    response = client.get(_url(attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(lanshan_registrar)
    assert client.get(_url(attachment.pk)).status_code == 404
