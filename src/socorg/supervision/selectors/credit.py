"""Reads of the credit lists for pages and the API (CR-2 … CR-6), always through the caller's
data scope (``supervision.access``): the two lists with their filters, one listing with its
rule in words, evidence, history and the caller's actions, an organization's credit status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from socorg.core import access as core_access
from socorg.core.models import Deadline, Jurisdiction, Transition, User
from socorg.core.params import param
from socorg.core.workflow import (
    Action,
    Process,
    available_actions,
    get_process,
    history,
    item_deadline,
)
from socorg.registry.access import scope_organizations
from socorg.registry.models import Organization
from socorg.registry.selectors import RowPage, organization_filter_choices, page_of
from socorg.supervision import access
from socorg.supervision.models import (
    ContactAttempt,
    CreditList,
    CreditListing,
    ListingGround,
    ListingState,
)
from socorg.supervision.rules import listings as rules

# Listings in force: on the list now (an application to leave it does not take it off).
IN_FORCE_STATES = (ListingState.LISTED, ListingState.DELISTING_REQUESTED)
# Listings that took effect at some time (what the public lists and the API show).
EFFECTIVE_STATES = (*IN_FORCE_STATES, ListingState.DELISTED)
CONTACTS_SHOWN = 20


@dataclass(frozen=True)
class ListingFilters:
    list: str = ""
    active: bool | None = None
    ground: str = ""
    state: str = ""
    jurisdiction: str = ""
    organization: str = ""  # credit code (exact) or part of the name
    effective_only: bool = False


def listing_search(user: User, filters: ListingFilters) -> QuerySet[CreditListing]:
    qs = access.scope_listings(user)
    if filters.list:
        qs = qs.filter(list=filters.list)
    if filters.effective_only:
        qs = qs.filter(state__in=EFFECTIVE_STATES)
    if filters.active is True:
        qs = qs.filter(state__in=IN_FORCE_STATES)
    elif filters.active is False:
        qs = qs.exclude(state__in=IN_FORCE_STATES)
    if filters.ground:
        qs = qs.filter(ground=filters.ground)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.jurisdiction:
        path = (
            Jurisdiction.objects.filter(code=filters.jurisdiction)
            .values_list("path", flat=True)
            .first()
        )
        qs = qs.filter(organization__jurisdiction__path__startswith=path) if path else qs.none()
    if filters.organization:
        term = filters.organization.strip()
        qs = qs.filter(Q(organization__uscc=term.upper()) | Q(organization__name__contains=term))
    return qs.select_related("organization", "organization__jurisdiction").order_by(
        "-listed_on", "-noticed_on", "-id"
    )


def listing_page(
    user: User, filters: ListingFilters, number: int, size: int = 20
) -> RowPage[CreditListing]:
    return page_of(listing_search(user, filters), number, size)


def delisting_requests_count(user: User) -> int:
    return access.scope_listings(user).filter(state=ListingState.DELISTING_REQUESTED).count()


def jurisdiction_choices(user: User) -> list[tuple[str, str]]:
    return organization_filter_choices(user).jurisdictions


def _rule_params(organization: Organization) -> dict[str, Any]:
    today = timezone.localdate()
    where = organization.jurisdiction
    names = {
        "auto_months": "CR-3.auto_delisting_months",
        "clean_years": "CR-5.clean_years",
        "abnormal_years": "CR-4.abnormal_years",
        "fine_threshold": "CR-4.fine_threshold",
        "warning_count": "CR-4.warning_count",
        "warning_window_years": "CR-4.warning_window_years",
    }
    return {key: param(name, on=today, jurisdiction=where) for key, name in names.items()}


def ground_text(listing: CreditListing) -> str:
    return rules.ground_explained(listing.ground, _rule_params(listing.organization))


@dataclass(frozen=True)
class HistoryEntry:
    transition: Transition
    label: str
    source: str
    target: str


def _history(process: Process, listing: Any) -> list[HistoryEntry]:
    labels = {act.name: str(act.label) for act in process.actions}
    return [
        HistoryEntry(
            transition=t,
            label=labels.get(t.action, t.action),
            source=process.state_label(t.from_state),
            target=process.state_label(t.to_state),
        )
        for t in history(process, listing).order_by("created_at", "id")
    ]


@dataclass
class ListingDetail:
    listing: CreditListing
    ground_text: str
    evidence: list[tuple[str, str]]
    history: list[HistoryEntry]
    actions: list[Action]
    deadline: Deadline | None
    contacts: list[ContactAttempt]
    can_contact: bool
    can_respond: bool
    can_apply: bool
    other_open: list[CreditListing] = field(default_factory=list)


def listing_detail(user: User, pk: int | str) -> ListingDetail:
    process = get_process("credit_listing")
    listing = access.access_listing(user, pk)
    today = timezone.localdate()
    is_org = core_access.has_perm(user, "credit.respond")
    # The organization answers and applies through its own forms, not the staff panel.
    actions = [] if is_org else available_actions(process, listing, user)
    can_contact = core_access.has_perm(user, "contact.record")
    return ListingDetail(
        listing=listing,
        ground_text=ground_text(listing),
        evidence=rules.evidence_lines(listing.evidence or {}),
        history=_history(process, listing),
        actions=actions,
        deadline=item_deadline(process, listing),
        contacts=contacts_of(user, listing.organization) if can_contact else [],
        can_contact=can_contact,
        can_respond=is_org
        and listing.state == ListingState.NOTICED
        and listing.responded_on is None
        and rules.may_respond(respond_by=listing.respond_by, today=today),
        can_apply=is_org and listing.state == ListingState.LISTED,
        other_open=list(
            access.scope_listings(user)
            .filter(organization_id=listing.organization_id, state__in=IN_FORCE_STATES)
            .exclude(pk=listing.pk)
        ),
    )


def contacts_of(user: User, organization: Organization) -> list[ContactAttempt]:
    """The attempts to reach an organization, for the officers who record them."""
    return list(
        access.scope_contact_attempts(user)
        .filter(organization=organization)
        .select_related("recorded_by")[:CONTACTS_SHOWN]
    )


@dataclass
class CreditStatus:
    """An organization's credit status: what it is told, what it is listed for, what left."""

    organization: Organization
    notices: list[CreditListing]
    in_force: list[CreditListing]
    past: list[CreditListing]
    today: date

    @property
    def listed_on(self) -> list[str]:
        return sorted({item.list for item in self.in_force})

    @property
    def is_clean(self) -> bool:
        return not self.in_force and not self.notices


def credit_status(user: User, organization: Organization) -> CreditStatus:
    """The organization's listings the user may see, grouped for its page and its profile."""
    rows = list(
        access.scope_listings(user)
        .filter(organization=organization)
        .exclude(state=ListingState.CANCELLED)
        .select_related("organization", "organization__jurisdiction")
        .order_by("-listed_on", "-noticed_on", "-id")
    )
    return CreditStatus(
        organization=organization,
        notices=[r for r in rows if r.state == ListingState.NOTICED],
        in_force=[r for r in rows if r.state in IN_FORCE_STATES],
        past=[r for r in rows if r.state == ListingState.DELISTED],
        today=timezone.localdate(),
    )


def own_organization(user: User) -> Organization | None:
    """The organization of an organization account, through the scope."""
    if user.organization_id is None:
        return None
    return (
        scope_organizations(user)
        .select_related("jurisdiction")
        .filter(pk=user.organization_id)
        .first()
    )


def list_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in CreditList.choices]


def ground_choices(list_code: str = "") -> list[tuple[str, str]]:
    return [
        (str(v), str(label))
        for v, label in ListingGround.choices
        if not list_code or rules.list_of(v) == list_code
    ]
