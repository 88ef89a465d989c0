"""The audit log as a workbook, for the audit administrator: the rows of a search, readable
(labels, not codes), written from one chunked query to a temporary file; the export itself is
recorded in the audit log."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from datetime import date
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from socorg.core import selectors, services
from socorg.core.audit.display import AuditEntry, describe
from socorg.core.models import User

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text a spreadsheet would run as a formula starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 1000


def _text(value: Any) -> Any:
    """Cell text that Excel shows and never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _columns() -> list[tuple[str, int]]:
    return [
        (_("序号"), 8),
        (_("日期时间"), 20),
        (_("用户"), 14),
        (_("角色"), 14),
        (_("操作类型"), 24),
        (_("对象类型"), 14),
        (_("对象"), 30),
        (_("结果"), 8),
        (_("来源地址"), 16),
        (_("变更内容（变更前 → 变更后）"), 60),
        (_("请求编号"), 34),
    ]


def _row(entry: AuditEntry) -> list[Any]:
    row = entry.row
    changes = "\n".join(f"{c.label}：{c.before} → {c.after}" for c in entry.changes)
    when = timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M:%S")
    return [
        row.seq,
        when,
        entry.actor_label,
        entry.role_label,
        entry.action_label,
        entry.object_label,
        row.object_repr or row.object_id,
        entry.result_label,
        row.source_ip or "",
        changes,
        row.request_id,
    ]


def export_filename(today: date) -> str:
    return _("审计日志_%(date)s.xlsx") % {"date": today.strftime("%Y%m%d")}


def audit_workbook(*, actor: User, filters: selectors.AuditFilters) -> tuple[IO[bytes], str]:
    """The rows of the search as an xlsx file (positioned at its start) and its download name;
    the export is recorded in the audit log."""
    columns = _columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("审计日志"))
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _width in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    chunk = []
    for row in selectors.audit_export_rows(user=actor, filters=filters).iterator(_CHUNK):
        chunk.append(row)
        if len(chunk) == _CHUNK:
            count += _write(sheet, chunk)
            chunk = []
    count += _write(sheet, chunk)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response
    workbook.save(handle)
    handle.seek(0)
    services.audit_export_record(actor=actor, filters=_plain(asdict(filters)), row_count=count)
    return handle, export_filename(timezone.localdate())


def _write(sheet: Any, rows: list[Any]) -> int:
    for entry in describe(rows):
        sheet.append([_text(v) for v in _row(entry)])
    return len(rows)


def _plain(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items() if v}
