"""Reads of principal candidate reviews (TT-4) and term transitions (TT-1), always through the
caller's data scope; plus the facts the eligibility rules need, gathered from the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, workflow
from socorg.core.attachments import attachment_owner_register
from socorg.core.models import DepartmentKind, Transition, User
from socorg.core.params import MissingParameter, param
from socorg.core.rule_defaults import RULE_DEFAULTS
from socorg.registry import access as registry_access
from socorg.registry import principal_rules as pr
from socorg.registry.models import (
    Organization,
    OrgStatus,
    OrgType,
    Person,
    Principal,
    PrincipalCandidateReview,
    PrincipalReviewState,
    Responsibility,
    ResponsibilityKind,
    Term,
    TermReminder,
    TermTransition,
    TermTransitionState,
)

ACTIVE_STATUSES = (OrgStatus.REGISTERED, OrgStatus.SUSPENDED)
PAGE_SIZE = 50
_DEFAULTS = {entry["key"]: entry["value"] for entry in RULE_DEFAULTS}


def rule_param(key: str, on: date | None = None) -> Any:
    """A rule parameter in force on ``on``; the national default when the bureau has not loaded
    the parameter table yet."""
    try:
        return param(key, on=on)
    except MissingParameter:
        return _DEFAULTS[key]


def limits(on: date) -> pr.Limits:
    ratio = rule_param("RG-11.paid_board_max_ratio", on)
    return pr.Limits(
        age_limit=int(rule_param("TT-2.age_limit", on)),
        max_consecutive_terms=int(rule_param("TT-2.max_consecutive_terms", on)),
        cadre_age_limit=int(rule_param("TT-3.age_limit", on)),
        cadre_max_terms=int(rule_param("TT-3.max_terms", on)),
        cadre_max_social_groups=int(rule_param("TT-3.max_social_groups", on)),
        board_min=int(rule_param("RG-11.board_min", on)),
        board_max=int(rule_param("RG-11.board_max", on)),
        paid_board_max_ratio=(int(ratio[0]), int(ratio[1])) if isinstance(ratio, list) else (1, 3),
    )


def term_max_years(org_type: str, on: date) -> int:
    """TT-1: 5 years; a foundation's board at most RG-11's term."""
    years = int(rule_param("TT-1.term_years", on))
    if org_type == OrgType.FOUNDATION:
        years = min(years, int(rule_param("RG-11.term_max_years", on)))
    return years


# --- Scope and access -----------------------------------------------------------------------------


def scope_principal_reviews(user: User) -> QuerySet[PrincipalCandidateReview]:
    if not access.has_perm(user, "principals.view"):
        return PrincipalCandidateReview.objects.none()
    return PrincipalCandidateReview.objects.filter(
        organization__in=registry_access.scope_organizations(user)
    )


def access_principal_review(user: User, pk: int | str) -> PrincipalCandidateReview:
    """The review if its organization lies in the user's scope; 404 otherwise."""
    key = str(pk)
    review = (
        scope_principal_reviews(user)
        .select_related("organization", "submitted_by")
        .filter(pk=int(key) if key.isdigit() else 0)
        .first()
    )
    if review is None:
        raise Http404(_("未找到该负责人候选人审核。"))
    return review


def scope_term_transitions(user: User) -> QuerySet[TermTransition]:
    if not access.has_perm(user, "terms.view"):
        return TermTransition.objects.none()
    return TermTransition.objects.filter(organization__in=registry_access.scope_organizations(user))


def access_term_transition(user: User, pk: int | str) -> TermTransition:
    key = str(pk)
    transition = (
        scope_term_transitions(user)
        .select_related("organization", "review", "audit_report", "previous_term", "new_term")
        .filter(pk=int(key) if key.isdigit() else 0)
        .first()
    )
    if transition is None:
        raise Http404(_("未找到该换届备案。"))
    return transition


attachment_owner_register("registry.term_transition", access_term_transition)


# --- Who gives which opinion (TT-4) -----------------------------------------------------------


def is_party_body_of(user: User, organization: Organization, on: date | None = None) -> bool:
    """The user's department manages the organization's party building, or is a party-building
    body (两新工委, 行业党委) holding any current responsibility for it."""
    if not user.department_id:
        return False
    current = Responsibility.objects.current(on).filter(
        organization=organization, department_id=user.department_id
    )
    party_body = Q(department__kind=DepartmentKind.PARTY_BUILDING_BODY)
    return current.filter(
        party_body | Q(kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT)
    ).exists()


