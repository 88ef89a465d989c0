"""Writes of organization records: a historical entry, the outcomes of registration (a new
organization, an approved change, a deregistration) and the people they name. Keyword-only,
one transaction each, audit row inside it; the name index follows in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.audit import audit_record, snapshot
from socorg.core.db.copy import bulk_insert
from socorg.core.models import User
from socorg.core.params import param
from socorg.registry.models import (
    EventKind,
    EventReason,
    FormerName,
    Organization,
    OrganizationEvent,
    OrgStatus,
    Person,
    Post,
    Principal,
    Term,
)
from socorg.registry.rules.changes import FIELD_EVENTS
from socorg.registry.rules.organizations import normalize_uscc, term_end, term_years
from socorg.registry.services.names import name_keys_refresh

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
    name_keys_refresh(org)
    return org


def person_find_or_create(
    *,
    name: str,
    id_number: str,
    is_retired_cadre: bool = False,
    is_state_functionary: bool = False,
) -> Person:
    """The person with this resident identity number, entered (birth date and sex from the
    number) when the registry does not know them yet. A known person is returned as recorded.
    Called inside the transaction of the service that names the person."""
    number = id_number.strip().upper()
    person = Person.objects.filter(id_number=number).first()
    if person is None:
        person = Person(
            name=name.strip(),
            id_number=number,
            is_retired_cadre=is_retired_cadre,
            is_state_functionary=is_state_functionary,
        )
        person.full_clean()
        person.save()
    return person


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
    ``rules.term_end``), principals and a ``registered`` event. ``values``
    are model field values with related objects resolved; the code is already assigned."""
    org = Organization(**values, status=OrgStatus.REGISTERED)
    org.full_clean()
    org.save(force_insert=True)
    today = org.established_on
    years = term_years(
        org.org_type,
        term_years=int(param("TT-1.term_years", on=today)),
        foundation_max_years=int(param("RG-11.term_max_years", on=today)),
    )
    term = Term.objects.create(
        organization=org, number=1, starts_on=today, ends_on=term_end(today, years)
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
        person = person_find_or_create(name=row["name"], id_number=row["id_number"])
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
    name_keys_refresh(org)
    return org


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
            kind=FIELD_EVENTS[field],
            reason=EventReason.APPLICATION,
            occurred_on=today,
            details={
                "application": application_id,
                "field": field,
                "before": before[field],
                "after": after[field],
            },
        )
    audit_record(actor=actor, action="organization.change", obj=org, before=before, after=after)
    name_keys_refresh(org)
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
        actor=actor,
        action="organization.deregister",
        obj=org,
        before=before,
        after=snapshot(org, ("status", "removed_on")),
    )
    name_keys_refresh(org)
    return org


def organization_revoke(
    *,
    actor: User,
    organization: Organization,
    reason: str,
    decision_document: str,
    details: dict[str, Any] | None = None,
) -> Organization:
    """Revocation of registration (RG-9, DO-2): status, removal date, the public event with its
    coded reason and decision document, audit. Called inside the deciding transition."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.status in (OrgStatus.DEREGISTERED, OrgStatus.REVOKED):
        raise ValidationError(_("该组织已注销或已撤销登记，不能再撤销。"))
    before = snapshot(org, ("status", "removed_on"))
    org.status = OrgStatus.REVOKED
    org.removed_on = timezone.localdate()
    org.full_clean(validate_unique=False)
    org.save(update_fields=["status", "removed_on", "updated_at"])
    organization_event_record(
        organization=org,
        kind=EventKind.REVOKED,
        reason=reason,
        on=org.removed_on,
        details={"decision_number": decision_document, **(details or {})},
    )
    audit_record(
        actor=actor,
        action="organization.revoke",
        obj=org,
        before=before,
        after={**snapshot(org, ("status", "removed_on")), "reason": reason},
    )
    name_keys_refresh(org)
    return org


def organization_suspend(
    *,
    actor: User,
    organization: Organization,
    reason: str,
    decision_document: str,
    on: Any,
    details: dict[str, Any] | None = None,
) -> Organization:
    """An order to suspend activities for a period (a penalty): status, the public event with
    its coded reason and decision document, audit. Called inside the deciding transition."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.status != OrgStatus.REGISTERED:
        raise ValidationError(_("该组织当前不是正常登记状态，不能责令限期停止活动。"))
    before = snapshot(org, ("status",))
    org.status = OrgStatus.SUSPENDED
    org.full_clean(validate_unique=False)
    org.save(update_fields=["status", "updated_at"])
    organization_event_record(
        organization=org,
        kind=EventKind.SUSPENDED,
        reason=reason,
        on=on,
        details={"decision_number": decision_document, **(details or {})},
    )
    audit_record(
        actor=actor,
        action="organization.suspend",
        obj=org,
        before=before,
        after={**snapshot(org, ("status",)), "reason": reason},
    )
    return org


def organization_event_record(
    *,
    organization: Organization,
    kind: str,
    reason: str,
    on: Any,
    details: dict[str, Any] | None = None,
    is_public: bool = True,
) -> OrganizationEvent:
    """One event of the organization's history with its coded reason (a supervision decision,
    a listing). Runs inside the caller's transaction, whose audit row records the act."""
    return OrganizationEvent.objects.create(
        organization=organization,
        kind=kind,
        reason=reason,
        occurred_on=on,
        details=details or {},
        is_public=is_public,
    )


def organization_events_record_many(
    *, events: Iterable[dict[str, Any]], batch_size: int = 5000
) -> int:
    """Many events at once (the compliance sweep's listings and delistings), each a dict with
    the keyword arguments of :func:`organization_event_record` (``organization_id`` instead of
    ``organization``). Runs inside the caller's transaction, whose audit rows record the acts.
    Returns how many were written."""
    rows = [
        OrganizationEvent(
            organization_id=event["organization_id"],
            kind=event["kind"],
            reason=event["reason"],
            occurred_on=event["on"],
            details=event.get("details") or {},
            is_public=event.get("is_public", True),
        )
        for event in events
    ]
    bulk_insert(rows, batch_size=batch_size)
    return len(rows)
