"""Starting the compliance sweep in the background (``tasks.sweep_task``, which runs
``services.sweep.sweep_execute`` with a progress bar)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from socorg.core import access, context
from socorg.core.audit import audit_record
from socorg.core.models import TaskProgress, User
from socorg.core.progress import progress_create, progress_update
from socorg.supervision import tasks

logger = logging.getLogger(__name__)
Status = TaskProgress.Status
KIND = "supervision.sweep"


def sweep_start(
    *, actor: User, as_of: date | None = None, dry_run: bool = False, incremental: bool = False
) -> TaskProgress:
    """Queue a sweep started by ``actor`` (``sweep.run``); returns its progress row."""
    access.require_perm(actor, "sweep.run")
    payload = {
        "as_of": as_of.isoformat() if as_of else None,
        "dry_run": dry_run,
        "incremental": incremental,
    }
    with transaction.atomic():
        progress = progress_create(
            owner=actor, kind=KIND, message=_("排队等待执行……"), result=payload
        )
        audit_record(actor=actor, action="sweep.start", obj=progress, after=payload)
        ctx = context.current()
        kwargs: dict[str, Any] = {
            "progress_id": progress.pk,
            "actor_id": actor.pk,
            "request_id": ctx.request_id,
            "source_ip": ctx.source_ip,
            **payload,
        }
        transaction.on_commit(lambda: _enqueue(**kwargs))
    return progress


def sweep_nightly_start() -> None:
    """Queue the nightly incremental sweep, as the system (the scheduler calls
    ``socorg sweep nightly``)."""
    _enqueue(incremental=True)


def _enqueue(**kwargs: Any) -> None:
    try:
        tasks.sweep_task.enqueue(**kwargs)
    except Exception:
        logger.exception("could not enqueue the compliance sweep")
        if kwargs.get("progress_id"):
            progress_update(
                kwargs["progress_id"],
                status=Status.FAILED,
                message=_("后台任务排队失败，未执行核查；请稍后重试或联系系统管理员。"),
            )
        else:
            raise
