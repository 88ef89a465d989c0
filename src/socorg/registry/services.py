"""Every write to the registry. Keyword-only, one transaction each, audit row inside it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.audit import audit_record, snapshot
from socorg.core.models import User
from socorg.core.params import param
from socorg.core.workflow import start
from socorg.registry import rules
from socorg.registry.models import (
    CorrectionState,
    DataCorrection,
    EventKind,
    EventReason,
    FormerName,
    Organization,
    OrganizationEvent,
    OrgStatus,
)
from socorg.registry.rules import normalize_uscc

# Fields a data correction may change, with the event each one records.
CORRECTABLE_FIELDS: dict[str, str] = {
    "name": EventKind.RENAMED,
    "domicile": EventKind.DOMICILE_CHANGED,
    "legal_representative": EventKind.LEGAL_REPRESENTATIVE_CHANGED,
    "business_scope": EventKind.SCOPE_CHANGED,
    "registered_funds": EventKind.FUNDS_CHANGED,
    "purpose": EventKind.CORRECTED,
    "contact_person": EventKind.CORRECTED,
    "contact_phone": EventKind.CORRECTED,
    "category": EventKind.CORRECTED,
    "established_on": EventKind.CORRECTED,
    "core_name": EventKind.CORRECTED,
    "org_form": EventKind.CORRECTED,
    "region_name": EventKind.CORRECTED,
}

ENTRY_FIELDS = (
    "uscc",
    "name",
    "region_name",
    "core_name",
    "org_form",
    "org_type",
    "level",
    "jurisdiction",
    "management_mode",
    "supervisory_unit",
    "industry_regulator",
    "category",
    "purpose",
    "business_scope",
    "domicile",
    "contact_person",
    "contact_phone",
    "legal_representative",
    "registered_funds",
    "established_on",
    "certificate_valid_until",
    "status",
    "removed_on",
)


def organization_create(*, actor: User, values: dict[str, Any]) -> Organization:
    """Enter a historical record (registrars only). ``values`` are model field values with
    related objects already resolved; the jurisdiction must lie in the actor's scope."""
    access.require_perm(actor, "registry.create")
    org = Organization(**values)
    if org.uscc:
        org.uscc = normalize_uscc(org.uscc)
    if org.jurisdiction_id not in access.jurisdiction_ids_in_scope(actor):
        raise ValidationError({"jurisdiction": [_("该区划不在您的管辖范围内。")]})
    org.full_clean()
    try:
        with transaction.atomic():
            return _organization_insert(actor=actor, org=org)
    except IntegrityError as exc:
        # Two clerks entering the same code at once: the unique constraint decides.
        raise ValidationError({"uscc": [_("该统一社会信用代码已登记。")]}) from exc


def _organization_insert(*, actor: User, org: Organization) -> Organization:
    org.save(force_insert=True)
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.HISTORICAL_ENTRY,
        reason=EventReason.HISTORICAL_RECORD,
        occurred_on=org.established_on,
        details={"status": org.status},
    )
    audit_record(
        actor=actor, action="organization.create", obj=org, after=snapshot(org, ENTRY_FIELDS)
    )
    _refresh_name_index(org)
    return org


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
        from socorg.registry.processes import DATA_CORRECTION

        start(process=DATA_CORRECTION, obj=correction)
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
    kinds = {CORRECTABLE_FIELDS[f] for f in correction.changes}
    for kind in sorted(kinds):
        fields = [f for f in correction.changes if CORRECTABLE_FIELDS[f] == kind]
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
    _refresh_name_index(org)
    return org


def _refresh_name_index(org: Organization) -> None:
    """Keep the name-check index (RG-13, RG-15) in step with the record, in the same
    transaction as the change."""
    from socorg.registration.name_check import name_keys_refresh

    name_keys_refresh(org)


def organization_is_removed(org: Organization) -> bool:
    return org.status in (OrgStatus.DEREGISTERED, OrgStatus.REVOKED)


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


# --- registration outcomes (called by the registration process inside its transaction) -------

REGISTER_FIELDS = (
    "uscc",
    "name",
    "org_type",
    "level",
    "jurisdiction",
    "management_mode",
    "supervisory_unit",
    "industry_regulator",
    "category",
    "purpose",
    "business_scope",
    "domicile",
    "legal_representative",
    "registered_funds",
    "established_on",
)


def organization_register(
    *,
    actor: User,
    values: dict[str, Any],
    principals: list[dict[str, str]],
    legal_representative_id: str,
    application_id: int,
) -> Organization:
    """Enter a newly approved organization (establishment): the record with its new credit
    code, its first term (TT-1: the parameter's years, ending the day before its anniversary,
    ``rules.term_end``), principals and a ``registered`` event. ``values`` are model field
    values with related objects resolved; the code is already assigned."""
    from socorg.registry.models import Person, Post, Principal, Term

    org = Organization(**values, status=OrgStatus.REGISTERED)
    org.full_clean()
    org.save(force_insert=True)
    today = org.established_on
    years = rules.term_years(
        org.org_type,
        term_years=int(param("TT-1.term_years", on=today)),
        foundation_max_years=int(param("RG-11.term_max_years", on=today)),
    )
    term = Term.objects.create(
        organization=org, number=1, starts_on=today, ends_on=rules.term_end(today, years)
    )
    rows = list(principals)
    if not any(r["id_number"] == legal_representative_id for r in rows):
        rows.append(
            {
                "name": org.legal_representative,
                "id_number": legal_representative_id,
                "post": Post.CHAIR,
            }
        )
    for row in rows:
        person = Person.objects.filter(id_number=row["id_number"].upper()).first()
        if person is None:
            person = Person(name=row["name"], id_number=row["id_number"])
            person.full_clean()
            person.save()
        Principal.objects.create(
            organization=org,
            term=term,
            person=person,
            post=row["post"],
            is_legal_representative=row["id_number"].upper() == legal_representative_id.upper(),
            starts_on=today,
        )
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.REGISTERED,
        reason=EventReason.APPLICATION,
        occurred_on=today,
        details={"application": application_id, "uscc": org.uscc},
    )
    audit_record(
        actor=actor, action="organization.register", obj=org, after=snapshot(org, REGISTER_FIELDS)
    )
    _refresh_name_index(org)
    return org


