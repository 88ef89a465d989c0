"""Writes to the department responsibility map: the bulk import from a workbook.

The import runs in three steps: ``responsibility_import_start`` checks and stores the upload and
enqueues the job on commit; ``responsibility_import_execute`` (the background task) validates
every row and reports progress; ``responsibility_import`` writes all rows in one transaction with
one audit row. Any error anywhere means nothing is written."""

from __future__ import annotations

import logging
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from socorg.core import access, context
from socorg.core.attachments import attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import Attachment, TaskProgress, User
from socorg.core.progress import progress_create, progress_get, progress_update
from socorg.registry import imports
from socorg.registry import responsibility_selectors as selectors
from socorg.registry.models import Level, OrgType, Responsibility, SourceDocument

logger = logging.getLogger(__name__)

IMPORT_KIND = "registry.responsibility_import"
ATTACHMENT_OWNER = "core.taskprogress"
MAX_REPORTED_ERRORS = 1000
Status = TaskProgress.Status


@dataclass(frozen=True)
class DocumentInput:
    """The source document of an import: an existing one, or a new one to create with it."""

    existing_id: int | None = None
    title: str = ""
    number: str = ""
    issued_on: date | None = None


# --- step 1: the upload ------------------------------------------------------------------------


def responsibility_import_start(
    *, actor: User, upload: UploadedFile, document: DocumentInput
) -> TaskProgress:
    """Check the upload (a real .xlsx) and the document, store the file, create the job's
    progress and enqueue the job once the transaction commits."""
    access.require_perm(actor, "responsibility.import")
    payload = _checked_input(upload, document)
    with transaction.atomic():
        progress = progress_create(
            owner=actor,
            kind=IMPORT_KIND,
            message=_("已提交，等待后台执行……"),
            result={"document_input": payload},
        )
        attachment = attachment_store(
            actor=actor,
            upload=upload,
            owner_type=ATTACHMENT_OWNER,
            owner_id=progress.pk,
            allowed={"xlsx"},
        )
        audit_record(
            actor=actor,
            action="responsibility.import_submit",
            obj=progress,
            after={"attachment": attachment.pk, "sha256": attachment.sha256, "document": payload},
        )
        ctx = context.current()
        job = partial(
            _enqueue_import,
            progress_id=progress.pk,
            attachment_id=attachment.pk,
            document=payload,
            request_id=ctx.request_id,
            source_ip=ctx.source_ip,
        )
        transaction.on_commit(job)
    return progress


def _checked_input(upload: UploadedFile, document: DocumentInput) -> dict[str, Any]:
    """The document's payload once the file and the document pass; every problem of both in
    one error."""
    errors: dict[str, list[str]] = {}
    payload: dict[str, Any] = {}
    try:
        _check_upload(upload)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        payload = _document_payload(document)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return payload


