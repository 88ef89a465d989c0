"""Background tasks of supervision: thin wrappers over services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django_tasks import task

from socorg.core import context
from socorg.supervision.services import inspections, sweep


@task()
def sweep_task(
    *,
    progress_id: int | None = None,
    as_of: str | None = None,
    dry_run: bool = False,
    incremental: bool = True,
    actor_id: int | None = None,
    request_id: str = "",
    source_ip: str | None = None,
) -> dict[str, Any]:
    """The compliance sweep in the worker: nightly (incremental, as the system) or started by a
    person with a progress bar; the audit rows carry the request that started it."""
    with context.request_context(request_id=request_id or None, source_ip=source_ip):
        return sweep.sweep_execute(
            progress_id=progress_id,
            as_of=date.fromisoformat(as_of) if as_of else None,
            dry_run=dry_run,
            incremental=incremental,
            actor_id=actor_id,
        )


@task()
def plan_bundle_task(*, plan_id: int) -> dict[str, Any]:
    """Store the public bundle of a drawn random-inspection plan, once."""
    stored = inspections.plan_bundle_store(plan_id=plan_id)
    return {"plan": plan_id, "stored": stored is not None}
