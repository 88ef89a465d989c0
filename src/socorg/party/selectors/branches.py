"""Reads of party branches, 应建未建 (PB-1) and the 两个覆盖 (party_coverage), always through the
caller's party scope. Each figure is an aggregate query over the population as of a date:
organizations established by then and not removed before it (community organizations, which
are filed rather than registered, are not counted)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.models import Department, Jurisdiction, User
from socorg.core.params import param_value
from socorg.party import access as party_access
from socorg.party.access import affiliated_body_subquery, scope_party_organizations
from socorg.party.models import (
    BranchKind,
    InstructorAssignment,
    PartyBody,
    PartyBranch,
    PartyBranchMember,
    PartyFigures,
)
from socorg.party.selectors import _area_label, _county_of
from socorg.registry.models import (
    Organization,
    OrgStatus,
    OrgType,
    Responsibility,
    ResponsibilityKind,
)

MIN_MEMBERS_KEY = "PB-1.min_full_time_party_members"
TREND_YEARS = 6
GROUPINGS = ("jurisdiction", "type", "department", "committee")


# --- branches --------------------------------------------------------------------------------------


def branch_rows(user: User, *, organization: str = "", kind: str = "") -> QuerySet[PartyBranch]:
    """Branches covering organizations in the user's scope, with their member organizations."""
    party_access.require_view(user)
    qs = party_access.scope_party_branches(user)
    if kind in BranchKind.values:
        qs = qs.filter(kind=kind)
    if organization:
        text = organization.strip().upper()
        qs = qs.filter(
            Q(members__organization__uscc=text)
            | Q(members__organization__name__contains=organization.strip())
        )
    return (
        PartyBranch.objects.filter(pk__in=qs.values("pk"))
        .select_related("body__department")
        .prefetch_related("members__organization")
        .annotate(organization_count=Count("members", distinct=True))
        .order_by("name", "pk")
    )


def organization_branches(organization: Organization) -> list[PartyBranch]:
    return list(
        PartyBranch.objects.filter(members__organization=organization)
        .select_related("body__department")
        .prefetch_related("members__organization")
        .distinct()
        .order_by("-founded_on")
    )


def organization_figures(organization: Organization) -> list[PartyFigures]:
    return list(PartyFigures.objects.filter(organization=organization).order_by("-year"))


# --- the population as of a date ---------------------------------------------------------------------


def _live_member(on: date) -> QuerySet[PartyBranchMember]:
    return PartyBranchMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on),
        Q(branch__dissolved_on__isnull=True) | Q(branch__dissolved_on__gt=on),
        organization_id=OuterRef("pk"),
        joined_on__lte=on,
        branch__founded_on__lte=on,
    )


def _latest_figures(on: date) -> QuerySet[PartyFigures]:
    return PartyFigures.objects.filter(organization_id=OuterRef("pk"), year__lte=on.year).order_by(
        "-year"
    )


def population(user: User, on: date) -> QuerySet[Any]:
    """Organizations in the user's party scope that existed on ``on``, each annotated with
    ``has_branch`` (organizational coverage), ``work_covered`` (a branch, or party work through
    an instructor: one assigned by the bureau on that day, or one the last annual report names) and its latest reported ``full_time_members``."""
    latest = _latest_figures(on)
    return (
        scope_party_organizations(user)
        .exclude(org_type=OrgType.COMMUNITY_ORGANIZATION)
        .exclude(status=OrgStatus.FILED)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on), established_on__lte=on)
        .annotate(
            has_branch=Exists(_live_member(on)),
            has_instructor=Coalesce(
                Subquery(latest.values("has_instructor")[:1], output_field=BooleanField()),
                Value(False),
            ),
            full_time_members=Subquery(
                latest.values("full_time_party_members")[:1], output_field=IntegerField()
            ),
        )
        .annotate(
            has_assigned_instructor=Exists(
                InstructorAssignment.objects.current(on).filter(organization_id=OuterRef("pk"))
            )
        )
        .annotate(
            work_covered=ExpressionWrapper(
                Q(has_branch=True) | Q(has_instructor=True) | Q(has_assigned_instructor=True),
                output_field=BooleanField(),
            )
        )
    )