def principals_file(
    *,
    actor: User,
    organization: Organization,
    principals: list[dict[str, str]],
    application_id: int,
) -> list[Any]:
    """Record approved principals (负责人备案) in the current term: each filed post's holder is
    replaced from today, with a public ``principals_filed`` event; a new legal representative
    also changes the record (RG-4 was checked when the application was submitted)."""
    from socorg.registry.models import Person, Principal, Term

    today = timezone.localdate()
    term = Term.objects.filter(organization=organization).order_by("-number").first()
    posts = {row["post"] for row in principals}
    Principal.objects.filter(
        organization=organization, post__in=posts, ends_on__isnull=True
    ).update(ends_on=today)
    created = []
    for row in principals:
        person = Person.objects.filter(id_number=row["id_number"].upper()).first()
        if person is None:
            person = Person(name=row["name"], id_number=row["id_number"])
            person.full_clean()
            person.save()
        created.append(
            Principal.objects.create(
                organization=organization,
                term=term,
                person=person,
                post=row["post"],
                starts_on=today,
            )
        )
    OrganizationEvent.objects.create(
        organization=organization,
        kind=EventKind.PRINCIPALS_FILED,
        reason=EventReason.APPLICATION,
        occurred_on=today,
        details={
            "application": application_id,
            "principals": [{"name": r["name"], "post": r["post"]} for r in principals],
        },
    )
    audit_record(
        actor=actor,
        action="organization.principals_file",
        obj=organization,
        after={"principals": [{"name": r["name"], "post": r["post"]} for r in principals]},
    )
    return created


# Items a change registration may change, with the event each records.
CHANGE_EVENTS: dict[str, str] = {
    "name": EventKind.RENAMED,
    "domicile": EventKind.DOMICILE_CHANGED,
    "legal_representative": EventKind.LEGAL_REPRESENTATIVE_CHANGED,
    "business_scope": EventKind.SCOPE_CHANGED,
    "registered_funds": EventKind.FUNDS_CHANGED,
    "supervisory_unit": EventKind.SUPERVISORY_UNIT_CHANGED,
    "purpose": EventKind.SCOPE_CHANGED,
}


def organization_change_apply(
    *, actor: User, organization: Organization, changes: dict[str, Any], application_id: int
) -> Organization:
    """Apply an approved change registration: the record, a former name when renamed, one
    public event per item (coded reason: on application) and the audit row."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(org, changes.keys())
    for field, value in changes.items():
        setattr(org, field, value)
    org.full_clean(validate_unique=False)
    today = timezone.localdate()
    if "name" in changes and before["name"] != org.name:
        FormerName.objects.create(organization=org, name=before["name"], used_until=today)
    org.save(update_fields=[*changes.keys(), "updated_at"])
    after = snapshot(org, changes.keys())
    for field in changes:
        OrganizationEvent.objects.create(
            organization=org,
            kind=CHANGE_EVENTS[field],
            reason=EventReason.APPLICATION,
            occurred_on=today,
            details={
                "application": application_id,
                "field": field,
                "before": before[field],
                "after": after[field],
            },  # fmt: skip
        )
    audit_record(actor=actor, action="organization.change", obj=org, before=before, after=after)
    _refresh_name_index(org)
    return org


def organization_deregister(
    *, actor: User, organization: Organization, application_id: int, liquidation_ended_on: str
) -> Organization:
    """Deregistration after liquidation (RG-7): status, removal date, public event, audit."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(org, ("status", "removed_on"))
    org.status = OrgStatus.DEREGISTERED
    org.removed_on = timezone.localdate()
    org.full_clean(validate_unique=False)
    org.save(update_fields=["status", "removed_on", "updated_at"])
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.DEREGISTERED,
        reason=EventReason.LIQUIDATION_COMPLETED,
        occurred_on=org.removed_on,
        details={"application": application_id, "liquidation_ended_on": liquidation_ended_on},
    )
    audit_record(
        actor=actor, action="organization.deregister", obj=org, before=before,
        after=snapshot(org, ("status", "removed_on")),
    )  # fmt: skip
    _refresh_name_index(org)
    return org


def branch_register(*, actor: User, organization: Organization, values: dict[str, Any]) -> Any:
    """Set up an approved branch or representative office (RG-5 checked by ``Branch.clean``)."""
    from socorg.registry.models import Branch

    branch = Branch(parent=organization, established_on=timezone.localdate(), **values)
    branch.full_clean()
    branch.save()
    audit_record(
        actor=actor, action="branch.register", obj=branch, after=snapshot(branch, values.keys())
    )
    return branch


def branch_update(*, actor: User, branch: Any, values: dict[str, Any]) -> Any:
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
