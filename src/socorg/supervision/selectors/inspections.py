"""Reads of random inspections (RI-*): the risk facts that weigh the draw, the plans a caller may
see with their pools and selections, the public verification bundle, an inspector's own tasks."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from socorg.core.models import Attachment, User
from socorg.registry.models import Level, OrgType
from socorg.supervision import access, draw
from socorg.supervision.models import (
    AnnualReport,
    Case,
    Conclusion,
    CreditListing,
    FindingResult,
    InspectionFinding,
    InspectionMatter,
    InspectionPlan,
    ListingState,
    PlanAssignment,
    PlanBundle,
    PlanConflict,
    PlanInspector,
    PlanOrganization,
    PlanState,
)
from socorg.supervision.rules.inspections import RiskFacts
from socorg.supervision.selectors.complaints import organizations_with_verified_complaint

FAILED_REPORT_YEARS = 2


def complaint_verified_ids(organization_ids: QuerySet[Any], on: date) -> frozenset[int]:
    """Organizations of ``organization_ids`` with a complaint found verified in the 12 months
    before ``on`` (RI-3). The draw reads the factor only through here."""
    since = _year_before(on)
    verified = organizations_with_verified_complaint(since)
    if not verified:
        return frozenset()
    return frozenset(organization_ids.filter(pk__in=sorted(verified)).values_list("pk", flat=True))


def _year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def risk_facts(
    organization_ids: QuerySet[Any],
    *,
    on: date,
    complaint_verified: Collection[int] | None = None,
) -> RiskFacts:
    """The risk factors of the organizations ``organization_ids`` (a values("pk") queryset):
    a listing in force on a credit list, a failed annual report of the last
    ``FAILED_REPORT_YEARS`` years, and ``complaint_verified`` (default: the complaint records)."""
    listed = CreditListing.objects.filter(
        organization_id__in=organization_ids,
        state__in=[ListingState.LISTED, ListingState.DELISTING_REQUESTED],
    ).values_list("organization_id", flat=True)
    failed = AnnualReport.objects.filter(
        organization_id__in=organization_ids,
        conclusion=Conclusion.FAIL,
        year__gte=on.year - FAILED_REPORT_YEARS,
    ).values_list("organization_id", flat=True)
    if complaint_verified is None:
        complaint_verified = complaint_verified_ids(organization_ids, on)
    return RiskFacts(
        complaint_verified=frozenset(complaint_verified),
        credit_listing=frozenset(listed),
        report_failed=frozenset(failed),
    )


# --- plans for staff -----------------------------------------------------------------------------


def plan_list(user: User) -> QuerySet[InspectionPlan]:
    return (
        access.scope_plans(user)
        .select_related("jurisdiction")
        .order_by("-year", "jurisdiction__code")
    )


@dataclass(frozen=True)
class SelectedRow:
    subject: PlanOrganization
    inspectors: list[PlanInspector]
    findings: int
    problems: int = 0  # findings of issues or of a violation: the follow-ups to make

    @property
    def short(self) -> bool:
        return len(self.inspectors) < 2


@dataclass(frozen=True)
class PlanDetail:
    plan: InspectionPlan
    strata: list[dict[str, Any]]
    pool_size: int
    raised: int
    inspectors: int
    conflicts: int
    selected: list[SelectedRow]
    matters: list[InspectionMatter]

    @property
    def shortfalls(self) -> int:
        return sum(row.short for row in self.selected)


def plan_strata(plan: InspectionPlan) -> list[dict[str, Any]]:
    sizes = dict(
        PlanOrganization.objects.filter(plan=plan)
        .values_list("stratum")
        .annotate(size=Count("pk"))
        .values_list("stratum", "size")
        .order_by()
    )
    return [
        {
            "stratum": name,
            "size": size,
            "ratio": draw.ratio_text(plan.ratios[name.rsplit(":", 1)[1]]),
            "k": draw.stratum_k(plan.ratios[name.rsplit(":", 1)[1]], size),
        }
        for name, size in sorted(sizes.items())
    ]


def stratum_label(stratum: str) -> str:
    """``social_group:city`` → 社会团体 · 市管."""
    org_type, _sep, level = stratum.partition(":")
    names = dict(OrgType.choices), dict(Level.choices)
    return f"{names[0].get(org_type, org_type)} · {names[1].get(level, level)}"


def plan_detail(user: User, pk: int | str) -> PlanDetail:
    plan = access.access_plan(user, pk)
    subjects = PlanOrganization.objects.filter(plan=plan)
    selected = list(
        subjects.filter(selected=True).select_related("organization").order_by("stratum", "uscc")
    )
    by_subject: dict[int, list[PlanInspector]] = defaultdict(list)
    for a in PlanAssignment.objects.filter(subject__in=selected).select_related("inspector__user"):
        by_subject[a.subject_id].append(a.inspector)
    findings: Counter[int] = Counter()
    problems: Counter[int] = Counter()
    for subject_id, result in InspectionFinding.objects.filter(subject__in=selected).values_list(
        "subject_id", "result"
    ):
        findings[subject_id] += 1
        problems[subject_id] += result != FindingResult.COMPLIANT
    return PlanDetail(
        plan=plan,
        strata=[{**s, "label": stratum_label(s["stratum"])} for s in plan_strata(plan)],
        pool_size=subjects.count(),
        raised=subjects.exclude(weight=1).count(),
        inspectors=PlanInspector.objects.filter(plan=plan).count(),
        conflicts=PlanConflict.objects.filter(plan=plan).count(),
        selected=[
            SelectedRow(s, by_subject[s.pk], findings[s.pk], problems[s.pk]) for s in selected
        ],
        matters=list(plan.matter_list.matters.all()),
    )


# --- the public bundle ---------------------------------------------------------------------------


def _rows(query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of a fixed query (no text is ever formatted into it): the pools are read as plain
    tuples, a million of them in well under a second."""
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def stored_pool(plan: InspectionPlan) -> tuple[list[draw.PoolEntry], dict[str, str], list[str]]:
    """The frozen subject pool by credit code, the ratio of each stratum, the inspector ids."""
    pool = list(
        map(
            draw.PoolEntry._make,
            _rows(
                # DOUBLE PRECISION: no Decimal per row; a 3-decimal weight's shortest
                # float text is itself, so ``weight_text`` gives back the stored value.
                "SELECT uscc, stratum, CAST(weight AS DOUBLE PRECISION) "
                "FROM supervision_planorganization "
                "WHERE plan_id = %s ORDER BY uscc",
                [plan.pk],
            ),
        )
    )
    levels = {name: name.rsplit(":", 1)[1] for name in {e.stratum for e in pool}}
    ratios = {name: plan.ratios[level] for name, level in levels.items()}
    return pool, ratios, _inspector_ids(plan)


