"""Reads of the dormant-organization cleanup (DO-*) for its pages: campaigns, their candidates
with criteria, evidence and state, one candidate with its actions and history, and the outcome
statistics of a period (DO-2) over the organizations' dated events. Every read goes through the
caller's scope (``supervision.access``, ``registry.access``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from socorg.core import workflow
from socorg.core.models import Transition, User
from socorg.registry.access import scope_organizations
from socorg.registry.models import EventKind, Level, OrganizationEvent
from socorg.supervision import access
from socorg.supervision.models import CandidateState, CleanupCampaign, DormantCandidate
from socorg.supervision.processes import DORMANT_CANDIDATE
from socorg.supervision.rules import campaigns as rules

PAGE_SIZE = 50
OUTCOME_KINDS = (EventKind.DEREGISTERED, EventKind.REVOKED, EventKind.REACTIVATED)
# The campaign page's outcome groups: the candidates' states that each one counts.
OUTCOME_STATES = {
    "open": (CandidateState.IDENTIFIED, CandidateState.RECTIFYING),
    "in_progress": (CandidateState.GUIDED_DEREGISTRATION, CandidateState.REVOCATION),
    "reactivated": (CandidateState.REACTIVATED,),
    "deregistered": (CandidateState.DEREGISTERED,),
    "revoked": (CandidateState.REVOKED,),
    "dismissed": (CandidateState.DISMISSED,),
}


def campaign_rows(user: User) -> list[tuple[CleanupCampaign, int]]:
    """The campaigns the user sees with the number of their candidates in the user's scope."""
    counts = dict(
        access.scope_candidates(user)
        .values_list("campaign_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "n")
    )
    campaigns = access.scope_campaigns(user).select_related("jurisdiction")
    return [(c, counts.get(c.pk, 0)) for c in campaigns]


def campaign_get(user: User, pk: int | str) -> CleanupCampaign:
    return access.access_campaign(user, pk)


@dataclass(frozen=True)
class CandidateFilters:
    state: str = ""
    criterion: str = ""
    q: str = ""

    @classmethod
    def parse(cls, data: Any) -> CandidateFilters:
        state = data.get("state", "")
        criterion = data.get("criterion", "")
        return cls(
            state=state if state in CandidateState.values else "",
            criterion=criterion if criterion in rules.CRITERION_LABELS else "",
            q=str(data.get("q", "")).strip()[:40],
        )


@dataclass
class CampaignPage:
    campaign: CleanupCampaign
    page: Page[DormantCandidate]
    total: int
    by_state: dict[str, int]
    by_outcome: dict[str, int]
    by_criterion: list[tuple[str, str, int]]


def _candidates(user: User, campaign: CleanupCampaign) -> QuerySet[DormantCandidate]:
    return access.scope_candidates(user).filter(campaign=campaign)


def campaign_page(
    user: User, pk: int | str, filters: CandidateFilters, page_number: int
) -> CampaignPage:
    campaign = access.access_campaign(user, pk)
    every = _candidates(user, campaign)
    by_state = dict(every.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    by_outcome = {
        key: sum(by_state.get(s, 0) for s in states) for key, states in OUTCOME_STATES.items()
    }
    criteria: Counter[str] = Counter()
    for codes in every.values_list("criteria", flat=True):
        criteria.update(codes or [])
    rows = every.select_related("organization", "organization__jurisdiction")
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.q:
        rows = rows.filter(organization__name__icontains=filters.q)
    if filters.criterion:
        ids = [
            pk
            for pk, codes in every.values_list("id", "criteria")
            if filters.criterion in (codes or [])
        ]
        rows = rows.filter(id__in=ids)
    rows = rows.order_by("organization__name", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    for candidate in page.object_list:
        candidate.criteria_labels = rules.criterion_labels(candidate.criteria or [])
    return CampaignPage(
        campaign=campaign,
        page=page,
        total=sum(by_state.values()),
        by_state=by_state,
        by_outcome=by_outcome,
        by_criterion=[
            (code, str(label), criteria.get(code, 0))
            for code, label in rules.CRITERION_LABELS.items()
        ],
    )


@dataclass(frozen=True)
class HistoryRow:
    at: Any
    actor: Any
    action: str
    source: str
    target: str
    comment: str


@dataclass
class CandidateDetail:
    candidate: DormantCandidate
    criteria: list[str]
    actions: list[workflow.Action]
    history: list[HistoryRow]
    letters_returned: list[str] = field(default_factory=list)
    calls_unanswered: list[str] = field(default_factory=list)


def candidate_detail(user: User, pk: int | str) -> CandidateDetail:
    candidate = access.access_candidate(user, pk)
    evidence = candidate.evidence or {}
    return CandidateDetail(
        candidate=candidate,
        criteria=rules.criterion_labels(candidate.criteria or []),
        actions=workflow.available_actions(DORMANT_CANDIDATE, candidate, user),
        history=[_history_row(t) for t in workflow.history(DORMANT_CANDIDATE, candidate)],
        letters_returned=list(evidence.get("letters_returned", [])),
        calls_unanswered=list(evidence.get("representative_unreached", [])),
    )


def _history_row(t: Transition) -> HistoryRow:
    process = DORMANT_CANDIDATE
    names = {a.name: a.label for a in process.actions}
    return HistoryRow(
        at=t.created_at,
        actor=t.actor,
        action=str(names.get(t.action, t.action)),
        source=str(process.state_label(t.from_state)),
        target=str(process.state_label(t.to_state)),
        comment=t.comment,
    )


# --- outcome statistics ------------------------------------------------------------------------


@dataclass
class OutcomeRow:
    jurisdiction: str
    level: str
    level_label: str
    deregistered: int = 0
    revoked: int = 0
    reactivated: int = 0

    @property
    def total(self) -> int:
        return self.deregistered + self.revoked + self.reactivated

    def add(self, kind: str, n: int) -> None:
        setattr(self, kind, getattr(self, kind) + n)


@dataclass
class OutcomeStatistics:
    start: date
    end: date
    rows: list[OutcomeRow]
    by_level: list[OutcomeRow]
    total: OutcomeRow


def outcome_statistics(user: User, start: date, end: date) -> OutcomeStatistics:
    """DO-2's outcomes over [start, end] by their dated events — deregistered, revoked,
    reactivated — by the organization's jurisdiction and registration level, for the
    organizations the user may see. One grouped query."""
    labels = dict(Level.choices)
    grouped = (
        OrganizationEvent.objects.filter(
            kind__in=OUTCOME_KINDS,
            occurred_on__gte=start,
            occurred_on__lte=end,
            organization__in=scope_organizations(user),
        )
        .values_list(
            "organization__jurisdiction__path",
            "organization__jurisdiction__name",
            "organization__level",
            "kind",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    rows: dict[tuple[str, str], OutcomeRow] = {}
    levels = {lv: OutcomeRow("", lv, str(labels[lv])) for lv in Level.values}
    total = OutcomeRow("", "", "")
    order: dict[tuple[str, str], str] = {}
    for path, name, level, kind, n in grouped:
        key = (name, level)
        order[key] = path
        row = rows.setdefault(key, OutcomeRow(name, level, str(labels.get(level, level))))
        row.add(kind, n)
        if level in levels:
            levels[level].add(kind, n)
        total.add(kind, n)
    ordered = sorted(rows.values(), key=lambda r: (order[(r.jurisdiction, r.level)], r.level))
    return OutcomeStatistics(start, end, ordered, list(levels.values()), total)
