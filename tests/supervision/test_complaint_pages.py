"""Complaint pages: the public form (attachments checked, honeypot, minimum fill time, rate
limit) and tracking page; the staff list scoped to the routed department; the complainant's
identity shown only to the assigned handlers behind an audited action — invisible to every
other role on the pages and in the API."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socorg.core import access
from socorg.core.models import Attachment, AuditLog, Role, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.supervision.forms.complaints import started_token
from socorg.supervision.models import ComplainantIdentity, Complaint, ComplaintState
from tests import factories as f
from tests.supervision.conftest import PDF

NAME, PHONE, ID_NUMBER = "李举报", "13912345678", "110101199003070011"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def rules_loaded(db, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    load_rule_defaults()


@pytest.fixture
def officer(city) -> User:
    return f.user(
        "officer", Role.ENFORCEMENT_OFFICER, jurisdiction=city.city, department=city.civil_affairs
    )


def form(org: Any, **extra: Any) -> dict[str, Any]:
    return {
        "organization": org.name,
        "subject": "违规收费",
        "content": "该学会以培训名义收费。",
        "name": NAME,
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "website": "",
        "started": started_token(time.time() - 60),
        **extra,
    }


def post_public(data: dict[str, Any], address: str = "10.1.1.1") -> Any:
    return Client(REMOTE_ADDR=address).post(reverse("complaints:complaint_file"), data)


def file_with_identity(org: Any) -> Complaint:
    client = Client(REMOTE_ADDR="10.1.1.2")
    response = client.post(reverse("complaints:complaint_file"), form(org))
    assert response.status_code == 302, response.content.decode()[:2000]
    filed = client.get(response["Location"])
    complaint = Complaint.objects.get()
    assert complaint.tracking_code[:4] in filed.content.decode()
    return complaint


def test_the_public_page_files_with_attachments_and_shows_the_tracking_code(city) -> None:
    client = Client(REMOTE_ADDR="10.1.1.3")
    page = client.get(reverse("complaints:complaint_file"))
    assert page.status_code == 200 and "提交投诉" in page.content.decode()
    data = form(
        city.edu_org,
        attachments=[
            SimpleUploadedFile("票据.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
        ],
    )
    response = client.post(reverse("complaints:complaint_file"), data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    shown = client.get(response["Location"]).content.decode()
    code = f"{complaint.tracking_code[:4]}-{complaint.tracking_code[4:8]}-{complaint.tracking_code[8:]}"
    assert code in shown and "查询码" in shown
    files = Attachment.objects.filter(
        owner_type="supervision.complaint", owner_id=str(complaint.pk)
    )
    assert sorted(files.values_list("original_name", flat=True)) == ["现场.png", "票据.pdf"]
    assert files.filter(uploaded_by__isnull=True).count() == 2
    tracked = Client().get(reverse("complaints:complaint_track"), {"code": code.lower()})
    assert tracked.status_code == 200 and "已接收" in tracked.content.decode()
    assert NAME not in tracked.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("说明.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
            "不支持该文件类型",
        ),
        (
            SimpleUploadedFile("假图.png", b"%PDF-1.4 not a png", content_type="image/png"),
            "文件内容与扩展名不符",
        ),
        (
            SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048, content_type="application/pdf"),
            "文件大小超过上限",
        ),
    ],
)
def test_a_wrong_type_or_oversized_attachment_refuses_the_whole_filing(
    city, settings, upload, message
) -> None:
    settings.SOCORG_UPLOAD_MAX_BYTES = 1024
    response = post_public(form(city.edu_org, attachments=[upload]))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "违规收费" in response.content.decode()  # what was typed is kept
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert not ComplainantIdentity.objects.exists()


def test_the_honeypot_and_a_form_sent_too_fast_or_forged_write_nothing(city) -> None:
    for data, message in (
        (form(city.edu_org, website="http://spam.example"), "提交未成功"),
        (form(city.edu_org, started=started_token()), "提交过快"),
        (form(city.edu_org, started="forged"), "页面已过期"),
    ):
        response = post_public(data)
        assert response.status_code == 400 and message in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_public_page_is_rate_limited_per_address(city, monkeypatch) -> None:
    monkeypatch.setattr("socorg.supervision.selectors.complaints.RATE_LIMIT", (1, 600))
    assert post_public(form(city.edu_org), "10.7.7.7").status_code == 302
    refused = post_public(form(city.edu_org), "10.7.7.7")
    assert refused.status_code == 429 and "提交过于频繁，请稍后再试。" in refused.content.decode()
    assert Complaint.objects.count() == 1


def test_an_unknown_tracking_code_says_so(db) -> None:
    response = Client().get(reverse("complaints:complaint_track"), {"code": "ABCD-EFGH-JKMN"})
    assert "未找到该查询码对应的投诉举报" in response.content.decode()


def _route(complaint: Complaint, officer: User) -> None:
    client = Client()
    client.force_login(officer)
    url = reverse("supervision:complaint_transition", args=[complaint.pk])
    for action, state in (("triage", "received"), ("route", "triaged")):
        client.post(url, {"action": action, "expected_state": state, "comment": ""})
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.ROUTED


def test_the_staff_pages_journey_and_the_liaison_sees_only_its_department(
    city, officer, edu_liaison
) -> None:
    complaint = file_with_identity(city.edu_org)
    other = Complaint.objects.create(
        tracking_code="ABCDEFGHJKMN",
        organization=city.city_org,
        subject="其他组织的投诉",
        content="内容",
        received_on=date.today(),
    )
    _route(complaint, officer)
    liaison = Client()
    liaison.force_login(edu_liaison)
    listing = liaison.get(reverse("supervision:complaint_list")).content.decode()
    assert "违规收费" in listing and "其他组织的投诉" not in listing
    assert liaison.get(reverse("supervision:complaint_detail", args=[other.pk])).status_code == 404
    url = reverse("supervision:complaint_transition", args=[complaint.pk])
    empty = liaison.post(url, {"action": "confirm", "expected_state": "routed", "comment": ""})
    assert "执行“核查属实”需要填写意见。" in empty.content.decode()
    liaison.post(url, {"action": "confirm", "expected_state": "routed", "comment": "经查属实。"})
    stale = liaison.post(
        url, {"action": "confirm", "expected_state": "routed", "comment": "经查属实。"}, follow=True
    )
    assert "已被他人处理" in stale.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CONCLUDED and complaint.findings == "经查属实。"


def _identity_shown(client: Client, complaint: Complaint) -> str:
    page = client.get(reverse("supervision:complaint_detail", args=[complaint.pk]))
    reveal = client.post(
        reverse("supervision:complaint_identity", args=[complaint.pk]), follow=True
    )
    return page.content.decode() + reveal.content.decode()


def test_the_identity_is_shown_only_to_the_assigned_handlers_and_every_read_is_audited(
    city, officer, edu_liaison
) -> None:
    """A matrix over every role (the bureau in the city, departments in 市教育局, the
    organization): only the officer who handles it and the routed department's liaison read
    the identity, each read audited; on no page and in no API answer does anyone else."""
    complaint = file_with_identity(city.edu_org)
    _route(complaint, officer)
    cast = [officer, edu_liaison]
    for role in Role:
        scope: dict[str, Any] = {}
        if role in access.JURISDICTION_ROLES:
            scope = {"jurisdiction": city.city, "department": city.civil_affairs}
        elif role in access.DEPARTMENT_ROLES:
            scope = {"department": city.edu}
        elif role == Role.ORGANIZATION:
            scope = {"organization": city.edu_org}
        cast.append(f.user(f"cast_{role}", role, **scope))
    # Any liaison of the routed department is its liaison; the other bureau staff are not.
    handlers = {officer.pk} | {
        u.pk for u in cast if u.role == Role.DEPARTMENT_LIAISON and u.department_id == city.edu.pk
    }
    assert len(handlers) == 3
    for user in cast:
        client = Client()
        client.force_login(user)
        before = AuditLog.objects.filter(action="complaint.identity_read").count()
        shown = _identity_shown(client, complaint)
        api = client.get(f"/api/v1/complaint/{complaint.pk}").content.decode()
        reads = AuditLog.objects.filter(action="complaint.identity_read").count() - before
        for secret in (NAME, PHONE, ID_NUMBER):
            assert secret not in api, (user.role, "api")
            assert (secret in shown) == (user.pk in handlers), (user.role, secret)
        assert reads == (1 if user.pk in handlers else 0), user.role
    readers = set(
        AuditLog.objects.filter(action="complaint.identity_read").values_list("actor_id", flat=True)
    )
    assert readers == handlers


def test_staff_record_a_hotline_call_and_the_liaison_finds_its_work_on_the_home_page(
    city, officer, edu_liaison
) -> None:
    client = Client()
    client.force_login(officer)
    url = reverse("supervision:complaint_intake")
    assert "登记投诉举报" in client.get(url).content.decode()
    data = {
        "source": "hotline_12345",
        "source_reference": "12345-0001",
        "organization": city.edu_org.uscc,
        "subject": "违规收费",
        "content": "热线来电反映。",
        "name": NAME,
        "phone": PHONE,
        "id_number": "",
    }
    unknown = client.post(url, {**data, "organization": "不存在的协会"})
    assert "未找到该社会组织" in unknown.content.decode() and not Complaint.objects.exists()
    response = client.post(url, data, follow=True)
    complaint = Complaint.objects.get()
    assert complaint.source == "hotline_12345" and complaint.handler == officer
    assert "已登记，查询码" in response.content.decode()
    assert NAME not in response.content.decode()  # shown only on the audited action
    _route(complaint, officer)
    liaison = Client()
    liaison.force_login(edu_liaison)
    assert "待办理的投诉举报" in liaison.get("/").content.decode()


def test_the_complaint_list_costs_the_same_queries_for_3_or_30_complaints(city, officer) -> None:
    client = Client()
    client.force_login(officer)

    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            Complaint.objects.create(
                tracking_code=f"{i:012d}".replace("0", "A").replace("1", "B"),
                organization=city.edu_org,
                department=city.edu,
                subject="事项",
                content="内容",
                received_on=date.today(),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("supervision:complaint_list")).status_code == 200
        return len(queries)

    make(3, 0)
    few = count()
    make(27, 3)
    assert count() == few
