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

from socorg.core.exports import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.models import User
from socorg.registry import selectors
from socorg.registry.models import Category, Level, ManagementMode, OrgStatus, OrgType
from socorg.registry.services.exports import organization_export_record


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
