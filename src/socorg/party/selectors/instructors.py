"""Reads of the instructors' work, always through the caller's scope (``party.access``): the
workload of every instructor, one instructor's assignments and visits, an instructor's own
organizations and due follow-ups, and the instructors API's rows.

Every list is a fixed number of grouped queries, whatever the number of instructors."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from socorg.core.models import User
from socorg.party import access
from socorg.party.models import InstructorAssignment, InstructorVisit, VisitState
from socorg.party.rules.instructors import Workload


@dataclass(frozen=True)
class WorkloadReport:
    """The workload table and its two headline figures: instructors with at least one
    organization now, and the distinct organizations they cover."""

    year: int
    rows: list[Workload]
    instructors: int
    organizations: int


def _current(user: User, today: date) -> QuerySet[InstructorAssignment]:
    return access.scope_assignments(user).current(today)


def instructor_workloads(user: User, *, today: date | None = None) -> WorkloadReport:
    """Per instructor in scope: organizations now, visits this year, organizations visited
    this year (of those assigned now), open and overdue follow-ups. Four grouped queries."""
    today = today or timezone.localdate()
    current = _current(user, today)
    orgs = dict(
        current.order_by()
        .values("instructor_id")
        .annotate(n=Count("organization_id", distinct=True))
        .values_list("instructor_id", "n")
    )
    year_visits = access.scope_visits(user).filter(visited_on__year=today.year)
    visits = dict(
        year_visits.order_by()
        .values("assignment__instructor_id")
        .annotate(n=Count("id"))
        .values_list("assignment__instructor_id", "n")
    )
    visited = dict(
        year_visits.filter(assignment__in=current)
        .order_by()
        .values("assignment__instructor_id")
        .annotate(n=Count("assignment__organization_id", distinct=True))
        .values_list("assignment__instructor_id", "n")
    )
    follow_ups = _follow_up_counts(user, today)
    rows = [
        Workload(
            instructor_id=i.pk,
            name=str(i),
            division=str(i.department or ""),
            organizations=orgs.get(i.pk, 0),
            visits=visits.get(i.pk, 0),
            visited=visited.get(i.pk, 0),
            open_follow_ups=follow_ups.get(i.pk, (0, 0))[0],
            overdue_follow_ups=follow_ups.get(i.pk, (0, 0))[1],
        )
        for i in access.scope_instructors(user)
        .select_related("department")
        .order_by("department__code", "full_name", "pk")
    ]
    return WorkloadReport(
        year=today.year,
        rows=rows,
        instructors=sum(1 for r in rows if r.organizations),
        organizations=current.values("organization_id").distinct().count(),
    )


def _follow_up_counts(user: User, today: date) -> dict[int, tuple[int, int]]:
    rows = (
        access.scope_visits(user)
        .filter(state=VisitState.FOLLOW_UP_OPEN)
        .order_by()
        .values("assignment__instructor_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(follow_up_due__lt=today)))
        .values_list("assignment__instructor_id", "open", "overdue")
    )
    return {pk: (n_open, n_overdue) for pk, n_open, n_overdue in rows}


def instructor_assignments(user: User, instructor: User) -> QuerySet[InstructorAssignment]:
    """The instructor's assignments the user sees, current first, each with its visit count and
    last visit day."""
    return (
        access.scope_assignments(user)
        .filter(instructor=instructor)
        .select_related("organization", "division")
        .annotate(visit_count=Count("visits"), last_visit=Max("visits__visited_on"))
        .order_by(F("ended_on").asc(nulls_first=True), "-started_on", "organization__name", "pk")
    )


def assignment_visits(user: User, assignment: InstructorAssignment) -> QuerySet[InstructorVisit]:
    return access.scope_visits(user).filter(assignment=assignment).order_by("-visited_on", "-id")


def instructor_visits(user: User, instructor: User, limit: int = 50) -> list[InstructorVisit]:
    """The instructor's latest visits the user sees (the visit log)."""
    return list(
        access.scope_visits(user)
        .filter(assignment__instructor=instructor)
        .select_related("assignment__organization")
        .order_by("-visited_on", "-id")[:limit]
    )


def my_organizations(user: User, *, today: date | None = None) -> list[InstructorAssignment]:
    """An instructor's organizations now, with their last visit (the instructor's home)."""
    return list(
        _current(user, today or timezone.localdate())
        .filter(instructor_id=user.pk)
        .select_related("organization")
        .annotate(last_visit=Max("visits__visited_on"))
        .order_by("organization__name", "pk")
    )


def follow_ups_due(user: User, *, horizon: date | None = None) -> QuerySet[InstructorVisit]:
    """Open follow-ups of the user's own visits, due by ``horizon`` (all when None), most
    urgent first."""
    qs = access.scope_visits(user).filter(
        state=VisitState.FOLLOW_UP_OPEN, assignment__instructor_id=user.pk
    )
    if horizon is not None:
        qs = qs.filter(follow_up_due__lte=horizon)
    return qs.select_related("assignment__organization").order_by("follow_up_due", "id")


@dataclass(frozen=True)
class InstructorRow:
    id: int
    name: str
    division: str
    organizations: list[str]


def instructor_rows(user: User, *, today: date | None = None) -> list[InstructorRow]:
    """The instructors with organizations now in the user's scope, each with their
    organizations' credit codes (the instructors API). Two queries."""
    current = _current(user, today or timezone.localdate())
    codes: dict[int, list[str]] = defaultdict(list)
    for pk, uscc in current.order_by("organization__uscc").values_list(
        "instructor_id", "organization__uscc"
    ):
        if uscc:
            codes[pk].append(uscc)
    people = User.objects.filter(pk__in=list(codes)).select_related("department").order_by("pk")
    return [
        InstructorRow(
            id=p.pk, name=str(p), division=str(p.department or ""), organizations=codes[p.pk]
        )
        for p in people
    ]


def assignable_instructors(user: User) -> QuerySet[User]:
    return (
        access.scope_instructors(user)
        .select_related("department")
        .order_by("department__code", "full_name")
    )
