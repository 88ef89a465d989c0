"""Writes to the responsibility map: the workbook import's background job and its write, and
the coverage export.

The import runs in three steps: ``services.imports.responsibility_import_start`` checks and stores
the upload and enqueues the job on commit; ``responsibility_import_execute`` (the background
task) validates every row and reports progress; ``responsibility_import`` writes all rows in one
transaction with one audit row. Any error anywhere means nothing is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.archives import ArchiveLimits
from socorg.core.audit import audit_record
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.models import Attachment, TaskProgress, User
from socorg.core.progress import progress_get, progress_update
from socorg.core.representations import touch
from socorg.party import rules, selectors, workbooks
from socorg.registry.models import Level, Organization, OrgType, Responsibility, SourceDocument

MAX_REPORTED_ERRORS = 1000
Status = TaskProgress.Status


def source_document_from(payload: dict[str, Any]) -> SourceDocument:
    """The unsaved source document an import's payload describes (created with the rows)."""
    issued_on = payload["issued_on"]
    if isinstance(issued_on, str):
        issued_on = date.fromisoformat(issued_on)
    return SourceDocument(title=payload["title"], number=payload["number"], issued_on=issued_on)


# --- the background job --------------------------------------------------------------------------


def responsibility_import_execute(
    *, progress_id: int, attachment_id: int, document: dict[str, Any]
) -> dict[str, Any]:
    """Validate every row of the stored workbook, then import all rows or none.

    Progress is written outside the import's transaction, so it survives a failed import."""
    progress = progress_get(progress_id)
    progress_update(progress_id, status=Status.RUNNING, message=_("正在读取工作簿……"))
    try:
        outcome = _import_workbook(progress_id, progress.owner, attachment_id, document)
    except Exception:
        progress_update(
            progress_id,
            status=Status.FAILED,
            message=_("导入时发生系统错误，未写入任何数据；请联系系统管理员。"),
            result={"imported": 0, "errors": [], "error_count": 0, "document_input": document},
        )
        raise
    result = {**outcome.result, "document_input": document}
    progress_update(
        progress_id,
        status=outcome.status,
        message=outcome.message,
        done=outcome.done,
        result=result,
    )
    return result


@dataclass(frozen=True)
class _Outcome:
    status: str
    message: str
    result: dict[str, Any]
    done: int | None = None


def _import_workbook(
    progress_id: int, actor: User, attachment_id: int, document: dict[str, Any]
) -> _Outcome:
    attachment = Attachment.objects.get(pk=attachment_id)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    try:
        sheet = workbooks.read_sheet(data, rules.WORKBOOK, ArchiveLimits.configured())
    except workbooks.WorkbookError as exc:
        return _rejected(problem=str(exc))
    problem = workbooks.header_problem(sheet.headers, rules.WORKBOOK)
    if problem is None and not sheet.rows:
        problem = _("工作表中没有数据行（第2行起每行一条职责）。")
    if problem:
        return _rejected(problem=problem)
    validation = _validate(progress_id, actor, sheet)
    if not validation.ok:
        return _rejected(errors=validation.errors, done=len(sheet.rows))
    return _write(progress_id, actor, validation.rows, document, attachment)


