"""The streamed Excel export of the organization list."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from socorg.core.models import AuditLog
from tests.factories import login, make_orgs

URL = reverse("registry:organization_export")


def workbook_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(content), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_export_is_a_valid_workbook_with_chinese_headers(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = workbook_rows(response)
    assert rows[0][:3] == ("统一社会信用代码", "名称", "类型")
    exported = {row[1] for row in rows[1:]}
    assert {city.donggang_org.name, city.lanshan_org.name, city.edu_org.name} <= exported


def test_export_filename_is_dated_and_encoded_per_rfc_5987(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL)
    name = f"社会组织名录_{timezone.localdate():%Y%m%d}.xlsx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]


def test_export_contains_only_rows_in_scope(client, city, donggang_registrar) -> None:
    rows = workbook_rows(login(client, donggang_registrar).get(URL))
    assert [row[1] for row in rows[1:]] == [city.donggang_org.name]


def test_export_applies_the_list_filters(client, city, city_registrar) -> None:
    rows = workbook_rows(login(client, city_registrar).get(URL, {"q": "渔业"}))
    assert [row[1] for row in rows[1:]] == [city.lanshan_org.name]
    assert rows[1][2] == "社会团体"  # the type's label, not its code


def test_export_is_refused_to_a_department_liaison(client, city, edu_liaison) -> None:
    assert login(client, edu_liaison).get(URL).status_code == 403


def test_export_is_recorded_in_the_audit_log(client, city, donggang_registrar) -> None:
    login(client, donggang_registrar).get(URL, {"status": "registered"})
    row = AuditLog.objects.get(action="organization.export")
    assert row.actor == donggang_registrar
    assert row.after["rows"] == 1
    assert row.after["filters"]["status"] == "registered"


def test_export_with_an_invalid_filter_goes_back_to_the_list(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL, {"org_type": "spaceship"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("registry:organization_list"))
    assert not AuditLog.objects.filter(action="organization.export").exists()


def _export_queries(client, city, n: int) -> int:
    make_orgs(city.donggang, n)
    with CaptureQueriesContext(connection) as ctx:
        workbook_rows(client.get(URL))
    return len(ctx.captured_queries)


def test_export_runs_no_query_per_row(client, city, city_registrar) -> None:
    client = login(client, city_registrar)
    client.get(URL)
    assert _export_queries(client, city, 3) == _export_queries(client, city, 30)
