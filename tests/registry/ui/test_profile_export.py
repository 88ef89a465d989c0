"""An organization's profile exported is a profile: 基本信息 as label/value rows, the principals
with ID numbers masked unless the reader vets people, the event history with coded reasons, the
branches, and a sheet saying what was exported and when; the export is recorded on the
organization's audit trail and refused outside the reader's scope."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from socorg.core.models import AuditLog, Role
from socorg.registry.models import EventKind, EventReason, Organization, OrganizationEvent
from tests import factories as f
from tests.factories import login


def export_url(org: Organization) -> str:
    return reverse("registry:organization_profile_export", args=[org.uscc or org.pk])


def _workbook(client, user, org):
    response = login(client, user).get(export_url(org))
    assert response.status_code == 200
    assert (
        "登记档案" in response["Content-Disposition"]
        or "filename*" in response["Content-Disposition"]
    )
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def _basic(book) -> dict[str, object]:
    return {label: value for label, value in book["基本信息"].iter_rows(values_only=True)}


def test_profile_export_has_the_profiles_sheets(client, city, city_registrar, full_record) -> None:
    book = _workbook(client, city_registrar, full_record)
    assert book.sheetnames == ["基本信息", "负责人", "事件", "分支机构", "导出条件"]


def test_basic_sheet_reads_label_and_value_with_funds_in_ten_thousand_yuan(
    client, city, city_registrar, full_record
) -> None:
    Organization.objects.filter(pk=full_record.pk).update(
        registered_funds=Decimal("300000"),
        certificate_valid_until=None,
        purpose='=HYPERLINK("http://x")',
        legal_representative="李明",
    )
    book = _workbook(client, city_registrar, full_record)
    basic = _basic(book)
    assert basic["名称"] == full_record.name
    assert basic["统一社会信用代码"] == full_record.uscc
    assert basic["业务主管单位"] == "日照市教育局"
    assert basic["法定代表人"] == "李明"
    assert basic["证书有效期至"] == "长期"
    assert basic["注册资金（万元）"] == 30
    funds_row = next(r for r in book["基本信息"].iter_rows() if r[0].value == "注册资金（万元）")
    assert funds_row[1].number_format == "#,##0.00"
    # A value that would run as a formula stays text (the one writer neutralizes it).
    purpose = next(r for r in book["基本信息"].iter_rows() if r[0].value == "宗旨")[1]
    assert purpose.data_type == "s" and purpose.quotePrefix


def test_certificate_validity_is_a_date_where_it_ends(
    client, city, city_registrar, full_record
) -> None:
    Organization.objects.filter(pk=full_record.pk).update(
        certificate_valid_until=datetime.date(2029, 3, 1)
    )
    row = next(
        r
        for r in _workbook(client, city_registrar, full_record)["基本信息"].iter_rows()
        if r[0].value == "证书有效期至"
    )
    assert row[1].value == datetime.datetime(2029, 3, 1)
    assert row[1].number_format == "yyyy-mm-dd"


def test_principal_id_numbers_are_masked_for_those_who_do_not_vet_people(
    client, city, city_registrar, full_record
) -> None:
    chair_id = full_record.principals.get(person__name="李明").person.id_number
    auditor = f.user("auditor", Role.AUDITOR, jurisdiction=city.city)
    registrar_rows = list(
        _workbook(client, city_registrar, full_record)["负责人"].iter_rows(values_only=True)
    )
    auditor_book = _workbook(client, auditor, full_record)
    auditor_rows = list(auditor_book["负责人"].iter_rows(values_only=True))
    header = registrar_rows[0]
    id_col, post_col = header.index("身份证号"), header.index("职务")
    chair = next(r for r in registrar_rows if r[header.index("姓名")] == "李明")
    assert chair[id_col] == chair_id and chair[post_col] == "会长/理事长"
    assert chair[header.index("届次")] == "第3届"
    assert chair[header.index("法定代表人")] == "是"
    masked = next(r for r in auditor_rows if r[header.index("姓名")] == "李明")
    assert masked[id_col] == chair_id[:4] + "*" * 10 + chair_id[-4:]
    conditions = dict(auditor_book["导出条件"].iter_rows(values_only=True))
    assert conditions["身份证号"] == "已部分隐藏"


def test_event_sheet_carries_the_coded_reason(client, city, city_registrar, full_record) -> None:
    OrganizationEvent.objects.create(
        organization=full_record,
        kind=EventKind.DOMICILE_CHANGED,
        reason=EventReason.APPLICATION,
        occurred_on=datetime.date(2024, 5, 6),
        details={"domicile": "日照市东港区海曲路8号"},
    )
    rows = list(_workbook(client, city_registrar, full_record)["事件"].iter_rows(values_only=True))
    header, event = rows[0], rows[1]
    assert event[header.index("事项")] == "住所变更"
    assert event[header.index("原因代码")] == "application"
    assert event[header.index("原因")] == "依申请"
    assert "住所：日照市东港区海曲路8号" in event[header.index("详情")]


def test_no_branch_sheet_for_an_organization_without_branches(client, city, city_registrar) -> None:
    book = _workbook(client, city_registrar, city.city_org)
    assert "分支机构" not in book.sheetnames
    assert book.sheetnames[-1] == "导出条件"


def test_profile_export_is_recorded_on_the_organizations_audit_trail(
    client, city, city_registrar, full_record
) -> None:
    _workbook(client, city_registrar, full_record)
    row = AuditLog.objects.get(action="organization.profile_export")
    assert row.object_id == str(full_record.pk) and row.actor_id == city_registrar.pk
    assert row.after["rows"] == {"principals": 2, "events": 0, "branches": 1}


def test_profile_export_outside_scope_or_without_export_right_is_refused(
    client, city, donggang_registrar, edu_liaison
) -> None:
    assert login(client, donggang_registrar).get(export_url(city.lanshan_org)).status_code == 404
    assert login(client, edu_liaison).get(export_url(city.edu_org)).status_code == 403
    assert not AuditLog.objects.filter(action="organization.profile_export").exists()
