"""Background tasks of the party-building face: thin wrappers over services."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from socorg.core import context
from socorg.party.services import affiliations, responsibilities


@task()
def responsibility_import_task(
    *,
    progress_id: int,
    attachment_id: int,
    document: dict[str, Any],
    request_id: str = "",
    source_ip: str | None = None,
) -> dict[str, Any]:
    """Validate and import a stored responsibility workbook; the audit row carries the request
    id and source IP of the upload."""
    with context.request_context(request_id=request_id or None, source_ip=source_ip):
        return responsibilities.responsibility_import_execute(
            progress_id=progress_id, attachment_id=attachment_id, document=document
        )


@task()
def affiliation_import_task(
    *,
    progress_id: int,
    attachment_id: int,
    document: dict[str, Any],
    request_id: str = "",
    source_ip: str | None = None,
) -> dict[str, Any]:
    """Validate and import a stored re-affiliation workbook (the same job as the
    responsibility import, with the affiliation rows)."""
    with context.request_context(request_id=request_id or None, source_ip=source_ip):
        return affiliations.affiliation_import_execute(
            progress_id=progress_id, attachment_id=attachment_id, document=document
        )
