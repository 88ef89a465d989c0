"""Spreadsheet exports of the registry (the bureau lives in Excel).

The core writer (``socorg.core.exports``) is filled from one chunked query and written to an
anonymous temporary file, so memory stays flat whatever the number of rows; it stores values
that would run as formulas as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from socorg.core import access
from socorg.core.exports import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from socorg.core.exports import ExportSheet, ExportWorkbook, SheetColumn
from socorg.core.models import User
from socorg.registry import selectors
from socorg.registry.models import (
    Category,
    Level,
    ManagementMode,
    Organization,
    OrgStatus,
    OrgType,
    Principal,
)
from socorg.registry.services.exports import (
    organization_export_record,
    organization_profile_export_record,
)
from socorg.registry.templatetags.registry_ui import event_details


def _labels(choices: list[tuple[str, Any]]) -> Callable[[Any], Any]:
    mapping = {value: str(label) for value, label in choices}
    return lambda value: mapping.get(value, value or "")


def _in_ten_thousands(value: Any) -> Any:
    """Registered funds as the bureau reads them: 万元, two decimals (a number, not text)."""
    return None if value is None else Decimal(value) / Decimal(10000)


# Number formats per query field: funds in 万元 with two decimals, dates as dates.
NUMBER_FORMATS = {
    "registered_funds": "#,##0.00",
    "established_on": "yyyy-mm-dd",
    "certificate_valid_until": "yyyy-mm-dd",
    "removed_on": "yyyy-mm-dd",
}


def _columns() -> list[tuple[str, str, int, Callable[[Any], Any] | None]]:
    """(query field, Chinese header, column width, value converter)."""
    return [
        ("uscc", _("统一社会信用代码"), 22, None),
        ("name", _("名称"), 36, None),
        ("org_type", _("类型"), 14, _labels(OrgType.choices)),
        ("level", _("登记层级"), 10, _labels(Level.choices)),
        ("jurisdiction__name", _("区划"), 12, None),
        ("status", _("状态"), 12, _labels(OrgStatus.choices)),
        ("category", _("行业分类"), 14, _labels(Category.choices)),
        ("management_mode", _("管理方式"), 12, _labels(ManagementMode.choices)),
        ("supervisory_unit__name", _("业务主管单位"), 24, None),
        ("industry_regulator__name", _("行业管理部门"), 24, None),
        ("legal_representative", _("法定代表人"), 12, None),
        ("domicile", _("住所"), 36, None),
        ("registered_funds", _("注册资金（万元）"), 16, _in_ten_thousands),
        ("established_on", _("成立日期"), 12, None),
        ("certificate_valid_until", _("证书有效期至"), 14, None),
        ("removed_on", _("注销/撤销日期"), 14, None),
        ("contact_person", _("联系人"), 10, None),
        ("contact_phone", _("联系电话"), 16, None),
    ]


FILTER_LABELS = {
    "q": _lazy("关键词"),
    "uscc": _lazy("统一社会信用代码"),
    "org_type": _lazy("类型"),
    "level": _lazy("登记层级"),
    "jurisdiction": _lazy("区划代码"),
    "status": _lazy("状态"),
    "category": _lazy("行业分类"),
    "supervisory_unit": _lazy("业务主管单位编码"),
    "removed_from": _lazy("注销/撤销日期起"),
    "removed_to": _lazy("注销/撤销日期止"),
    "sort": _lazy("排序"),
}


def _conditions_sheet(workbook: ExportWorkbook, filters: selectors.OrganizationFilters) -> None:
    """A second sheet saying what was exported and when: the export time and every filter."""
    sheet = workbook.sheet(
        _("导出条件"),
        [SheetColumn(header=_("条件"), width=20), SheetColumn(header=_("值"), width=40)],
    )
    sheet.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
    for key, value in asdict(filters).items():
        if value not in ("", None):
            sheet.append([str(FILTER_LABELS.get(key, key)), str(value)])


def export_filename(today: date) -> str:
    return _("社会组织名录_%(date)s.xlsx") % {"date": today.strftime("%Y%m%d")}


def organization_workbook(
    *, actor: User, filters: selectors.OrganizationFilters
) -> tuple[IO[bytes], str]:
    """Write the filtered organization list to a temporary xlsx file, record the export in the
    audit log, and return the file (positioned at its start) with its download name."""
    columns = _columns()
    workbook = ExportWorkbook()
    sheet = workbook.sheet(
        _("社会组织名录"),
        [
            SheetColumn(header=title, width=width, number_format=NUMBER_FORMATS.get(f, ""))
            for f, title, width, _c in columns
        ],
        autofilter=True,
    )
    rows = selectors.organization_export_rows(actor, filters, [c[0] for c in columns])
    converters = [c[3] for c in columns]
    count = 0
    for row in rows:
        sheet.append([conv(v) if conv else v for conv, v in zip(converters, row, strict=True)])
        count += 1
    _conditions_sheet(workbook, filters)
    handle = workbook.to_tempfile()
    organization_export_record(actor=actor, filters=asdict(filters), row_count=count)
    return handle, export_filename(timezone.localdate())


# --- One organization's profile -----------------------------------------------------------------

FUNDS_FORMAT = NUMBER_FORMATS["registered_funds"]
DATE_FORMAT = "yyyy-mm-dd"


def profile_filename(org: Organization, today: date) -> str:
    return _("%(name)s_登记档案_%(date)s.xlsx") % {
        "name": org.name,
        "date": today.strftime("%Y%m%d"),
    }


def _yes(flag: bool) -> str:
    return _("是") if flag else ""


def _basic_rows(org: Organization, former: list[str]) -> list[tuple[str, Any, str]]:
    """(label, value, number format) in the order of the profile's 基本信息 tab."""
    funds = _in_ten_thousands(org.registered_funds)
    valid = org.certificate_valid_until or _("长期")
    rows: list[tuple[str, Any, str]] = [
        (_("名称"), org.name, ""),
        (_("统一社会信用代码"), org.uscc or _("无（备案组织）"), ""),
        (_("类型"), org.get_org_type_display(), ""),
        (_("登记层级"), org.get_level_display(), ""),
        (_("区划"), org.jurisdiction.name, ""),
        (_("状态"), org.get_status_display(), ""),
        (_("法定代表人"), org.legal_representative or "—", ""),
        (_("住所"), org.domicile or "—", ""),
        (_("宗旨"), org.purpose or "—", ""),
        (_("业务范围"), org.business_scope or "—", ""),
        (_("管理方式"), org.get_management_mode_display() or "—", ""),
        (_("业务主管单位"), org.supervisory_unit.name if org.supervisory_unit else "—", ""),
        (_("行业管理部门"), org.industry_regulator.name if org.industry_regulator else "—", ""),
        (_("行业分类"), org.get_category_display(), ""),
        (_("注册资金（万元）"), funds if funds is not None else "—", FUNDS_FORMAT),
        (_("成立日期"), org.established_on, DATE_FORMAT),
        (_("证书有效期至"), valid, DATE_FORMAT),
    ]
    if org.removed_on:
        rows.append((_("注销/撤销日期"), org.removed_on, DATE_FORMAT))
    rows += [
        (_("联系人"), org.contact_person or "—", ""),
        (_("联系电话"), org.contact_phone or "—", ""),
        (_("曾用名"), "、".join(former) or "—", ""),
    ]
    return rows


