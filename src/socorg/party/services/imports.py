"""The workbook imports of the face, step 1: the upload (the responsibility map and the
party affiliations share it).

``responsibility_import_start`` checks the file and the source document, stores the upload and
enqueues the background job once the transaction commits. The job (``tasks``) then runs
``services.responsibilities.responsibility_import_execute``: it validates every row, reports
progress, and writes all rows or none."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, context
from socorg.core.archives import ArchiveLimits
from socorg.core.attachments import attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import TaskProgress, User
from socorg.core.progress import progress_create, progress_update
from socorg.party import selectors, tasks, workbooks
from socorg.party.services import import_jobs

logger = logging.getLogger(__name__)

# The job's progress kind: its result is drawn by ``party/responsibility_import_result.html``.
IMPORT_KIND = "party.responsibility_import"
ATTACHMENT_OWNER = "core.taskprogress"
Status = TaskProgress.Status


@dataclass(frozen=True)
class DocumentInput:
    """The source document of an import: an existing one, or a new one to create with it."""

    existing_id: int | None = None
    title: str = ""
    number: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class ImportStart:
    """What step 1 needs to know of one import: who may run it, its job's kind and task."""

    perm: str
    kind: str
    audit_action: str
    task: Any  # the background task (``tasks.*_import_task``) that runs step 2


RESPONSIBILITY_IMPORT = ImportStart(
    perm="responsibility.import",
    kind=IMPORT_KIND,
    audit_action="responsibility.import_submit",
    task=tasks.responsibility_import_task,
)


def responsibility_import_start(
    *, actor: User, upload: UploadedFile, document: DocumentInput
) -> TaskProgress:
    """Check the upload (a real .xlsx) and the document, store the file, create the job's
    progress and enqueue the job once the transaction commits."""
    return workbook_import_start(
        RESPONSIBILITY_IMPORT, actor=actor, upload=upload, document=document
    )


def workbook_import_start(
    start: ImportStart, *, actor: User, upload: UploadedFile, document: DocumentInput
) -> TaskProgress:
    """Step 1 of every bulk import of the face: check, store, enqueue on commit."""
    access.require_perm(actor, start.perm)
    payload = _checked_input(upload, document)
    with transaction.atomic():
        progress = progress_create(
            owner=actor,
            kind=start.kind,
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
            action=start.audit_action,
            obj=progress,
            after={"attachment": attachment.pk, "sha256": attachment.sha256, "document": payload},
        )
        ctx = context.current()
        job = partial(
            _enqueue_import,
            task=start.task,
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
    """A real .xlsx whose zip directory is sound and within the inflation limits (the attachment
    service then checks it for macros and active content while storing it). The XML is parsed
    only by the background job."""
    max_bytes = settings.SOCORG_UPLOAD_MAX_BYTES
    if upload.size and upload.size > max_bytes:
        raise ValidationError(
            {"file": [_("文件大小超过上限（%(mb)s MB）。") % {"mb": max_bytes // 2**20}]}
        )
    data = upload.read()
    upload.seek(0)
    problem = workbooks.xlsx_problem(
        upload.name or "", data, max_bytes=max_bytes, limits=ArchiveLimits.configured()
    )
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
    doc = import_jobs.source_document_from(
        {"title": document.title.strip(), "number": number, "issued_on": document.issued_on}
    )
    doc.full_clean(exclude=["issuers"])
    return {"title": doc.title, "number": doc.number, "issued_on": doc.issued_on.isoformat()}


def _enqueue_import(*, task: Any, **kwargs: Any) -> None:
    try:
        task.enqueue(**kwargs)
    except Exception:
        logger.exception("could not enqueue workbook import %s", kwargs["progress_id"])
        progress_update(
            kwargs["progress_id"],
            status=Status.FAILED,
            message=_("后台任务排队失败，未导入任何数据；请稍后重试或联系系统管理员。"),
        )


AFFILIATION_IMPORT = ImportStart(
    perm="party.affiliate",
    kind="party.affiliation_import",
    audit_action="party.affiliation_import_submit",
    task=tasks.affiliation_import_task,
)


def affiliation_import_start(
    *, actor: User, upload: UploadedFile, document: DocumentInput
) -> TaskProgress:
    """Step 1 of the bulk re-affiliation: the same upload as the responsibility import."""
    return workbook_import_start(AFFILIATION_IMPORT, actor=actor, upload=upload, document=document)
