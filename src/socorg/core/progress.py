"""Progress of long background jobs (``TaskProgress``), shown to their owner as a progress bar.

A job's progress is operational state, not business data: it is written with single UPDATE
statements outside the job's own write transaction, so that a poller sees it while the job runs
and a failed write does not roll it back. ``kind`` is ``"<app>.<job>"``; the result of a finished
job is rendered with the template ``<app>/<job>_result.html`` when the app provides one."""

from __future__ import annotations

from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from socorg.core.models import TaskProgress, User

Status = TaskProgress.Status
FINISHED = frozenset({Status.SUCCEEDED, Status.FAILED})
GENERIC_RESULT = "core/progress_result.html"


def progress_create(
    *, owner: User, kind: str, message: str = "", result: dict[str, Any] | None = None
) -> TaskProgress:
    """A queued job of ``owner``. Call inside the transaction that enqueues the job; ``result``
    may carry what the page needs before the job ends (e.g. the job's input)."""
    return TaskProgress.objects.create(owner=owner, kind=kind, message=message, result=result)


def progress_update(
    progress_id: int,
    *,
    status: str | None = None,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    """Set the given fields with one UPDATE (no read, no lock)."""
    values: dict[str, Any] = {"updated_at": timezone.now()}
    for field, value in (
        ("status", status),
        ("done", done),
        ("total", total),
        ("message", message),
        ("result", result),
    ):
        if value is not None:
            values[field] = value
    TaskProgress.objects.filter(pk=progress_id).update(**values)


def progress_get(progress_id: int) -> TaskProgress:
    """The job's row, for the worker that runs it."""
    return TaskProgress.objects.select_related("owner").get(pk=progress_id)


def result_template(kind: str) -> str:
    """``party.responsibility_import`` → ``party/responsibility_import_result.html`` when
    that template exists, else the generic one."""
    app, _sep, job = kind.partition(".")
    if not job:
        return GENERIC_RESULT
    name = f"{app}/{job}_result.html"
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return GENERIC_RESULT
    return name


def progress_context(progress: TaskProgress) -> dict[str, Any]:
    """What ``core/progress.html`` needs to draw a job (include it with these variables)."""
    return {
        "progress": progress,
        "finished": progress.status in FINISHED,
        "result_template": result_template(progress.kind),
    }