def _basic_sheet(workbook: ExportWorkbook, org: Organization, former: list[str]) -> None:
    sheet = workbook.sheet(
        _("基本信息"),
        [
            SheetColumn(header=_("项目"), width=18),
            SheetColumn(header=_("内容"), width=72, wrap=True),
        ],
    )
    for label, value, fmt in _basic_rows(org, former):
        sheet.append([label, value], formats=("", fmt))


def _principal_sheet(
    workbook: ExportWorkbook, actor: User, principals: list[tuple[str, Principal]]
) -> ExportSheet:
    """The principals of every term, newest term first; ID numbers as the actor may read them."""
    sheet = workbook.sheet(
        _("负责人"),
        [
            SheetColumn(header=_("届次"), width=12),
            SheetColumn(header=_("职务"), width=14),
            SheetColumn(header=_("姓名"), width=10),
            SheetColumn(header=_("性别"), width=6),
            SheetColumn(header=_("身份证号"), width=22),
            SheetColumn(header=_("法定代表人"), width=10),
            SheetColumn(header=_("任职起始"), width=12, number_format=DATE_FORMAT),
            SheetColumn(header=_("任职结束"), width=12, number_format=DATE_FORMAT),
            SheetColumn(header=_("领取报酬"), width=10),
            SheetColumn(header=_("退（离）休领导干部"), width=18),
            SheetColumn(header=_("现职国家工作人员"), width=16),
        ],
        autofilter=True,
    )
    for term, p in principals:
        sheet.append(
            [
                term,
                p.get_post_display(),
                p.person.name,
                p.person.get_sex_display(),
                access.id_numbers_for(actor, p.person.id_number),
                _yes(p.is_legal_representative),
                p.starts_on,
                p.ends_on or _("至今"),
                _yes(p.is_paid),
                _yes(p.person.is_retired_cadre),
                _yes(p.person.is_state_functionary),
            ]
        )
    return sheet