def is_supervisory_unit_of(user: User, organization: Organization) -> bool:
    """The user's department is the organization's supervisory unit; for a directly registered
    organization without one, its industry regulator."""
    if not user.department_id:
        return False
    unit = organization.supervisory_unit_id or organization.industry_regulator_id
    return unit is not None and unit == user.department_id


# --- Facts for the rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    """What the registry knows of a person relevant to TT-2/TT-3/RG-4 at an election."""

    prior_consecutive_terms: int
    other_social_groups: tuple[str, ...]
    legal_representative_of: tuple[str, ...]


def person_record(
    person: Person | None, organization: Organization, post: str, on: date
) -> PersonRecord:
    if person is None or person.pk is None:
        return PersonRecord(0, (), ())
    return PersonRecord(
        prior_consecutive_terms=consecutive_terms(person, organization, post),
        other_social_groups=_other_groups(person, organization, on, legal=False),
        legal_representative_of=_other_groups(person, organization, on, legal=True),
    )


def consecutive_terms(person: Person, organization: Organization, post: str) -> int:
    """How many of the organization's latest terms, counted back without a gap, the person held
    ``post`` in (TT-2)."""
    numbers = list(
        Term.objects.filter(organization=organization)
        .order_by("-number")
        .values_list("number", flat=True)
    )
    held = set(
        Principal.objects.filter(
            organization=organization, person=person, post=post, term__isnull=False
        ).values_list("term__number", flat=True)
    )
    count = 0
    for number in numbers:
        if number not in held:
            break
        count += 1
    return count


def _other_groups(
    person: Person, organization: Organization, on: date, *, legal: bool
) -> tuple[str, ...]:
    posts = Principal.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        person=person,
        organization__org_type=OrgType.SOCIAL_GROUP,
        organization__status__in=ACTIVE_STATUSES,
    ).exclude(organization=organization)
    if legal:
        posts = posts.filter(is_legal_representative=True)
    names = posts.values_list("organization__name", flat=True).distinct().order_by()
    return tuple(sorted(set(names)))


def person_by_id_number(id_number: str) -> Person | None:
    return Person.objects.filter(id_number=id_number.strip().upper()).first()


def current_term(organization: Organization) -> Term | None:
    return Term.objects.filter(organization=organization).order_by("-number").first()


# --- Review pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    transition: Transition
    action_label: str
    state_label: str


def history_rows(process: workflow.Process, obj: Any) -> list[HistoryRow]:
    rows = []
    for t in workflow.history(process, obj):
        try:
            label = process.action(t.action).label
        except workflow.UnknownAction:
            label = t.action
        rows.append(HistoryRow(t, str(label), process.state_label(t.to_state)))
    return rows


@dataclass
class ReviewDetail:
    review: PrincipalCandidateReview
    candidates: list[Any]
    actions: list[workflow.Action]
    history: list[HistoryRow]
    transitions: list[TermTransition] = field(default_factory=list)


def review_detail(user: User, pk: int | str) -> ReviewDetail:
    from socorg.registry.principal_processes import PRINCIPAL_REVIEW, may_act

    review = access_principal_review(user, pk)
    actions = [
        act
        for act in workflow.available_actions(PRINCIPAL_REVIEW, review, user)
        if may_act(act, review, user) and not (review.has_blocking and "agree" in act.name)
    ]
    candidates = list(review.candidates.select_related("person"))
    for c in candidates:
        c.age_at_election = pr.age_on(c.person.birth_date, review.election_on)  # type: ignore[attr-defined]
    return ReviewDetail(
        review=review,
        candidates=candidates,
        actions=actions,
        history=history_rows(PRINCIPAL_REVIEW, review),
        transitions=list(scope_term_transitions(user).filter(review=review)),
    )


def review_page(user: User, state: str, page: int) -> Page:
    qs = scope_principal_reviews(user).select_related("organization", "submitted_by")
    if state:
        qs = qs.filter(state=state)
    return Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(page)


