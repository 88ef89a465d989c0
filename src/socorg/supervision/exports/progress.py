"""The filing progress list as a spreadsheet: one row per organization that had to file, and a
sheet saying what was exported (导出条件)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from socorg.core.exports import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.models import User
from socorg.registry.models import OrgType
from socorg.supervision.selectors import progress as selectors
from socorg.supervision.services.progress import progress_export_record

FILTER_LABELS = {
    "year": _lazy("报告年度"),
    "state": _lazy("报送情况"),
    "late": _lazy("仅看逾期"),
    "org_type": _lazy("类型"),
    "department": _lazy("业务主管单位编号"),
    "jurisdiction": _lazy("区划编号"),
    "q": _lazy("关键词"),
}


def export_filename(year: int, today: date) -> str:
    return _("年度报告报送进度_%(year)s_%(date)s.xlsx") % {
        "year": year,
        "date": today.strftime("%Y%m%d"),
    }


def progress_workbook(*, actor: User, filters: selectors.ProgressFilters) -> tuple[IO[bytes], str]:
    """Write the filtered progress list to a temporary xlsx file, record the export in the
    audit log, and return the file with its download name."""
    workbook = ExportWorkbook()
    sheet = workbook.sheet(
        _("报送进度"),
        [
            SheetColumn(header=_("统一社会信用代码"), width=22),
            SheetColumn(header=_("名称"), width=36),
            SheetColumn(header=_("类型"), width=14),
            SheetColumn(header=_("区划"), width=12),
            SheetColumn(header=_("业务主管单位"), width=24),
            SheetColumn(header=_("报送情况"), width=16),
            SheetColumn(header=_("报送截止日期"), width=14, number_format="yyyy-mm-dd"),
            SheetColumn(header=_("报送日期"), width=14, number_format="yyyy-mm-dd"),
            SheetColumn(header=_("是否逾期"), width=10),
        ],
        autofilter=True,
    )
    types = {value: str(label) for value, label in OrgType.choices}
    yes, no = _("逾期"), _("否")
    count = 0
    for row in selectors.filing_export_rows(actor, filters):
        org = row.organization
        sheet.append(
            [
                org.uscc or "",
                org.name,
                types.get(org.org_type, org.org_type),
                org.jurisdiction.name,
                org.supervisory_unit.name if org.supervisory_unit else "",
                row.bucket_label,
                row.due_on,
                row.submitted_on,
                yes if row.late else no,
            ]
        )
        count += 1
    conditions = workbook.sheet(
        _("导出条件"),
        [SheetColumn(header=_("条件"), width=20), SheetColumn(header=_("值"), width=40)],
    )
    conditions.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
    for key, value in asdict(filters).items():
        if value not in ("", None, False):
            conditions.append([str(FILTER_LABELS.get(key, key)), str(value)])
    handle = workbook.to_tempfile()
    progress_export_record(actor=actor, filters=asdict(filters), row_count=count)
    return handle, export_filename(filters.year, timezone.localdate())