def _event_sheet(workbook: ExportWorkbook, record: selectors.OrganizationRecord) -> ExportSheet:
    """The event history, each with its coded reason (the code and its label)."""
    sheet = workbook.sheet(
        _("事件"),
        [
            SheetColumn(header=_("日期"), width=12, number_format=DATE_FORMAT),
            SheetColumn(header=_("事项"), width=16),
            SheetColumn(header=_("原因代码"), width=24),
            SheetColumn(header=_("原因"), width=28),
            SheetColumn(header=_("详情"), width=48, wrap=True),
            SheetColumn(header=_("备注"), width=30, wrap=True),
            SheetColumn(header=_("公开"), width=6),
        ],
        autofilter=True,
    )
    for event in record.events:
        sheet.append(
            [
                event.occurred_on,
                event.get_kind_display(),
                event.reason,
                event.get_reason_display(),
                "\n".join(event_details(event)),
                event.note,
                _yes(event.is_public),
            ]
        )
    return sheet


def _branch_sheet(workbook: ExportWorkbook, record: selectors.OrganizationRecord) -> ExportSheet:
    sheet = workbook.sheet(
        _("分支机构"),
        [
            SheetColumn(header=_("类别"), width=12),
            SheetColumn(header=_("名称"), width=36),
            SheetColumn(header=_("负责人"), width=10),
            SheetColumn(header=_("住所"), width=36),
            SheetColumn(header=_("设立日期"), width=12, number_format=DATE_FORMAT),
            SheetColumn(header=_("状态"), width=10),
        ],
        autofilter=True,
    )
    for branch in record.branches:
        sheet.append(
            [
                branch.get_kind_display(),
                branch.name,
                branch.principal_name,
                branch.domicile,
                branch.established_on,
                branch.get_status_display(),
            ]
        )
    return sheet


def _profile_conditions_sheet(workbook: ExportWorkbook, actor: User, org: Organization) -> None:
    """What was exported, for whom the ID numbers were masked, and when."""
    sheet = workbook.sheet(
        _("导出条件"),
        [SheetColumn(header=_("条件"), width=20), SheetColumn(header=_("值"), width=40)],
    )
    sheet.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
    sheet.append([_("导出内容"), _("社会组织登记档案")])
    sheet.append([_("名称"), org.name])
    sheet.append([_("统一社会信用代码"), org.uscc or _("无（备案组织）")])
    masked = not access.has_perm(actor, "people.view_id_numbers")
    sheet.append([_("身份证号"), _("已部分隐藏") if masked else _("完整显示")])


def _term_principals(record: selectors.OrganizationRecord) -> list[tuple[str, Principal]]:
    """Each principal with the name of the term (newest first), then those without a term."""
    terms = sorted(record.terms, key=lambda t: t.number, reverse=True)
    rows = [(str(term), p) for term in terms for p in term.principals.all()]
    return rows + [(_("未关联届次"), p) for p in record.principals_without_term]


def organization_profile_workbook(*, actor: User, key: str) -> tuple[IO[bytes], str]:
    """One organization's profile as a workbook that reads like the profile page: 基本信息 as
    label/value rows, 负责人 (ID numbers masked unless the actor vets people), 事件 with coded
    reasons, 分支机构 where it has any, and 导出条件. The export is recorded on the
    organization's audit trail."""
    record = selectors.organization_profile_export(actor, key)
    org = record.organization
    workbook = ExportWorkbook()
    _basic_sheet(workbook, org, [f.name for f in record.former_names])
    counts = {
        "principals": _principal_sheet(workbook, actor, _term_principals(record)).rows - 1,
        "events": _event_sheet(workbook, record).rows - 1,
    }
    if record.branches:
        counts["branches"] = _branch_sheet(workbook, record).rows - 1
    _profile_conditions_sheet(workbook, actor, org)
    handle = workbook.to_tempfile()
    organization_profile_export_record(actor=actor, organization=org, sheets=counts)
    return handle, profile_filename(org, timezone.localdate())
