"""The workbook import's background job, step 2, shared by every bulk import of the face.

An import describes itself as an ``ImportJob``: its workbook (``workbooks.WorkbookSpec``), how
its rows are validated (its rule, with look-ups fetched once through the caller's scope) and
how validated rows are written (its service, one transaction). ``import_execute`` reads the
stored workbook, checks the header, validates every row with progress, and writes all rows or
none; the progress row records the outcome either way. Step 1 (the upload) is
``services.imports``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from socorg.core.archives import ArchiveLimits
from socorg.core.models import Attachment, TaskProgress, User
from socorg.core.progress import progress_get, progress_update
from socorg.party import selectors, workbooks
from socorg.registry.models import SourceDocument

MAX_REPORTED_ERRORS = 1000
Status = TaskProgress.Status

Report = Callable[[int], None]


@dataclass(frozen=True)
class Written:
    count: int
    message: str


@dataclass(frozen=True)
class ImportJob:
    """One bulk import: its sheet, its row validation and its write."""

    spec: workbooks.WorkbookSpec
    empty_message: str
    validate: Callable[[User, workbooks.Sheet, Report, int], workbooks.Validation[Any]]
    write: Callable[[User, list[Any], SourceDocument, Attachment], Written]
    writing_message: str  # "%(n)s" rows being written


@dataclass(frozen=True)
class Outcome:
    status: str
    message: str
    result: dict[str, Any]
    done: int | None = None


def source_document_from(payload: dict[str, Any]) -> SourceDocument:
    """The unsaved source document an import's payload describes (created with the rows)."""
    issued_on = payload["issued_on"]
    if isinstance(issued_on, str):
        issued_on = date.fromisoformat(issued_on)
    return SourceDocument(title=payload["title"], number=payload["number"], issued_on=issued_on)


def import_execute(
    job: ImportJob, *, progress_id: int, attachment_id: int, document: dict[str, Any]
) -> dict[str, Any]:
    """Validate every row of the stored workbook, then import all rows or none.

    Progress is written outside the import's transaction, so it survives a failed import."""
    progress = progress_get(progress_id)
    progress_update(progress_id, status=Status.RUNNING, message=_("正在读取工作簿……"))
    try:
        outcome = _import_workbook(job, progress_id, progress.owner, attachment_id, document)
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


def _import_workbook(
    job: ImportJob, progress_id: int, actor: User, attachment_id: int, document: dict[str, Any]
) -> Outcome:
    attachment = Attachment.objects.get(pk=attachment_id)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    try:
        sheet = workbooks.read_sheet(data, job.spec, ArchiveLimits.configured())
    except workbooks.WorkbookError as exc:
        return rejected(problem=str(exc))
    problem = workbooks.header_problem(sheet.headers, job.spec)
    if problem is None and not sheet.rows:
        problem = job.empty_message
    if problem:
        return rejected(problem=problem)
    validation = _validate(job, progress_id, actor, sheet)
    if not validation.ok:
        return rejected(errors=validation.errors, done=len(sheet.rows))
    return _write(job, progress_id, actor, validation.rows, document, attachment)


def _validate(
    job: ImportJob, progress_id: int, actor: User, sheet: workbooks.Sheet
) -> workbooks.Validation[Any]:
    total = len(sheet.rows)
    progress_update(
        progress_id, total=total, done=0, message=_("正在校验 %(n)s 行……") % {"n": total}
    )

    def report(done: int) -> None:
        progress_update(
            progress_id,
            done=done,
            message=_("已校验 %(done)s / %(n)s 行……") % {"done": done, "n": total},
        )

    return job.validate(actor, sheet, report, max(50, total // 20))


def _write(
    job: ImportJob,
    progress_id: int,
    actor: User,
    rows: list[Any],
    document: dict[str, Any],
    attachment: Attachment,
) -> Outcome:
    total = len(rows)
    progress_update(progress_id, done=total, message=job.writing_message % {"n": total})
    source = (
        selectors.source_document_get(document["id"])
        if "id" in document
        else source_document_from(document)
    )
    if source is None:
        return rejected(problem=_("所选的依据文件已不存在。"))
    written = job.write(actor, rows, source, attachment)
    return Outcome(
        status=Status.SUCCEEDED,
        message=written.message,
        result={
            "imported": written.count,
            "errors": [],
            "error_count": 0,
            "document": str(source),
            "document_id": source.pk,
        },
        done=total,
    )


def rejected(
    *, problem: str = "", errors: Sequence[workbooks.RowError] = (), done: int | None = None
) -> Outcome:
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
    return Outcome(status=Status.FAILED, message=message, result=result, done=done)