# --- 应建未建 (PB-1) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unbuilt:
    """An organization that should have a branch and has none, with the evidence."""

    organization: Organization
    year: int
    party_members: int
    full_time_party_members: int
    branch_answer: str
    source: str
    annual_report_id: int | None


@dataclass(frozen=True)
class UnbuiltList:
    on: date
    minimum: int
    rule_id: str
    rule_source: str
    rows: list[Unbuilt] = field(default_factory=list)


def unbuilt(user: User, *, on: date | None = None) -> UnbuiltList:
    """PB-1: organizations whose latest reported full-time party members reach the parameter
    and that no branch covers on ``on`` (today)."""
    party_access.require_view(user)
    on = on or timezone.localdate()
    rule = param_value(MIN_MEMBERS_KEY, on=on)
    minimum = int(rule.value)
    pop: QuerySet[Any] = population(user, on)
    orgs = list(
        pop.filter(has_branch=False, full_time_members__gte=minimum)
        .select_related("jurisdiction")
        .order_by("name", "pk")
    )
    figures = _latest_figures_of([o.pk for o in orgs], on.year)
    rows = [
        Unbuilt(
            organization=o,
            year=f.year,
            party_members=f.party_members,
            full_time_party_members=f.full_time_party_members,
            branch_answer=f.get_branch_answer_display() if f.branch_answer else "",
            source=f.get_source_display(),
            annual_report_id=f.annual_report_id,
        )
        for o in orgs
        if (f := figures.get(o.pk)) is not None
    ]
    return UnbuiltList(
        on=on, minimum=minimum, rule_id=rule.rule_id, rule_source=rule.source, rows=rows
    )


def _latest_figures_of(org_ids: list[int], year: int) -> dict[int, PartyFigures]:
    found: dict[int, PartyFigures] = {}
    for f in PartyFigures.objects.filter(organization_id__in=org_ids, year__lte=year).order_by(
        "year"
    ):
        found[f.organization_id] = f
    return found


# --- 两个覆盖 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    key: str
    name: str
    total: int
    organizational: int
    work: int

    @property
    def organizational_percent(self) -> float:
        return round(self.organizational * 100 / self.total, 1) if self.total else 0.0

    @property
    def work_percent(self) -> float:
        return round(self.work * 100 / self.total, 1) if self.total else 0.0

    @property
    def uncovered(self) -> int:
        return self.total - self.work

    @property
    def work_only(self) -> int:
        """Covered by party work without a branch of their own (an instructor)."""
        return self.work - self.organizational

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "total": self.total,
            "organizational": self.organizational,
            "work": self.work,
            "organizational_percent": self.organizational_percent,
            "work_percent": self.work_percent,
        }


@dataclass(frozen=True)
class PartyCoverage:
    on: date
    by: str
    summary: CoverageRow
    rows: list[CoverageRow]


def as_of_for_year(year: int | None, today: date | None = None) -> date:
    """The as-of date of a year's figures: 31 December, or today for the current year."""
    today = today or timezone.localdate()
    if year is None or year >= today.year:
        return today
    return date(year, 12, 31)


def _counts() -> dict[str, Any]:
    return {
        "total": Count("pk"),
        "n_org": Count("pk", filter=Q(has_branch=True)),
        "n_work": Count("pk", filter=Q(work_covered=True)),
    }


def party_coverage(
    user: User, *, by: str = "jurisdiction", on: date | None = None
) -> PartyCoverage:
    """The 两个覆盖 of the user's organizations on ``on``, grouped ``by`` jurisdiction, type,
    department (party-building management) or committee (affiliation)."""
    party_access.require_view(user)
    on = on or timezone.localdate()
    by = by if by in GROUPINGS else "jurisdiction"
    pop = population(user, on)
    row = pop.order_by().aggregate(**_counts())
    summary = CoverageRow("", _("合计"), row["total"], row["n_org"], row["n_work"])
    return PartyCoverage(on=on, by=by, summary=summary, rows=_GROUPERS[by](pop, on))