def stored_pool_grouped(
    plan: InspectionPlan,
) -> tuple[dict[str, dict[str, list[str]]], dict[str, str], list[str]]:
    """The frozen subject pool as ``draw.select_grouped`` takes it (stratum → published weight
    → credit codes), the ratio of each stratum, the inspector ids. On PostgreSQL the codes of
    each (stratum, weight) come as one text split in C, with no row object per organization
    (a credit code holds no space; the count guards it)."""
    groups: dict[str, dict[str, list[str]]] = {}
    if connection.vendor == "postgresql":
        for stratum, weight, count, joined in _rows(
            "SELECT stratum, CAST(weight AS TEXT), count(*), string_agg(uscc, ' ') "
            "FROM supervision_planorganization WHERE plan_id = %s GROUP BY stratum, weight",
            [plan.pk],
        ):
            codes = joined.split(" ")
            if len(codes) != count:
                raise ValueError(
                    f"plan {plan.pk}: a credit code of stratum {stratum} holds a space"
                )
            groups.setdefault(stratum, {})[draw.weight_text(weight)] = codes
    else:
        groups = draw.grouped(
            PlanOrganization.objects.filter(plan=plan).values_list("uscc", "stratum", "weight")
        )
    ratios = {name: plan.ratios[name.rsplit(":", 1)[1]] for name in groups}
    return groups, ratios, _inspector_ids(plan)


def _inspector_ids(plan: InspectionPlan) -> list[str]:
    return [
        str(u)
        for u in PlanInspector.objects.filter(plan=plan)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    ]


def stored_conflicts(plan: InspectionPlan, usccs: list[str] | None = None) -> list[draw.Conflict]:
    """The plan's frozen conflicts; with ``usccs``, only those of these organizations (all the
    assignment needs)."""
    if usccs is None:
        rows = _rows(
            "SELECT i.user_id, c.uscc, c.reason FROM supervision_planconflict c "
            "JOIN supervision_planinspector i ON i.id = c.inspector_id WHERE c.plan_id = %s",
            [plan.pk],
        )
    elif connection.vendor == "postgresql":
        rows = _rows(
            "SELECT i.user_id, c.uscc, c.reason FROM supervision_planconflict c "
            "JOIN supervision_planinspector i ON i.id = c.inspector_id "
            "WHERE c.plan_id = %s AND c.uscc = ANY(%s)",
            [plan.pk, usccs],
        )
    else:
        rows = []
        for start in range(0, len(usccs), 5000):
            rows += PlanConflict.objects.filter(
                plan=plan, uscc__in=usccs[start : start + 5000]
            ).values_list("inspector__user_id", "uscc", "reason")
    return [draw.Conflict(str(user), uscc, reason) for user, uscc, reason in rows]


