"""Spreadsheet exports of the registry (the bureau lives in Excel).

The core writer (``socorg.core.exports``) is filled from one chunked query and written to an
anonymous temporary file, so memory stays flat whatever the number of rows; it stores values
that would run as formulas as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.exports import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.models import User
from socorg.registry import selectors
from socorg.registry.models import Category, Level, ManagementMode, OrgStatus, OrgType
from socorg.registry.services.exports import organization_export_record


def _labels(choices: list[tuple[str, Any]]) -> Callable[[Any], Any]:
    mapping = {value: str(label) for value, label in choices}
    return lambda value: mapping.get(value, value or "")


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
        ("registered_funds", _("注册资金（元）"), 16, None),
        ("established_on", _("成立日期"), 12, None),
        ("certificate_valid_until", _("证书有效期至"), 14, None),
        ("removed_on", _("注销/撤销日期"), 14, None),
        ("contact_person", _("联系人"), 10, None),
        ("contact_phone", _("联系电话"), 16, None),
    ]


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
        [SheetColumn(header=title, width=width) for _f, title, width, _c in columns],
    )
    rows = selectors.organization_export_rows(actor, filters, [c[0] for c in columns])
    converters = [c[3] for c in columns]
    count = 0
    for row in rows:
        sheet.append([conv(v) if conv else v for conv, v in zip(converters, row, strict=True)])
        count += 1
    handle = workbook.to_tempfile()
    organization_export_record(actor=actor, filters=asdict(filters), row_count=count)
    return handle, export_filename(timezone.localdate())
