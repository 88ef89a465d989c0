"""Reads of party-building bodies and affiliations, always through the caller's party scope
(``party.access.scope_party_organizations``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from socorg.core.models import User
from socorg.party import access as party_access
from socorg.party.access import affiliations_in_force, scope_party_organizations
from socorg.party.models import AffiliationReason, PartyAffiliation, PartyBody
from socorg.party.rules import OrgRef
from socorg.party.rules.affiliations import AffiliationLookups, BodyRef, Current
from socorg.party.selectors import REMOVED, _chunks
from socorg.registry.models import Organization, OrgStatus, SourceDocument


@dataclass(frozen=True)
class BodyRow:
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_name: str
    sector_name: str
    organizations: int


def bodies() -> QuerySet[PartyBody]:
    return PartyBody.objects.select_related("department", "parent__department", "sector_department")


def body_rows(user: User, *, on: date | None = None) -> list[BodyRow]:
    """Every party-building body with the number of organizations in the user's party scope
    affiliated to it on ``on`` (today): one aggregate query."""
    party_access.require_view(user)
    in_scope = scope_party_organizations(user).exclude(status__in=REMOVED)
    counts = dict(
        affiliations_in_force(on)
        .filter(organization__in=in_scope.values("pk"))
        .order_by()
        .values_list("body_id")
        .annotate(n=Count("organization_id"))
    )
    return [
        BodyRow(
            code=b.department.code,
            name=b.department.name,
            short_name=b.department.short_name,
            kind=b.kind,
            kind_label=b.get_kind_display(),
            parent_name=b.parent.department.name if b.parent else "",
            sector_name=b.sector_department.name if b.sector_department else "",
            organizations=counts.get(b.pk, 0),
        )
        for b in bodies().order_by("parent_id", "department__code")
    ]


def body_organizations(
    user: User, body: PartyBody, *, on: date | None = None
) -> QuerySet[Organization]:
    """Organizations in the user's party scope affiliated to ``body`` on ``on`` (today)."""
    members = affiliations_in_force(on).filter(body=body).values("organization_id")
    return (
        scope_party_organizations(user)
        .exclude(status__in=REMOVED)
        .filter(pk__in=members)
        .select_related("jurisdiction")
        .order_by("name", "pk")
    )


def body_changes(user: User, body: PartyBody) -> QuerySet[PartyAffiliation]:
    """Affiliation events into or out of ``body`` for organizations in the user's scope,
    newest first."""
    return (
        PartyAffiliation.objects.filter(
            organization__in=scope_party_organizations(user).values("pk")
        )
        .filter(Q(body=body) | Q(previous_body=body))
        .exclude(reason=AffiliationReason.INITIAL)
        .select_related(
            "organization", "body__department", "previous_body__department", "source_document"
        )
        .order_by("-changed_on", "-id")
    )


def affiliation_history(organization: Organization) -> list[PartyAffiliation]:
    """The organization's affiliation events, oldest first (caller passed the access check)."""
    return list(
        PartyAffiliation.objects.filter(organization=organization)
        .select_related(
            "body__department", "previous_body__department", "source_document", "recorded_by"
        )
        .order_by("changed_on", "id")
    )


def current_affiliation(organization_id: int, on: date | None = None) -> PartyAffiliation | None:
    on = on or timezone.localdate()
    return (
        PartyAffiliation.objects.filter(organization_id=organization_id, changed_on__lte=on)
        .select_related("body__department")
        .order_by("-changed_on", "-id")
        .first()
    )


def document_issuer_counts(documents: Iterable[int]) -> dict[int, int]:
    """The number of issuing departments of each document (6 for the 2022 joint document)."""
    rows = (
        SourceDocument.objects.filter(pk__in=list(documents))
        .annotate(n=Count("issuers"))
        .values_list("pk", "n")
    )
    return dict(rows)


def affiliation_documents() -> QuerySet[SourceDocument]:
    """Documents that adjusted affiliations, each with ``issuer_count`` (its issuing
    departments: 6 for the 2022 joint document) and ``moved`` (organizations it moved)."""
    return (
        SourceDocument.objects.filter(party_affiliations__reason=AffiliationReason.ADJUSTMENT)
        .annotate(
            issuer_count=Count("issuers", distinct=True),
            moved=Count("party_affiliations__organization", distinct=True),
        )
        .order_by("-issued_on", "-pk")
    )


# --- the re-affiliation import -------------------------------------------------------------------


def affiliation_lookups(user: User, usccs: Iterable[str]) -> AffiliationLookups:
    """Everything a re-affiliation workbook refers to, in a handful of queries."""
    scope = scope_party_organizations(user)
    labels = dict(OrgStatus.choices)
    organizations: dict[str, OrgRef] = {}
    for chunk in _chunks(usccs):
        rows = (
            Organization.objects.filter(uscc__in=chunk)
            .annotate(in_scope=_exists_in(scope))
            .values_list("id", "uscc", "name", "status", "in_scope")
        )
        for pk, uscc, name, status, in_scope in rows:
            if not uscc:
                continue
            removed = str(labels[status]) if status in REMOVED else ""
            organizations[uscc] = OrgRef(pk, name, bool(in_scope), removed)
    return AffiliationLookups(
        organizations=organizations,
        bodies=body_refs_by_key(),
        current=current_by_organization([o.id for o in organizations.values()]),
    )


def _exists_in(scope: QuerySet[Organization]) -> Exists:
    return Exists(scope.filter(pk=OuterRef("pk")))


def body_refs() -> list[BodyRef]:
    return [
        BodyRef(b.pk, b.department.code, b.department.name, b.department.short_name)
        for b in bodies().order_by("department__code")
    ]


def body_refs_by_key() -> dict[str, BodyRef]:
    found: dict[str, BodyRef] = {}
    for ref in body_refs():
        for key in (ref.code, ref.name, ref.short_name):
            if key:
                found[key] = ref
    return found


def current_by_organization(org_ids: list[int], on: date | None = None) -> dict[int, Current]:
    on = on or timezone.localdate()
    current: dict[int, Current] = {}
    for chunk in _chunks(org_ids):
        rows = (
            PartyAffiliation.objects.filter(organization_id__in=chunk, changed_on__lte=on)
            .order_by("organization_id", "changed_on", "id")
            .values_list("organization_id", "body_id", "changed_on")
        )
        for org_id, body_id, changed_on in rows:
            current[org_id] = Current(body_id, changed_on)  # the last one wins
    return current
