"""Writes to the responsibility map: the workbook import's background job and its write, and
the coverage export.

The import runs in three steps: ``services.imports.responsibility_import_start`` checks and stores
the upload and enqueues the job on commit; ``responsibility_import_execute`` (the background
task) validates every row and reports progress; ``responsibility_import`` writes all rows in one
transaction with one audit row. Any error anywhere means nothing is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.audit import audit_record
from socorg.core.exports import ExportWorkbook, SheetColumn
from socorg.core.models import Attachment, TaskProgress, User
from socorg.core.representations import touch
from socorg.party import rules, selectors, workbooks
from socorg.party.services import import_jobs
from socorg.registry.models import Level, Organization, OrgType, Responsibility, SourceDocument

Status = TaskProgress.Status

source_document_from = import_jobs.source_document_from


# --- the background job --------------------------------------------------------------------------


def _validate(
    actor: User, sheet: workbooks.Sheet, report: import_jobs.Report, every: int
) -> workbooks.Validation[rules.ImportRow]:
    lookups = selectors.import_lookups(actor, rules.references(sheet))
    return rules.validate_rows(sheet, lookups, on_progress=report, every=every)


def _write(
    actor: User,
    rows: list[rules.ImportRow],
    source: SourceDocument,
    attachment: Attachment,
) -> import_jobs.Written:
    created = responsibility_import(
        actor=actor, rows=rows, source_document=source, attachment=attachment
    )
    return import_jobs.Written(
        len(created), _("导入完成：共导入 %(n)s 条职责。") % {"n": len(created)}
    )


def _job() -> import_jobs.ImportJob:
    return import_jobs.ImportJob(
        spec=rules.WORKBOOK,
        empty_message=_("工作表中没有数据行（第2行起每行一条职责）。"),
        validate=_validate,
        write=_write,
        writing_message=_("校验通过，正在写入 %(n)s 条职责……"),
    )


def responsibility_import_execute(
    *, progress_id: int, attachment_id: int, document: dict[str, Any]
) -> dict[str, Any]:
    """Validate every row of the stored workbook, then import all rows or none."""
    return import_jobs.import_execute(
        _job(), progress_id=progress_id, attachment_id=attachment_id, document=document
    )


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