def _by_type(pop: QuerySet[Organization], on: date) -> list[CoverageRow]:
    rows = {r["org_type"]: r for r in pop.order_by().values("org_type").annotate(**_counts())}
    return [
        CoverageRow(value, str(label), r["total"], r["n_org"], r["n_work"])
        for value, label in OrgType.choices
        if (r := rows.get(value))
    ]


def _by_committee(pop: QuerySet[Organization], on: date) -> list[CoverageRow]:
    rows = list(
        pop.annotate(party_body=affiliated_body_subquery(on))
        .order_by()
        .values("party_body")
        .annotate(**_counts())
    )
    names = {
        b.pk: (b.department.code, b.department.short_name or b.department.name)
        for b in PartyBody.objects.select_related("department")
    }
    result = [
        CoverageRow(
            *names.get(r["party_body"], ("", _("未明确隶属关系"))),
            r["total"],
            r["n_org"],
            r["n_work"],
        )
        for r in rows
    ]
    return sorted(result, key=lambda r: (r.key == "", r.key))


def _by_department(pop: QuerySet[Organization], on: date) -> list[CoverageRow]:
    managers = (
        Responsibility.objects.current(on)
        .filter(kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT, organization_id=OuterRef("pk"))
        .order_by("department_id")
        .values("department_id")[:1]
    )
    rows = list(
        pop.annotate(manager=Subquery(managers)).order_by().values("manager").annotate(**_counts())
    )
    names = dict(
        Department.objects.filter(pk__in=[r["manager"] for r in rows if r["manager"]]).values_list(
            "pk", "name"
        )
    )
    codes = dict(Department.objects.filter(pk__in=list(names)).values_list("pk", "code"))
    result = [
        CoverageRow(
            codes.get(r["manager"], ""),
            names.get(r["manager"], _("未落实党建管理部门")),
            r["total"],
            r["n_org"],
            r["n_work"],
        )
        for r in rows
    ]
    return sorted(result, key=lambda r: (r.key == "", -r.total, r.key))


def _by_jurisdiction(pop: QuerySet[Organization], on: date) -> list[CoverageRow]:
    rows = list(pop.order_by().values("jurisdiction__path").annotate(**_counts()))
    codes = {c for r in rows for c in r["jurisdiction__path"].strip("/").split("/")}
    areas = {j.code: j for j in Jurisdiction.objects.filter(code__in=codes)}
    totals: dict[str, list[int]] = {}
    for r in rows:
        code = _county_of(r["jurisdiction__path"], areas)
        t = totals.setdefault(code, [0, 0, 0])
        t[0] += r["total"]
        t[1] += r["n_org"]
        t[2] += r["n_work"]
    result = [CoverageRow(code, _area_label(areas[code]), *t) for code, t in totals.items()]
    return sorted(result, key=lambda r: (areas[r.key].level != "city", r.key))


_GROUPERS = {
    "jurisdiction": _by_jurisdiction,
    "type": _by_type,
    "department": _by_department,
    "committee": _by_committee,
}


@dataclass(frozen=True)
class TrendPoint:
    year: int
    on: date
    total: int
    organizational: int
    work: int

    @property
    def name(self) -> str:
        return str(self.year)

    @property
    def organizational_percent(self) -> float:
        return round(self.organizational * 100 / self.total, 1) if self.total else 0.0

    @property
    def work_percent(self) -> float:
        return round(self.work * 100 / self.total, 1) if self.total else 0.0


def coverage_trend(
    user: User, *, on: date | None = None, years: int = TREND_YEARS
) -> list[TrendPoint]:
    """The 两个覆盖 at the end of each of the last ``years`` years up to ``on``'s year (that
    year as of ``on``): one aggregate query a year."""
    party_access.require_view(user)
    on = on or timezone.localdate()
    points = []
    for year in range(on.year - years + 1, on.year + 1):
        day = min(date(year, 12, 31), on)
        row = population(user, day).order_by().aggregate(**_counts())
        points.append(TrendPoint(year, day, row["total"], row["n_org"], row["n_work"]))
    return points


def coverage_all(user: User, on: date) -> Iterator[PartyCoverage]:
    """Every grouping on ``on`` (for the page and the export)."""
    for by in GROUPINGS:
        yield party_coverage(user, by=by, on=on)
