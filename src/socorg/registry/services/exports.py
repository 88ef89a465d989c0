"""Exports of registry data, recorded: who took which rows out of the system."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from socorg.core import access
from socorg.core.audit import audit_record
from socorg.core.models import User


def organization_export_record(*, actor: User, filters: dict[str, Any], row_count: int) -> None:
    """Record an export of the organization list: who took which rows out of the system."""
    access.require_perm(actor, "registry.export")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="organization.export",
            object_type="registry.organization",
            object_id="export",
            after={"filters": filters, "rows": row_count},
        )
