"""Reads of the party-building face: departments and their responsibility map, the import's
look-ups and the coverage report, always through the caller's scope.

Set-based: a whole workbook's organizations and departments are fetched in a few queries, and
every figure of the coverage report is one aggregate query, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.models import Department, Jurisdiction, JurisdictionLevel, User
from socorg.party import access as party_access
from socorg.party.rules import DeptRef, Lookups, OrgRef, Period, References
from socorg.registry import access as registry_access
from socorg.registry.models import (
    Level,
    Organization,
    OrgStatus,
    OrgType,
    Responsibility,
    ResponsibilityKind,
    SourceDocument,
)
from socorg.registry.selectors import RowPage, page_of

CHUNK = 2000
REMOVED = (OrgStatus.DEREGISTERED, OrgStatus.REVOKED)
T = TypeVar("T")


def _chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    items = sorted(values)  # type: ignore[type-var]
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Departments --------------------------------------------------------------------------------


def _count_in_scope(qs: QuerySet[Any], group: str, counted: str) -> Subquery:
    counts = qs.order_by().values(group).annotate(n=Count(counted, distinct=True)).values("n")
    return Subquery(counts, output_field=models.IntegerField())


def department_rows(user: User, *, kind: str = "", q: str = "") -> QuerySet[Department]:
    """Visible departments (of ``kind``, named like ``q``) with, for each, the number of
    organizations in the user's scope it supervises, regulates and is currently responsible
    for: one query, no per-row counting."""
    scope = registry_access.scope_organizations(user)
    responsibilities = Responsibility.objects.current().filter(organization__in=scope)
    departments = party_access.scope_departments(user)
    if kind:
        departments = departments.filter(kind=kind)
    if q.strip():
        departments = departments.filter(Q(name__contains=q.strip()) | Q(code__iexact=q.strip()))
    return (
        departments.select_related("jurisdiction")
        .annotate(
            supervised_count=Coalesce(
                _count_in_scope(
                    scope.filter(supervisory_unit=OuterRef("pk")), "supervisory_unit", "pk"
                ),
                0,
            ),
            regulated_count=Coalesce(
                _count_in_scope(
                    scope.filter(industry_regulator=OuterRef("pk")), "industry_regulator", "pk"
                ),
                0,
            ),
            responsible_count=Coalesce(
                _count_in_scope(
                    responsibilities.filter(department=OuterRef("pk")), "department", "organization"
                ),
                0,
            ),
        )
        .order_by("jurisdiction__path", "kind", "code")
    )


def department_responsibility_page(
    user: User, department: Department, number: int
) -> RowPage[Responsibility]:
    """The department's entries in the responsibility map, for organizations in the user's scope."""
    qs = (
        Responsibility.objects.filter(
            department=department, organization__in=registry_access.scope_organizations(user)
        )
        .select_related("organization", "source_document")
        .order_by("organization__name", "kind", "-effective_from", "pk")
    )
    return page_of(qs, number)


# --- import ------------------------------------------------------------------------------------


def import_lookups(user: User, refs: References) -> Lookups:
    """Everything the rows of one workbook refer to, in a handful of queries."""
    organizations = _organizations_by_uscc(user, refs.usccs)
    by_code, by_name = _departments(refs.department_codes, refs.department_names)
    org_ids = [o.id for o in organizations.values()]
    dept_ids = {d.id for d in by_code.values()} | {d.id for d in by_name.values() if d}
    return Lookups(
        organizations=organizations,
        departments_by_code=by_code,
        departments_by_name=by_name,
        existing=_existing_periods(org_ids, dept_ids),
    )


def _organizations_by_uscc(user: User, usccs: Iterable[str]) -> dict[str, OrgRef]:
    scope = registry_access.scope_organizations(user)
    labels = dict(OrgStatus.choices)
    found: dict[str, OrgRef] = {}
    for chunk in _chunks(usccs):
        rows = (
            Organization.objects.filter(uscc__in=chunk)
            .annotate(in_scope=Exists(scope.filter(pk=OuterRef("pk"))))
            .values_list("id", "uscc", "name", "status", "in_scope")
        )
        for pk, uscc, name, status, in_scope in rows:
            if not uscc:
                continue
            removed = str(labels[status]) if status in REMOVED else ""
            found[uscc] = OrgRef(id=pk, name=name, in_scope=bool(in_scope), removed_status=removed)
    return found


def _departments(
    codes: Iterable[str], names: Iterable[str]
) -> tuple[dict[str, DeptRef], dict[str, DeptRef | None]]:
    codes, names = list(codes), list(names)
    if not codes and not names:
        return {}, {}
    rows = Department.objects.filter(
        Q(code__in=codes) | Q(name__in=names) | Q(short_name__in=names)
    ).values_list("id", "code", "name", "short_name")
    by_code: dict[str, DeptRef] = {}
    by_name: dict[str, DeptRef | None] = {}
    for pk, code, name, short_name in rows:
        ref = DeptRef(id=pk, code=code, name=name)
        by_code[code] = ref
        for key in {name, short_name} - {""}:
            by_name[key] = ref if by_name.get(key, ref) == ref else None
    return by_code, by_name


def _existing_periods(
    org_ids: list[int], dept_ids: set[int]
) -> dict[tuple[int, int, str], list[Period]]:
    existing: dict[tuple[int, int, str], list[Period]] = {}
    if not dept_ids:
        return existing
    for chunk in _chunks(org_ids):
        rows = Responsibility.objects.filter(
            organization_id__in=chunk, department_id__in=dept_ids
        ).values_list("organization_id", "department_id", "kind", "effective_from", "effective_to")
        for org_id, dept_id, kind, start, end in rows:
            existing.setdefault((org_id, dept_id, kind), []).append((start, end))
    return existing


def template_departments() -> list[DeptRef]:
    """The departments listed on the template's 部门列表 sheet."""
    rows = Department.objects.order_by("code").values_list("id", "code", "name")
    return [DeptRef(id=pk, code=code, name=name) for pk, code, name in rows]