def _check_upload(upload: UploadedFile) -> None:
    """A real .xlsx that openpyxl opens (the attachment service then checks it for macros and
    active content while storing it)."""
    max_bytes = settings.SOCORG_UPLOAD_MAX_BYTES
    if upload.size and upload.size > max_bytes:
        raise ValidationError(
            {"file": [_("文件大小超过上限（%(mb)s MB）。") % {"mb": max_bytes // 2**20}]}
        )
    data = upload.read()
    upload.seek(0)
    problem = imports.xlsx_problem(upload.name or "", data, max_bytes=max_bytes)
    if problem:
        raise ValidationError({"file": [problem]})


def _document_payload(document: DocumentInput) -> dict[str, Any]:
    """Validated, JSON-ready description of the source document (created only with the rows)."""
    if document.existing_id is not None:
        if selectors.source_document_get(document.existing_id) is None:
            raise ValidationError({"document": [_("所选的依据文件不存在。")]})
        return {"id": document.existing_id}
    errors: dict[str, list[str]] = {}
    if not document.title.strip():
        errors["title"] = [_("请选择已有的依据文件，或填写新文件的标题。")]
    if document.issued_on is None:
        errors["issued_on"] = [_("请填写文件的印发日期。")]
    elif document.issued_on > timezone.localdate():
        errors["issued_on"] = [_("印发日期不能晚于今天。")]
    number = document.number.strip()
    if number and selectors.source_document_by_number(number) is not None:
        errors["number"] = [
            _("文号为“%(number)s”的文件已存在，请直接在列表中选择。") % {"number": number}
        ]
    if errors:
        raise ValidationError(errors)
    doc = _new_document(
        {"title": document.title.strip(), "number": number, "issued_on": document.issued_on}
    )
    doc.full_clean(exclude=["issuers"])
    return {"title": doc.title, "number": doc.number, "issued_on": doc.issued_on.isoformat()}


def _new_document(payload: dict[str, Any]) -> SourceDocument:
    issued_on = payload["issued_on"]
    if isinstance(issued_on, str):
        issued_on = date.fromisoformat(issued_on)
    return SourceDocument(title=payload["title"], number=payload["number"], issued_on=issued_on)


def _enqueue_import(**kwargs: Any) -> None:
    from socorg.registry.tasks import responsibility_import_task

    try:
        responsibility_import_task.enqueue(**kwargs)
    except Exception:
        logger.exception("could not enqueue responsibility import %s", kwargs["progress_id"])
        progress_update(
            kwargs["progress_id"],
            status=Status.FAILED,
            message=_("后台任务排队失败，未导入任何数据；请稍后重试或联系系统管理员。"),
        )


# --- step 2: the background job ------------------------------------------------------------------


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
        sheet = imports.read_sheet(data)
    except imports.WorkbookError as exc:
        return _rejected(problem=str(exc))
    problem = imports.header_problem(sheet.headers)
    if problem is None and not sheet.rows:
        problem = _("工作表中没有数据行（第2行起每行一条职责）。")
    if problem:
        return _rejected(problem=problem)
    validation = _validate(progress_id, actor, sheet)
    if not validation.ok:
        return _rejected(errors=validation.errors, done=len(sheet.rows))
    return _write(progress_id, actor, validation.rows, document, attachment)


def _validate(progress_id: int, actor: User, sheet: imports.Sheet) -> imports.Validation:
    total = len(sheet.rows)
    progress_update(
        progress_id, total=total, done=0, message=_("正在校验 %(n)s 行……") % {"n": total}
    )
    lookups = selectors.import_lookups(actor, imports.references(sheet))

    def report(done: int) -> None:
        progress_update(
            progress_id,
            done=done,
            message=_("已校验 %(done)s / %(n)s 行……") % {"done": done, "n": total},
        )

    return imports.validate_rows(sheet, lookups, on_progress=report, every=max(50, total // 20))


def _write(
    progress_id: int,
    actor: User,
    rows: list[imports.ImportRow],
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
        else _new_document(document)
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
    *, problem: str = "", errors: Sequence[imports.RowError] = (), done: int | None = None
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


# --- step 3: the write ---------------------------------------------------------------------------


def responsibility_import(
    *,
    actor: User,
    rows: Sequence[imports.ImportRow],
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
        audit_record(
            actor=actor,
            action="responsibility.import",
            obj=source_document,
            after=_import_summary(created, source_document, attachment),
        )
    return created


def _responsibility(row: imports.ImportRow, source_document: SourceDocument) -> Responsibility:
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
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("未落实党建管理部门的社会组织"))
    headers = [
        _("统一社会信用代码"),
        _("名称"),
        _("类型"),
        _("登记层级"),
        _("区划"),
        _("业务主管单位"),
        _("成立日期"),
    ]
    for index, width in enumerate((22, 40, 14, 10, 12, 28, 12), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_bold_cell(sheet, h) for h in headers])
    count = 0
    for row in selectors.coverage_uncovered_rows(actor, level):
        sheet.append(_uncovered_row(row))
        count += 1
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response
    workbook.save(handle)
    handle.seek(0)
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


def _bold_cell(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell
