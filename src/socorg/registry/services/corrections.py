"""Data corrections (数据更正): a registrar proposes, a division head approves through the
``data_correction`` process, and the approved correction is applied to the record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, workflow
from socorg.core.audit import audit_record, snapshot
from socorg.core.models import User
from socorg.registry.models import (
    CorrectionState,
    DataCorrection,
    EventReason,
    FormerName,
    Organization,
    OrganizationEvent,
)
from socorg.registry.rules.changes import CORRECTABLE_FIELDS, events_of
from socorg.registry.services.names import name_keys_refresh


def correction_propose(
    *, actor: User, organization: Organization, changes: dict[str, Any], reason: str
) -> DataCorrection:
    """Propose a correction; nothing in the registry changes until a division head approves."""
    access.require_perm(actor, "registry.propose_correction")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写更正理由。")]})
    unknown = sorted(set(changes) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise ValidationError(
            {"changes": [_("以下字段不能通过数据更正修改：%s") % "、".join(unknown)]}
        )
    changes = {k: v for k, v in changes.items() if str(v) != str(getattr(organization, k))}
    if not changes:
        raise ValidationError({"changes": [_("更正内容与现有登记信息相同，无需更正。")]})
    _validated_copy(organization, changes)
    with transaction.atomic():
        correction = DataCorrection.objects.create(
            organization=organization,
            changes={k: str(v) for k, v in changes.items()},
            original=snapshot(organization, changes.keys()),
            reason=reason,
            proposed_by=actor,
        )
        audit_record(
            actor=actor,
            action="data_correction.propose",
            obj=correction,
            after={
                "organization": organization.pk,
                "changes": correction.changes,
                "reason": reason,
            },
        )
        workflow.start(process=workflow.get_process("data_correction"), obj=correction)
    return correction


def _validated_copy(organization: Organization, changes: dict[str, Any]) -> Organization:
    copy = Organization.objects.get(pk=organization.pk)
    for field, value in changes.items():
        setattr(copy, field, value)
    copy.full_clean(exclude=["uscc"] if "uscc" not in changes else None, validate_unique=False)
    return copy


def correction_apply(*, correction: DataCorrection, actor: User) -> Organization:
    """Apply an approved correction: the record, its events and the audit log change together.
    Called by the workflow engine inside the approval's transaction."""
    if correction.state != CorrectionState.APPROVED:
        raise ValidationError(_("只有已批准的更正才能生效。"))
    org = Organization.objects.select_for_update().get(pk=correction.organization_id)
    before = snapshot(org, correction.changes.keys())
    updated = _validated_copy(org, correction.changes)
    for field in correction.changes:
        setattr(org, field, getattr(updated, field))
    today = timezone.localdate()
    if "name" in correction.changes and before["name"] != org.name:
        FormerName.objects.create(organization=org, name=before["name"], used_until=today)
    org.save(update_fields=[*correction.changes.keys(), "updated_at"])
    for kind, fields in events_of(list(correction.changes)).items():
        OrganizationEvent.objects.create(
            organization=org,
            kind=kind,
            reason=EventReason.DATA_CORRECTION,
            occurred_on=today,
            details={
                "correction": correction.pk,
                "fields": fields,
                "before": {f: before[f] for f in fields},
                "after": {f: correction.changes[f] for f in fields},
            },
        )
    audit_record(
        actor=actor,
        action="organization.correct",
        obj=org,
        before=before,
        after=snapshot(org, correction.changes.keys()),
    )
    name_keys_refresh(org)
    return org