def source_documents() -> QuerySet[SourceDocument]:
    """Documents a registrar may cite, newest first."""
    return SourceDocument.objects.order_by("-issued_on", "-id")


def source_document_get(pk: int) -> SourceDocument | None:
    return SourceDocument.objects.filter(pk=pk).first()


def source_document_by_number(number: str) -> SourceDocument | None:
    return SourceDocument.objects.filter(number=number).first() if number else None


def organization_ids_outside_scope(user: User, ids: Iterable[int]) -> set[int]:
    """Of ``ids``, those the user may not see (set-based, chunked)."""
    wanted = set(ids)
    scope = registry_access.scope_organizations(user)
    seen: set[int] = set()
    for chunk in _chunks(wanted):
        seen.update(scope.filter(id__in=chunk).values_list("id", flat=True))
    return wanted - seen


# --- coverage ----------------------------------------------------------------------------------

LEVELS = {"city": Level.CITY, "county": Level.COUNTY, "all": None}


@dataclass(frozen=True)
class CoverageSummary:
    total: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def percent(self) -> float:
        return round(self.covered * 100 / self.total, 1) if self.total else 0.0


@dataclass(frozen=True)
class TypeCoverage:
    org_type: str
    label: str
    summary: CoverageSummary


@dataclass(frozen=True)
class DepartmentCoverage:
    code: str
    name: str
    organizations: int


@dataclass(frozen=True)
class JurisdictionCoverage:
    """A county or district (or the city's own organizations, 市本级) and its figures."""

    code: str
    name: str
    summary: CoverageSummary

    # Flat figures for the chart (``chart_stack`` reads attributes by name).
    @property
    def covered(self) -> int:
        return self.summary.covered

    @property
    def uncovered(self) -> int:
        return self.summary.uncovered


@dataclass(frozen=True)
class CoverageReport:
    level: str
    summary: CoverageSummary
    by_type: list[TypeCoverage]
    by_department: list[DepartmentCoverage]
    by_jurisdiction: list[JurisdictionCoverage]
    uncovered: QuerySet[Organization]


def _party_building_managers() -> QuerySet[Responsibility]:
    return Responsibility.objects.current().filter(
        kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT
    )


def coverage_population(user: User, level: str) -> QuerySet[Organization]:
    """Registered organizations in the user's scope, of one level (``city``/``county``/``all``),
    each annotated with ``covered``: it has a current party-building manager."""
    qs = registry_access.scope_organizations(user).filter(status=OrgStatus.REGISTERED)
    if LEVELS.get(level):
        qs = qs.filter(level=LEVELS[level])
    managers = _party_building_managers().filter(organization_id=OuterRef("pk"))
    return qs.annotate(covered=Exists(managers))


