"""Exports of registry data, recorded: who took which rows out of the system."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from socorg.core import access
from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.registry.models import Organization


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


def organization_profile_export_record(
    *, actor: User, organization: Organization, sheets: dict[str, int]
) -> None:
    """Record an export of one organization's profile, on that organization's audit trail:
    who took it, and how many rows of each sheet (principals, events, branches)."""
    access.require_perm(actor, "registry.export")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="organization.profile_export",
            obj=organization,
            after={"uscc": organization.uscc or "", "rows": sheets},
        )