def stored_draw_input(
    plan: InspectionPlan,
) -> tuple[list[draw.PoolEntry], dict[str, str], list[str], list[draw.Conflict]]:
    """The frozen pools as ``draw.draw`` takes them (what the public bundle publishes)."""
    return (*stored_pool(plan), stored_conflicts(plan))


def published_plan_list() -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "year": p.year,
            "authority": p.jurisdiction.name,
            "state": p.state,
            "commitment": p.commitment,
            "pool_hash": p.pool_hash,
            "seed": p.seed or None,
        }
        for p in access.published_plans()
        .select_related("jurisdiction")
        .order_by("-year", "jurisdiction__code")
    ]


def plan_bundle(plan: InspectionPlan) -> dict[str, Any]:
    """The verification bundle: everything an outsider needs to recompute the draw with
    ``draw.verify_bundle`` (risk weights without their causes)."""
    revealed = plan.state == PlanState.DRAWN
    inspectors = PlanInspector.objects.filter(plan=plan).order_by("user_id")
    pool, _ratios, _ids, conflicts = stored_draw_input(plan)
    texts: dict[Any, str] = {}

    def text(weight: Any) -> str:
        if weight not in texts:
            texts[weight] = draw.weight_text(weight)
        return texts[weight]

    return {
        "id": plan.pk,
        "year": plan.year,
        "authority": plan.jurisdiction.name,
        "state": plan.state,
        "commitment": plan.commitment,
        "pool_hash": plan.pool_hash,
        "seed": plan.seed if revealed else None,
        "strata": plan_strata(plan),
        "pool": [{"uscc": e.uscc, "stratum": e.stratum, "weight": text(e.weight)} for e in pool],
        "inspectors": [
            {"id": i.user_id, "department": i.department_name or None} for i in inspectors
        ],
        "conflicts": [
            {"inspector": int(c.inspector), "uscc": c.uscc, "reason": c.reason}
            for c in sorted(conflicts, key=lambda c: (int(c.inspector), c.uscc, c.reason))
        ],
        "selected": _stored_selections(plan) if revealed else [],
        "algorithm": plan.algorithm,
    }


def published_bundle(pk: int | str) -> dict[str, Any]:
    return plan_bundle(access.access_published_plan(pk))


def published_stored_bundle(pk: int | str) -> PlanBundle | None:
    """The stored bundle of a published plan (``PlanBundle``, written after the draw); None
    while it has not been stored."""
    return PlanBundle.objects.filter(plan=access.access_published_plan(pk)).first()


def stored_bundle_problems(stored: PlanBundle, body: bytes, bundle: dict[str, Any]) -> list[str]:
    """What a stored bundle says that the database does not: its digest, the plan's published
    fields, and the selections and inspectors the draw stored (the pool is covered by the pool
    hash the plan published when it was committed; the recomputation checks the rest)."""
    plan = stored.plan
    problems = []
    if hashlib.sha256(body).hexdigest() != stored.sha256:
        problems.append("stored bundle does not match its recorded SHA-256")
    published = {
        "id": plan.pk,
        "state": plan.state,
        "commitment": plan.commitment,
        "pool_hash": plan.pool_hash,
        "seed": plan.seed,
        "algorithm": plan.algorithm,
    }
    if {key: bundle.get(key) for key in published} != published:
        problems.append(
            "stored bundle differs from the plan's published commitment, pool hash or seed"
        )
    if bundle.get("selected") != _stored_selections(plan):
        problems.append("stored bundle's selections differ from those stored by the draw")
    return problems


def _stored_selections(plan: InspectionPlan) -> list[dict[str, Any]]:
    """The selected organizations in (stratum, credit code) order with the inspectors the draw
    assigned them, in the draw's order (those assigned by hand are not the draw's)."""
    assigned: dict[int, list[int]] = defaultdict(list)
    for subject_id, user_id in (
        # Only selected organizations have assignments; saying so lets the database start from
        # the selected rows (an index) rather than from the whole pool.
        PlanAssignment.objects.filter(subject__plan=plan, subject__selected=True, manual=False)
        .order_by("pk")
        .values_list("subject_id", "inspector__user_id")
    ):
        assigned[subject_id].append(user_id)
    return [
        {"uscc": uscc, "stratum": stratum, "inspectors": assigned[pk]}
        for pk, uscc, stratum in PlanOrganization.objects.filter(plan=plan, selected=True)
        .order_by("stratum", "uscc")
        .values_list("pk", "uscc", "stratum")
    ]


