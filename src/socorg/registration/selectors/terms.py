"""Reads of terms and term transitions (TT-1), always through the caller's data scope
(``registration.access``): the 换届管理 list with its windows, filings and their details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from socorg.core import workflow
from socorg.core.models import User
from socorg.core.params import param
from socorg.registration import access
from socorg.registration.rules import terms as tr
from socorg.registration.selectors.principals import (
    ACTIVE_STATUSES,
    PAGE_SIZE,
    history_rows,
)
from socorg.registry import access as registry_access
from socorg.registry.models import (
    Organization,
    Term,
    TermReminder,
    TermTransition,
    TermTransitionState,
)
from socorg.registry.rules.organizations import term_years

TRANSITION_PROCESS = "term_transition"


def term_max_years(org_type: str, on: date) -> int:
    """TT-1: the term's years; a foundation's board at most RG-11's (``term_years``)."""
    return term_years(
        org_type,
        term_years=int(param("TT-1.term_years", on=on)),
        foundation_max_years=int(param("RG-11.term_max_years", on=on)),
    )


def current_term(organization: Organization) -> Term | None:
    return Term.objects.filter(organization=organization).order_by("-number").first()


# --- Term transitions and the 换届管理 list (TT-1) ---------------------------------------------


def transition_detail(user: User, pk: int | str) -> dict[str, Any]:
    process = workflow.get_process(TRANSITION_PROCESS)
    transition = access.access_term_transition(user, pk)
    return {
        "transition": transition,
        "candidates": list(transition.review.candidates.select_related("person")),
        "actions": workflow.available_actions(process, transition, user),
        "history": history_rows(process, transition),
    }


def windows(today: date | None = None) -> tr.TermWindows:
    today = today or timezone.localdate()
    return tr.term_windows(
        today,
        preparation_months=int(param("TT-1.preparation_months", on=today)),
        max_delay_years=int(param("TT-1.max_delay_years", on=today)),
    )


def latest_terms() -> QuerySet[Term]:
    """The latest term of every active organization (the one a transition renews)."""
    later = Term.objects.filter(
        organization=OuterRef("organization"), number__gt=OuterRef("number")
    )
    return Term.objects.filter(organization__status__in=ACTIVE_STATUSES).exclude(Exists(later))


def terms_in_window(terms: QuerySet[Term], status: str, w: tr.TermWindows) -> QuerySet[Term]:
    """Terms with the TT-1 ``status`` (see ``rules.terms.term_windows``); all three windows
    when ``status`` is empty."""
    if status == tr.TermStatus.EXPIRING:
        return terms.filter(ends_on__gte=w.today, ends_on__lte=w.expiring_until)
    if status == tr.TermStatus.OVERDUE:
        return terms.filter(ends_on__gte=w.overdue_since, ends_on__lt=w.today)
    if status == tr.TermStatus.OVERDUE_LONG:
        return terms.filter(ends_on__lt=w.overdue_since)
    return terms.filter(ends_on__lte=w.expiring_until)


@dataclass(frozen=True)
class TermRow:
    term: Term
    status: tr.TermStatus
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


_LISTED = (tr.TermStatus.EXPIRING, tr.TermStatus.OVERDUE, tr.TermStatus.OVERDUE_LONG)


def _term_rows(terms: list[Term], w: tr.TermWindows) -> list[TermRow]:
    ids = [t.pk for t in terms]
    reminded = set(TermReminder.objects.filter(term_id__in=ids).values_list("term_id", flat=True))
    pending = set(
        TermTransition.objects.filter(
            previous_term_id__in=ids,
            state__in=(TermTransitionState.PRE_REVIEW, TermTransitionState.SUBMITTED),
        ).values_list("previous_term_id", flat=True)
    )
    rows = []
    for term in terms:
        status = tr.term_status(term.ends_on, w)
        rows.append(
            TermRow(
                term=term,
                status=status,
                status_label=str(tr.TERM_STATUS_LABELS[status]),
                days=(term.ends_on - w.today).days,
                reminded=term.pk in reminded,
                pending=term.pk in pending,
            )
        )
    return rows


def transition_page(user: User, page: int) -> Page:
    qs = access.scope_term_transitions(user).select_related("organization", "submitted_by")
    return Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(page)