def approved_reviews(user: User, organization: Organization) -> QuerySet[PrincipalCandidateReview]:
    """Approved reviews of the organization not yet used by a pending or approved filing."""
    used = TermTransition.objects.filter(review=OuterRef("pk")).exclude(
        state=TermTransitionState.RETURNED
    )
    return (
        scope_principal_reviews(user)
        .filter(organization=organization, state=PrincipalReviewState.APPROVED)
        .exclude(Exists(used))
        .order_by("-election_on", "-id")
    )


# --- Term transitions and the 换届管理 list (TT-1) ---------------------------------------------


def transition_detail(user: User, pk: int | str) -> dict[str, Any]:
    from socorg.registry.principal_processes import TERM_TRANSITION

    transition = access_term_transition(user, pk)
    return {
        "transition": transition,
        "candidates": list(transition.review.candidates.select_related("person")),
        "actions": workflow.available_actions(TERM_TRANSITION, transition, user),
        "history": history_rows(TERM_TRANSITION, transition),
    }


def windows(today: date | None = None) -> pr.TermWindows:
    today = today or timezone.localdate()
    return pr.term_windows(
        today,
        preparation_months=int(rule_param("TT-1.preparation_months", today)),
        max_delay_years=int(rule_param("TT-1.max_delay_years", today)),
    )


def latest_terms() -> QuerySet[Term]:
    """The latest term of every active organization (the one a transition renews)."""
    later = Term.objects.filter(
        organization=OuterRef("organization"), number__gt=OuterRef("number")
    )
    return Term.objects.filter(organization__status__in=ACTIVE_STATUSES).exclude(Exists(later))


def terms_in_window(terms: QuerySet[Term], status: str, w: pr.TermWindows) -> QuerySet[Term]:
    """Terms with the TT-1 ``status`` (see ``principal_rules.term_windows``); all three windows
    when ``status`` is empty."""
    if status == pr.TermStatus.EXPIRING:
        return terms.filter(ends_on__gte=w.today, ends_on__lte=w.expiring_until)
    if status == pr.TermStatus.OVERDUE:
        return terms.filter(ends_on__gte=w.overdue_since, ends_on__lt=w.today)
    if status == pr.TermStatus.OVERDUE_LONG:
        return terms.filter(ends_on__lt=w.overdue_since)
    return terms.filter(ends_on__lte=w.expiring_until)


@dataclass(frozen=True)
class TermRow:
    term: Term
    status: pr.TermStatus
    status_label: str
    days: int  # days to expiry (negative: days overdue)
    reminded: bool
    pending: bool


def term_page(
    user: User, *, status: str = "", q: str = "", today: date | None = None, page: int = 1
) -> tuple[Page[Any], dict[str, int]]:
    """The 换届管理 list: latest terms in the user's scope that expire within the preparation
    window or are overdue; with the count of each status."""
    w = windows(today)
    base = latest_terms().filter(organization__in=registry_access.scope_organizations(user))
    if q:
        base = base.filter(organization__name__icontains=q)
    counts = {str(s): terms_in_window(base, s, w).count() for s in _LISTED}
    qs = terms_in_window(base, status, w).select_related("organization__jurisdiction")
    result: Page[Any] = Paginator(
        qs.order_by("ends_on", "organization__name", "id"), PAGE_SIZE
    ).get_page(page)
    result.object_list = _term_rows(list(result.object_list), w)
    return result, counts


_LISTED = (pr.TermStatus.EXPIRING, pr.TermStatus.OVERDUE, pr.TermStatus.OVERDUE_LONG)


def _term_rows(terms: list[Term], w: pr.TermWindows) -> list[TermRow]:
    ids = [t.pk for t in terms]
    reminded = set(TermReminder.objects.filter(term_id__in=ids).values_list("term_id", flat=True))
    pending = set(
        TermTransition.objects.filter(
            previous_term_id__in=ids, state=TermTransitionState.SUBMITTED
        ).values_list("previous_term_id", flat=True)
    )
    rows = []
    for term in terms:
        status = pr.term_status(term.ends_on, w)
        rows.append(
            TermRow(
                term=term,
                status=status,
                status_label=pr.TERM_STATUS_LABELS[status],
                days=(term.ends_on - w.today).days,
                reminded=term.pk in reminded,
                pending=term.pk in pending,
            )
        )
    return rows


def transition_page(user: User, page: int) -> Page:
    qs = scope_term_transitions(user).select_related("organization", "submitted_by")
    return Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(page)
