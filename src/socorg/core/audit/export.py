"""The audit log as a workbook, for the audit administrator: the rows of a search, readable
(labels, not codes), written by the core writer (``socorg.core.exports``, which stores text
that would run as a formula as text) from one chunked query to a temporary file; the export
itself is recorded in the audit log."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import selectors, services
from socorg.core.audit.display import AuditEntry, describe
from socorg.core.exports import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from socorg.core.exports import ExportSheet, ExportWorkbook, SheetColumn
from socorg.core.models import User

_CHUNK = 1000


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
    workbook = ExportWorkbook()
    sheet = workbook.sheet(_("审计日志"), [SheetColumn(t, width=w) for t, w in _columns()])
    count = 0
    chunk = []
    for row in selectors.audit_export_rows(user=actor, filters=filters).iterator(_CHUNK):
        chunk.append(row)
        if len(chunk) == _CHUNK:
            count += _write(sheet, chunk)
            chunk = []
    count += _write(sheet, chunk)
    handle = workbook.to_tempfile()
    services.audit_export_record(actor=actor, filters=_plain(asdict(filters)), row_count=count)
    return handle, export_filename(timezone.localdate())


def _write(sheet: ExportSheet, rows: list[Any]) -> int:
    for entry in describe(rows):
        sheet.append(_row(entry))
    return len(rows)


def _plain(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items() if v}