def coverage_report(user: User, level: str = "city") -> CoverageReport:
    """The party-building coverage of the user's organizations (responsibility map)."""
    access.require_perm(user, "responsibility.coverage")
    level = level if level in LEVELS else "city"
    population = coverage_population(user, level)
    return CoverageReport(
        level=level,
        summary=_summary(population),
        by_type=_by_type(population),
        by_department=_by_department(population),
        by_jurisdiction=_by_jurisdiction(population),
        uncovered=_uncovered(population),
    )


def coverage_uncovered(user: User, level: str = "city") -> QuerySet[Organization]:
    """Only the uncovered list (for the spreadsheet export)."""
    access.require_perm(user, "responsibility.coverage")
    return _uncovered(coverage_population(user, level if level in LEVELS else "city"))


def _uncovered(population: QuerySet[Organization]) -> QuerySet[Organization]:
    return (
        population.filter(Q(covered=False))
        .select_related("jurisdiction", "supervisory_unit")
        .order_by("name", "id")
    )


def _counts() -> dict[str, Any]:
    return {"total": Count("id"), "n_covered": Count("id", filter=Q(covered=True))}


def _summary(population: QuerySet[Organization]) -> CoverageSummary:
    row = population.order_by().aggregate(**_counts())
    return CoverageSummary(total=row["total"], covered=row["n_covered"])


def _by_type(population: QuerySet[Organization]) -> list[TypeCoverage]:
    rows = population.order_by().values("org_type").annotate(**_counts()).order_by("org_type")
    counts = {r["org_type"]: CoverageSummary(r["total"], r["n_covered"]) for r in rows}
    return [
        TypeCoverage(org_type=value, label=str(label), summary=counts[value])
        for value, label in OrgType.choices
        if value in counts
    ]


def _by_department(population: QuerySet[Organization]) -> list[DepartmentCoverage]:
    rows = (
        _party_building_managers()
        .filter(organization__in=population.values("pk"))
        .values("department__code", "department__name")
        .annotate(n=Count("organization_id", distinct=True))
        .order_by("-n", "department__code")
    )
    return [DepartmentCoverage(r["department__code"], r["department__name"], r["n"]) for r in rows]


# Jurisdictions a coverage row stands for: counties, districts and functional zones; the
# streets under them count with them, and the city's own organizations form 市本级.
COUNTY_LEVELS = (JurisdictionLevel.COUNTY, JurisdictionLevel.ZONE)


def _by_jurisdiction(population: QuerySet[Organization]) -> list[JurisdictionCoverage]:
    """Organizations and covered organizations per county or district: one aggregate query
    grouped by jurisdiction, one that reads the areas on their paths; 市本级 first, then by code."""
    rows = list(population.order_by().values("jurisdiction__path").annotate(**_counts()).order_by())
    codes = {code for r in rows for code in r["jurisdiction__path"].strip("/").split("/")}
    areas = {j.code: j for j in Jurisdiction.objects.filter(code__in=codes)}
    totals: dict[str, list[int]] = {}
    for row in rows:
        code = _county_of(row["jurisdiction__path"], areas)
        counts = totals.setdefault(code, [0, 0])
        counts[0] += row["total"]
        counts[1] += row["n_covered"]
    result = [
        JurisdictionCoverage(code, _area_label(areas[code]), CoverageSummary(*counts))
        for code, counts in totals.items()
    ]
    return sorted(result, key=lambda r: (areas[r.code].level in COUNTY_LEVELS, r.code))


def _county_of(path: str, areas: dict[str, Jurisdiction]) -> str:
    """The county or zone on ``path``, else the last area above the streets (the city)."""
    codes = path.strip("/").split("/")
    county = next((c for c in codes if c in areas and areas[c].level in COUNTY_LEVELS), None)
    if county is not None:
        return county
    upper = [c for c in codes if c in areas and areas[c].level != JurisdictionLevel.STREET]
    return upper[-1] if upper else codes[-1]


def _area_label(area: Jurisdiction) -> str:
    if area.level in COUNTY_LEVELS:
        return area.name
    return _("%(name)s本级") % {"name": area.name}


UNCOVERED_EXPORT_FIELDS = (
    "uscc",
    "name",
    "org_type",
    "level",
    "jurisdiction__name",
    "supervisory_unit__name",
    "established_on",
)


def coverage_uncovered_rows(user: User, level: str = "city") -> Iterator[tuple[Any, ...]]:
    """The uncovered list as plain rows (``UNCOVERED_EXPORT_FIELDS``), streamed in chunks."""
    qs = coverage_uncovered(user, level).values_list(*UNCOVERED_EXPORT_FIELDS)
    return qs.iterator(chunk_size=2000)
