"""Bad input is the caller's mistake: a page number past any integer, a page number in other
digits, a multipart body without a boundary, a file name of hundreds of Chinese characters.
Each gets a 4xx with a clear message, never a 500 (the test client re-raises a server error)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socorg.core.middleware import FILE_NAME_MAX, file_name_problem
from socorg.core.models import Attachment, AuditLog
from socorg.core.text import control_problem
from socorg.core.tokens import token_create
from socorg.registration.services import applications as services
from tests.factories import login
from tests.registration.conftest import PDF, establishment_data, founder, rule_params, upload_dir

__all__ = ["founder", "rule_params", "upload_dir"]

HUGE = "9223372036854775807"


@pytest.mark.parametrize("page", [HUGE, "99999999999999999999999", "-1", "0", "²", "１", "1e3"])
def test_api_page_out_of_range_is_422(city, city_registrar, as_user, page: str) -> None:
    response = as_user(city_registrar).get("/organizations", page=page)
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["page"]


def test_api_last_allowed_page_is_an_empty_page(city, city_registrar, as_user) -> None:
    response = as_user(city_registrar).get("/organizations", page="999999", page_size="100")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/registry/organizations/",
        "/registry/corrections/",
        "/registration/principal-reviews/",
        "/registration/terms/",
        "/party/departments/",
        "/party/coverage/",
    ],
)
@pytest.mark.parametrize("page", [HUGE, "²", "١", "-5", "abc"])
def test_list_pages_read_a_bad_page_number_as_the_first_page(
    client, city, city_registrar, path: str, page: str
) -> None:
    response = login(client, city_registrar).get(path, {"page": page})
    assert response.status_code in (200, 403), response.status_code


@pytest.fixture
def draft(founder, rule_params):
    return services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code="371100",
        data=establishment_data(),
    )


@pytest.fixture
def token_client(founder) -> Client:
    _token, raw = token_create(user=founder)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def materials(draft) -> str:
    return f"/api/v1/applications/{draft.pk}/materials"


def test_multipart_without_a_boundary_is_400(city, draft, token_client, upload_dir) -> None:
    before = AuditLog.objects.count()
    response = token_client.post(
        materials(draft), data=b"--x\r\nhello\r\n--x--\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400, response.content
    assert "multipart" in response.json()["detail"] or "边界" in response.json()["detail"]
    assert AuditLog.objects.count() == before


def test_multipart_with_a_broken_body_is_400(city, draft, token_client, upload_dir) -> None:
    response = token_client.post(
        materials(draft),
        data=b'--x\r\nContent-Disposition: form-data; name="key"\r\n\r\nabc',
        content_type="multipart/form-data; boundary=x",
    )
    assert 400 <= response.status_code < 500, response.content


def test_a_very_long_chinese_file_name_is_refused_with_a_message(
    city, draft, token_client, upload_dir
) -> None:
    before = Attachment.objects.count(), AuditLog.objects.count()
    upload = SimpleUploadedFile("登" * 340 + ".pdf", PDF, content_type="application/pdf")
    response = token_client.post(materials(draft), {"key": "application_form", "file": upload})
    assert response.status_code in (400, 422), response.content
    assert "文件名" in str(response.json())
    assert (Attachment.objects.count(), AuditLog.objects.count()) == before


def test_a_control_character_never_reaches_a_stored_file_name(
    city, draft, token_client, upload_dir
) -> None:
    upload = SimpleUploadedFile("申请书\x01.pdf", PDF, content_type="application/pdf")
    response = token_client.post(materials(draft), {"key": "application_form", "file": upload})
    assert response.status_code < 500
    names = list(Attachment.objects.values_list("original_name", flat=True))
    assert all(control_problem(name) is None for name in names), names


def test_the_file_name_check_refuses_control_characters_and_long_names() -> None:
    assert file_name_problem("申请书.pdf") is None
    assert "控制字符" in (file_name_problem("申请书\x01.pdf") or "")
    assert "文件名过长" in (file_name_problem("登" * (FILE_NAME_MAX + 1)) or "")
