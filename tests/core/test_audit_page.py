"""The audit administrator's page: only the auditor opens it; it searches by user, object,
action, result and date, pages, shows before/after in words, exports to xlsx (recorded), and
offers no way to change or delete a row."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from socorg.core.audit import audit_record
from socorg.core.models import AuditLog, Role, User
from socorg.core.selectors import AUDIT_PAGE_SIZE
from socorg.core.workflow import fire
from socorg.registry.processes import DATA_CORRECTION
from tests import factories as f


@pytest.fixture
def auditor(city) -> User:
    return f.user("auditor_li", Role.AUDITOR, jurisdiction=city.city)


@pytest.fixture
def approved_correction(correction, division_head):
    return fire(process=DATA_CORRECTION, key=correction.pk, action="approve", actor=division_head)


def test_only_the_auditor_opens_the_audit_page(client, auditor, city_registrar, division_head):
    for user in (city_registrar, division_head):
        f.login(client, user)
        assert client.get("/audit/").status_code == 403
        assert client.get("/audit/export/").status_code == 403
    client.logout()
    assert client.get("/audit/").status_code == 302
    f.login(client, auditor)
    assert client.get("/audit/").status_code == 200


def test_audit_page_shows_labels_not_codes(client, auditor, approved_correction):
    f.login(client, auditor)
    page = client.get("/audit/").content.decode()
    html = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "数据更正：" in html  # the workflow action's label, not data_correction.approve
    assert "状态" in html and "已批准" in html  # the state's label, not "approved"
    assert "data_correction.approve" not in html and '"state"' not in html
    assert 'href="/audit/"' in page[: page.index("<main")]  # in the navigation


def test_audit_search_by_user_action_and_date(client, auditor, approved_correction, division_head):
    f.login(client, auditor)
    rows = client.get("/audit/", {"user": division_head.username}).context["page"]
    assert rows.paginator.count and all(r.actor_name == division_head.username for r in rows)
    approve = client.get("/audit/", {"action": "act:data_correction.approve"}).context["page"]
    assert [r.action for r in approve] == ["data_correction.approve"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.get("/audit/", {"date_from": tomorrow}).context["page"].paginator.count == 0


def test_audit_search_refuses_a_reversed_date_range(client, auditor):
    f.login(client, auditor)
    response = client.get("/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期" in response.content.decode()


def test_failed_login_is_shown_as_a_failure(client, auditor, city_registrar):
    client.post("/login/", {"username": city_registrar.username, "password": "wrong"})
    f.login(client, auditor)
    response = client.get("/audit/", {"result": "failure"})
    assert [r.action for r in response.context["page"]] == ["user.login_failed"]
    assert "登录失败" in response.content.decode()


def test_audit_page_is_paginated(client, auditor):
    for n in range(AUDIT_PAGE_SIZE + 5):
        with transaction.atomic():
            audit_record(actor=auditor, action="test.write", object_type="t", object_id=n)
    f.login(client, auditor)
    first = client.get("/audit/").context["page"]
    second = client.get("/audit/", {"page": 2}).context["page"]
    assert (len(first), len(second)) == (AUDIT_PAGE_SIZE, 5)
    assert first[0].seq > second[0].seq


def test_audit_export_is_readable_and_recorded(client, auditor, approved_correction):
    f.login(client, auditor)
    response = client.get("/audit/export/", {"action": "act:data_correction.approve"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) == 2
    assert "数据更正" in rows[1][4] and "已批准" in rows[1][9]
    export = AuditLog.objects.get(action="audit.export")
    assert export.actor_id == auditor.pk and export.after["rows"] == 1


def test_audit_rows_cannot_be_changed_through_the_ui(client, auditor, admin_client):
    f.login(client, auditor)
    assert client.post("/audit/").status_code == 405
    with transaction.atomic():
        row = audit_record(actor=auditor, action="test.write", object_type="t", object_id=1)
    change = admin_client.get(f"/admin/core/auditlog/{row.pk}/change/")
    assert b'name="_save"' not in change.content
    assert admin_client.get(f"/admin/core/auditlog/{row.pk}/delete/").status_code == 403


def test_audit_page_queries_do_not_grow_with_rows(client, auditor, approved_correction):
    f.login(client, auditor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/audit/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(AUDIT_PAGE_SIZE):
        with transaction.atomic():
            audit_record(actor=auditor, action="test.write", object_type="t", object_id=n)
    assert queries() == few