# --- an inspector's own tasks --------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    subject: PlanOrganization
    colleagues: list[str]
    matters: list[tuple[InspectionMatter, InspectionFinding | None]]

    @property
    def done(self) -> bool:
        return all(f is not None for _m, f in self.matters)


def my_tasks(user: User) -> list[Task]:
    assignments = list(
        access.scope_own_assignments(user)
        .select_related("subject__organization", "subject__plan__jurisdiction")
        .order_by("-subject__plan__year", "subject__uscc")
    )
    subjects = [a.subject for a in assignments]
    team: dict[int, list[str]] = defaultdict(list)
    for a in PlanAssignment.objects.filter(subject__in=subjects).select_related("inspector__user"):
        if a.inspector.user_id != user.pk:
            team[a.subject_id].append(a.inspector.user.full_name or a.inspector.user.username)
    findings = {
        (f.subject_id, f.matter_id): f
        for f in InspectionFinding.objects.filter(subject__in=subjects)
    }
    matters_of: dict[int, list[InspectionMatter]] = defaultdict(list)
    for m in InspectionMatter.objects.filter(matter_list__plans__subjects__in=subjects).distinct():
        matters_of[m.matter_list_id].append(m)
    return [
        Task(
            subject=s,
            colleagues=team[s.pk],
            matters=[(m, findings.get((s.pk, m.pk))) for m in matters_of[s.plan.matter_list_id]],
        )
        for s in subjects
    ]


# --- one drawn organization, followed up by the bureau ---------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    matter: InspectionMatter
    finding: InspectionFinding | None
    notices: list[Attachment]
    cases: list[Case]


@dataclass(frozen=True)
class SubjectDetail:
    subject: PlanOrganization
    inspectors: list[PlanInspector]
    rows: list[FindingRow]

    @property
    def recorded(self) -> int:
        return sum(row.finding is not None for row in self.rows)

    @property
    def problems(self) -> int:
        return sum(
            row.finding is not None and row.finding.result != FindingResult.COMPLIANT
            for row in self.rows
        )


def subject_detail(user: User, pk: int | str) -> SubjectDetail:
    """A drawn organization: its inspectors, each matter's finding, the rectification notice
    and the cases that followed a finding."""
    subject = access.access_subject(user, pk)
    inspectors = [
        a.inspector
        for a in PlanAssignment.objects.filter(subject=subject).select_related("inspector__user")
    ]
    findings = {f.matter_id: f for f in InspectionFinding.objects.filter(subject=subject)}
    ids = [str(f.pk) for f in findings.values()]
    cases: dict[str, list[Case]] = defaultdict(list)
    for case in access.scope_cases(user).filter(
        source_type=access.FINDING_OWNER, source_id__in=ids
    ):
        cases[case.source_id].append(case)
    notices: dict[str, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(
        owner_type=access.FINDING_OWNER, owner_id__in=ids
    ).order_by("id"):
        notices[attachment.owner_id].append(attachment)
    rows = []
    for matter in subject.plan.matter_list.matters.all():
        finding = findings.get(matter.pk)
        rows.append(
            FindingRow(
                matter=matter,
                finding=finding,
                notices=notices[str(finding.pk)] if finding else [],
                cases=cases[str(finding.pk)] if finding else [],
            )
        )
    return SubjectDetail(subject=subject, inspectors=inspectors, rows=rows)


def finding_subject_id(user: User, pk: int | str) -> int:
    """The drawn organization a finding belongs to (the finding's page is its subject's)."""
    return access.access_finding(user, pk).subject_id


# --- published results (RI-6) ---------------------------------------------------------------------


def published_results(pk: int | str) -> list[dict[str, Any]]:
    """The findings of a drawn plan as the public reads them (RI-6: results are published by
    each finding's ``publish_by``; they are public from the day they are recorded): the
    organization, the matter, the result and what was found, the rectification notice's number.
    Never who inspected, nor anything of a complaint behind a weight."""
    plan = access.access_published_plan(pk)
    if plan.state != PlanState.DRAWN:
        return []
    rows = (
        InspectionFinding.objects.filter(subject__plan=plan)
        .select_related("subject__organization", "matter")
        .order_by("subject__uscc", "matter__position")
    )
    return [
        {
            "uscc": f.subject.uscc,
            "organization": f.subject.organization.name,
            "matter": f.matter.name,
            "result": f.result,
            "result_label": str(FindingResult(f.result).label),
            "description": f.description,
            "recorded_on": f.recorded_on,
            "rectification_number": f.rectification_number,
        }
        for f in rows
    ]
