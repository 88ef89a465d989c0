"""Branches and representative offices (分支机构、代表机构) as data: set up, changed or
deregistered on an approved application."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from socorg.core.audit import audit_record, snapshot
from socorg.core.models import User
from socorg.registry.models import Branch, Organization


def branch_register(*, actor: User, organization: Organization, values: dict[str, Any]) -> Branch:
    """Set up an approved branch or representative office (RG-5 checked by ``Branch.clean``)."""
    branch = Branch(parent=organization, established_on=timezone.localdate(), **values)
    branch.full_clean()
    branch.save()
    audit_record(
        actor=actor, action="branch.register", obj=branch, after=snapshot(branch, values.keys())
    )
    return branch


def branch_update(*, actor: User, branch: Branch, values: dict[str, Any]) -> Branch:
    """Apply an approved branch change or deregistration (``status`` deregistered)."""
    before = snapshot(branch, values.keys())
    for field, value in values.items():
        setattr(branch, field, value)
    branch.full_clean()
    branch.save(update_fields=list(values.keys()))
    audit_record(
        actor=actor,
        action="branch.update",
        obj=branch,
        before=before,
        after=snapshot(branch, values.keys()),
    )
    return branch
