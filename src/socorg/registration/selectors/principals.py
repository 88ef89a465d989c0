"""Reads of principal candidate reviews (TT-4), always through the caller's data scope
(``registration.access``); plus the facts the eligibility rules need, gathered from the
registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from socorg.core import workflow
from socorg.core.models import Transition, User
from socorg.core.params import param
from socorg.registration import access
from socorg.registration.rules import principals as pr
from socorg.registry.models import (
    Organization,
    OrgStatus,
    OrgType,
    Person,
    Principal,
    PrincipalCandidate,
    PrincipalCandidateReview,
    PrincipalReviewState,
    Term,
    TermTransition,
    TermTransitionState,
)
from socorg.registry.selectors.restrictions import restriction_text, restrictions_in_force

REVIEW_PROCESS = "principal_candidate_review"
ACTIVE_STATUSES = (OrgStatus.REGISTERED, OrgStatus.SUSPENDED)
PAGE_SIZE = 50


def limits(on: date) -> pr.Limits:
    ratio = param("RG-11.paid_board_max_ratio", on=on)
    return pr.Limits(
        age_limit=int(param("TT-2.age_limit", on=on)),
        max_consecutive_terms=int(param("TT-2.max_consecutive_terms", on=on)),
        cadre_age_limit=int(param("TT-3.age_limit", on=on)),
        cadre_max_terms=int(param("TT-3.max_terms", on=on)),
        cadre_max_social_groups=int(param("TT-3.max_social_groups", on=on)),
        board_min=int(param("RG-11.board_min", on=on)),
        board_max=int(param("RG-11.board_max", on=on)),
        paid_board_max_ratio=(int(ratio[0]), int(ratio[1])),
    )


# --- Facts for the rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    """What the registry knows of a person relevant to TT-2/TT-3/RG-4 at an election."""

    prior_consecutive_terms: int
    other_social_groups: tuple[str, ...]
    legal_representative_of: tuple[str, ...]
    restrictions: tuple[str, ...] = ()


def person_record(
    person: Person | None, organization: Organization, post: str, on: date
) -> PersonRecord:
    if person is None or person.pk is None:
        return PersonRecord(0, (), ())
    return PersonRecord(
        restrictions=tuple(restriction_text(row) for row in restrictions_in_force(person, on)),
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
    process = workflow.get_process(REVIEW_PROCESS)
    review = access.access_principal_review(user, pk)
    actions = [
        act
        for act in workflow.available_actions(process, review, user)
        if access.review_actor_problem(act.name, review, user) is None
        and not (review.has_blocking and "agree" in act.name)
    ]
    candidates = list(review.candidates.select_related("person"))
    for c in candidates:
        c.age_at_election = pr.age_on(c.person.birth_date, review.election_on)  # type: ignore[attr-defined]
    return ReviewDetail(
        review=review,
        candidates=candidates,
        actions=actions,
        history=history_rows(process, review),
        transitions=list(access.scope_term_transitions(user).filter(review=review)),
    )


def review_page(user: User, state: str, page: int) -> Page:
    qs = access.scope_principal_reviews(user).select_related("organization", "submitted_by")
    if state:
        qs = qs.filter(state=state)
    return Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(page)


def vetted_legal_representatives(organization: Organization) -> set[str]:
    """Identity numbers of the organization's approved candidates for legal representative
    (TT-4): the people a change of legal representative may name."""
    return set(
        PrincipalCandidate.objects.filter(
            review__organization=organization,
            review__state=PrincipalReviewState.APPROVED,
            is_legal_representative=True,
        ).values_list("person__id_number", flat=True)
    )


def approved_reviews(user: User, organization: Organization) -> QuerySet[PrincipalCandidateReview]:
    """Approved reviews of the organization not yet used by a pending or approved filing."""
    used = TermTransition.objects.filter(review=OuterRef("pk")).exclude(
        state=TermTransitionState.RETURNED
    )
    return (
        access.scope_principal_reviews(user)
        .filter(organization=organization, state=PrincipalReviewState.APPROVED)
        .exclude(Exists(used))
        .order_by("-election_on", "-id")
    )