def _validate(
    progress_id: int, actor: User, sheet: workbooks.Sheet
) -> workbooks.Validation[rules.ImportRow]:
    total = len(sheet.rows)
    progress_update(
        progress_id, total=total, done=0, message=_("正在校验 %(n)s 行……") % {"n": total}
    )
    lookups = selectors.import_lookups(actor, rules.references(sheet))

    def report(done: int) -> None:
        progress_update(
            progress_id,
            done=done,
            message=_("已校验 %(done)s / %(n)s 行……") % {"done": done, "n": total},
        )

    return rules.validate_rows(sheet, lookups, on_progress=report, every=max(50, total // 20))


def _write(
    progress_id: int,
    actor: User,
    rows: list[rules.ImportRow],
    document: dict[str, Any],
    attachment: Attachment,
) -> _Outcome:
    total = len(rows)
    progress_update(
        progress_id, done=total, message=_("校验通过，正在写入 %(n)s 条职责……") % {"n": total}
    )
    source = (
        selectors.source_document_get(document["id"])
        if "id" in document
        else source_document_from(document)
    )
    if source is None:
        return _rejected(problem=_("所选的依据文件已不存在。"))
    created = responsibility_import(
        actor=actor, rows=rows, source_document=source, attachment=attachment
    )
    return _Outcome(
        status=Status.SUCCEEDED,
        message=_("导入完成：共导入 %(n)s 条职责。") % {"n": len(created)},
        result={
            "imported": len(created),
            "errors": [],
            "error_count": 0,
            "document": str(source),
            "document_id": source.pk,
        },
        done=total,
    )


def _rejected(
    *, problem: str = "", errors: Sequence[workbooks.RowError] = (), done: int | None = None
) -> _Outcome:
    """The job ends without writing anything; the result says why."""
    result = {
        "imported": 0,
        "problem": problem,
        "errors": [e.as_dict() for e in errors[:MAX_REPORTED_ERRORS]],
        "error_count": len(errors),
        "error_rows": len({e.row for e in errors}),
    }
    if problem:
        message = _("未导入任何数据：%(problem)s") % {"problem": problem}
    else:
        message = _("校验未通过：%(rows)s 行共 %(n)s 处错误，未导入任何数据。") % {
            "rows": result["error_rows"],
            "n": len(errors),
        }
    return _Outcome(status=Status.FAILED, message=message, result=result, done=done)


# --- the write ---------------------------------------------------------------------------------


def responsibility_import(
    *,
    actor: User,
    rows: Sequence[rules.ImportRow],
    source_document: SourceDocument,
    attachment: Attachment | None = None,
) -> list[Responsibility]:
    """Write validated rows in one transaction with one summarizing audit row. An unsaved
    ``source_document`` is created in the same transaction."""
    access.require_perm(actor, "responsibility.import")
    if not rows:
        raise ValidationError(_("没有可导入的职责。"))
    if selectors.organization_ids_outside_scope(actor, {r.organization_id for r in rows}):
        raise PermissionDenied(_("部分社会组织不在您的管辖范围内，未导入任何数据。"))
    with transaction.atomic():
        if source_document.pk is None:
            source_document.full_clean(exclude=["issuers"])
            source_document.save(force_insert=True)
        created = Responsibility.objects.bulk_create(
            [_responsibility(row, source_document) for row in rows], batch_size=500
        )
        touch(Organization, {row.organization_id for row in rows})
        audit_record(
            actor=actor,
            action="responsibility.import",
            obj=source_document,
            after=_import_summary(created, source_document, attachment),
        )
    return created


def _responsibility(row: rules.ImportRow, source_document: SourceDocument) -> Responsibility:
    return Responsibility(
        organization_id=row.organization_id,
        department_id=row.department_id,
        kind=row.kind,
        effective_from=row.effective_from,
        effective_to=row.effective_to,
        source_document=source_document,
    )


def _import_summary(
    created: Sequence[Responsibility], document: SourceDocument, attachment: Attachment | None
) -> dict[str, Any]:
    return {
        "count": len(created),
        "kinds": dict(Counter(r.kind for r in created)),
        "departments": len({r.department_id for r in created}),
        "organizations": len({r.organization_id for r in created}),
        "document": {"id": document.pk, "title": document.title, "number": document.number},
        "attachment": attachment.pk if attachment else None,
        "attachment_sha256": attachment.sha256 if attachment else "",
        "attachment_name": attachment.original_name if attachment else "",
    }


# --- the coverage export ---------------------------------------------------------------------------


def coverage_export_workbook(*, actor: User, level: str) -> tuple[IO[bytes], str]:
    """The organizations without a party-building manager as an xlsx file (streamed into a
    temporary file), with the export recorded in the audit log."""
    headers = [
        _("统一社会信用代码"),
        _("名称"),
        _("类型"),
        _("登记层级"),
        _("区划"),
        _("业务主管单位"),
        _("成立日期"),
    ]
    widths = (22, 40, 14, 10, 12, 28, 12)
    workbook = ExportWorkbook()
    sheet = workbook.sheet(
        _("未落实党建管理部门的社会组织"),
        [SheetColumn(header=h, width=w) for h, w in zip(headers, widths, strict=True)],
        freeze=False,
    )
    count = 0
    for row in selectors.coverage_uncovered_rows(actor, level):
        sheet.append(_uncovered_row(row))
        count += 1
    handle = workbook.to_tempfile()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="responsibility.coverage_export",
            object_type="registry.organization",
            after={"level": level, "rows": count},
        )
    filename = _("未落实党建管理部门的社会组织_%(date)s.xlsx") % {
        "date": timezone.localdate().strftime("%Y%m%d")
    }
    return handle, filename


_TYPE_LABELS = dict(OrgType.choices)
_LEVEL_LABELS = dict(Level.choices)


def _uncovered_row(row: tuple[Any, ...]) -> list[Any]:
    uscc, name, org_type, level, area, unit, established = row
    return [
        uscc,
        name,
        str(_TYPE_LABELS.get(org_type, org_type)),
        str(_LEVEL_LABELS.get(level, level)),
        area,
        unit or "",
        established,
    ]
