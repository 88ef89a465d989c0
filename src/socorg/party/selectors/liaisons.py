"""Reads of the liaison roster and its training, always through ``party.access``: the roster
by department with its two flags (no current liaison; not trained this year), a department's
liaisons, the sessions with their attendance, and a liaison's own page.

Set-based: the roster's flags are two ``EXISTS`` annotations on the departments, and the
current liaisons of a page of departments are one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from socorg.core.access import require_perm
from socorg.core.attachments import attachments_of
from socorg.core.liaison_sections import LiaisonSection, liaison_sections
from socorg.core.models import Attachment, Department, DepartmentKind, User
from socorg.party import access
from socorg.party.models import LiaisonOfficer, LiaisonTraining, TrainingAttendance
from socorg.party.rules import liaisons as rules
from socorg.registry import access as registry_access
from socorg.registry.models import Organization, OrgStatus
from socorg.registry.selectors import RowPage, page_of

# The departments that designate liaison officers: the government departments (the seed's
# 56 市直部门), not the bureau's own divisions, the party bodies or the approval bureau.
LIAISON_DEPARTMENT_KINDS = (DepartmentKind.GOVERNMENT,)
NO_LIAISON = "no_liaison"
UNTRAINED = "untrained"
FLAGS = (NO_LIAISON, UNTRAINED)


def current_liaisons(on: date | None = None) -> QuerySet[LiaisonOfficer]:
    """Liaison services covering ``on`` (today by default); unscoped, for annotations."""
    on = on or timezone.localdate()
    return LiaisonOfficer.objects.filter(starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


def trained_in(year: int) -> QuerySet[TrainingAttendance]:
    start, end = rules.training_year(date(year, 1, 1))
    return TrainingAttendance.objects.filter(training__held_on__range=(start, end))


def with_liaison_flags(departments: QuerySet[Any], *, on: date | None = None) -> QuerySet[Any]:
    """``departments`` annotated: ``needs_liaison`` (a kind that designates liaisons),
    ``has_liaison`` (one serving ``on``), ``trained`` (attended a session this year)."""
    on = on or timezone.localdate()
    return departments.annotate(
        needs_liaison=Q(kind__in=LIAISON_DEPARTMENT_KINDS),
        has_liaison=Exists(current_liaisons(on).filter(department_id=OuterRef("pk"))),
        trained=Exists(trained_in(on.year).filter(department_id=OuterRef("pk"))),
    )


@dataclass
class RosterRow:
    department: Any  # a Department annotated by ``with_liaison_flags``
    liaisons: list[LiaisonOfficer] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return not self.department.has_liaison or not self.department.trained


@dataclass(frozen=True)
class RosterSummary:
    departments: int
    without_liaison: int
    untrained: int
    year: int


def roster_departments(user: User, *, flag: str = "", q: str = "") -> QuerySet[Any]:
    """The departments in the user's scope that designate liaisons, flagged, ordered by code."""
    require_perm(user, "liaison.view")
    qs = with_liaison_flags(
        access.scope_departments(user).filter(kind__in=LIAISON_DEPARTMENT_KINDS)
    )
    if q.strip():
        qs = qs.filter(Q(name__contains=q.strip()) | Q(code__iexact=q.strip()))
    if flag == NO_LIAISON:
        qs = qs.filter(has_liaison=False)
    elif flag == UNTRAINED:
        qs = qs.filter(trained=False)
    return qs.select_related("jurisdiction").order_by("code")


def roster_summary(user: User) -> RosterSummary:
    qs = roster_departments(user).order_by()
    row = qs.aggregate(
        n=Count("pk"),
        without=Count("pk", filter=Q(has_liaison=False)),
        untrained=Count("pk", filter=Q(trained=False)),
    )
    return RosterSummary(row["n"], row["without"], row["untrained"], timezone.localdate().year)


def roster_page(user: User, *, flag: str, q: str, number: int) -> RowPage[RosterRow]:
    """One page of the roster: each department with its current liaisons (one more query)."""
    page = page_of(roster_departments(user, flag=flag, q=q), number, 30)
    by_department: dict[int, list[LiaisonOfficer]] = defaultdict(list)
    current = current_liaisons().filter(department__in=[d.pk for d in page.rows])
    for liaison in current.select_related("user").order_by("starts_on", "pk"):
        by_department[liaison.department_id].append(liaison)
    rows = [RosterRow(d, by_department[d.pk]) for d in page.rows]
    return RowPage(rows, page.number, page.has_next, page.total, page.exact, page.size)


@dataclass(frozen=True)
class DepartmentFlags:
    code: str
    needs_liaison: bool
    has_liaison: bool
    trained: bool


@dataclass(frozen=True)
class DepartmentLiaisons:
    department: DepartmentFlags
    current: list[LiaisonOfficer]
    former: list[LiaisonOfficer]
    attended: list[TrainingAttendance]  # this department's attendance, newest first


def department_liaisons(user: User, department: Department) -> DepartmentLiaisons:
    """A department's liaisons, current and former, and its training record, for a
    department the caller was given by ``access.access_department`` (two queries)."""
    require_perm(user, "liaison.view")
    today = timezone.localdate()
    rows = list(
        LiaisonOfficer.objects.filter(department=department)
        .select_related("user")
        .order_by("-starts_on", "pk")
    )
    current = [x for x in rows if rules.serving_on(x.starts_on, x.ends_on, today)]
    former = [x for x in rows if x not in current]
    attended = list(
        TrainingAttendance.objects.filter(department=department)
        .select_related("training", "liaison")
        .order_by("-training__held_on", "pk")[:50]
    )
    flags = DepartmentFlags(
        code=department.code,
        needs_liaison=department.kind in LIAISON_DEPARTMENT_KINDS,
        has_liaison=bool(current),
        trained=any(a.training.held_on.year == today.year for a in attended),
    )
    return DepartmentLiaisons(flags, current, former, attended)


# --- training -----------------------------------------------------------------------------


def training_rows(user: User) -> QuerySet[LiaisonTraining]:
    """Sessions the user sees, with the attendance and departments the user sees."""
    seen = access.scope_attendances(user).filter(training_id=OuterRef("pk"))
    return (
        access.scope_trainings(user)
        .select_related("jurisdiction")
        .annotate(
            attendees=_subcount(seen, "pk"),
            departments=_subcount(seen, "department_id"),
        )
        .order_by("-held_on", "-pk")
    )


def _subcount(qs: QuerySet[Any], counted: str) -> Any:
    counts = (
        qs.order_by().values("training_id").annotate(n=Count(counted, distinct=True)).values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class TrainingDetail:
    training: LiaisonTraining
    attendances: list[TrainingAttendance]
    materials: list[Attachment]
    # Liaisons serving on the day and not yet recorded (whom the attendance form offers).
    candidates: list[LiaisonOfficer]
    held: bool

    @property
    def departments(self) -> int:
        return len({a.department_id for a in self.attendances})


def training_detail(user: User, pk: int | str) -> TrainingDetail:
    training = access.access_training(user, pk)
    attendances = list(
        access.scope_attendances(user)
        .filter(training=training)
        .select_related("liaison", "department")
        .order_by("department__code", "liaison__name")
    )
    recorded = {a.liaison_id for a in attendances}
    day = training.held_on
    candidates = [
        x
        for x in access.scope_liaisons(user)
        .filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("department")
        .order_by("department__code", "name")
        if x.pk not in recorded
    ]
    return TrainingDetail(
        training=training,
        attendances=attendances,
        materials=attachments_of(owner_type=access.TRAINING_OWNER, owner_id=training.pk),
        candidates=candidates,
        held=day <= timezone.localdate(),
    )


# --- the liaison's own page ----------------------------------------------------------------

ORGANIZATIONS_SHOWN = 15


@dataclass(frozen=True)
class LiaisonPage:
    department: Any  # annotated by ``with_liaison_flags``
    me: LiaisonOfficer | None  # the caller's own current service, if registered
    colleagues: list[LiaisonOfficer]
    organizations: list[Organization]
    organization_total: int
    supervised: int
    responsible: int
    trainings: list[TrainingAttendance]  # the department's attendance this year
    sections: list[LiaisonSection]


def liaison_page(user: User) -> LiaisonPage:
    """What a department liaison sees of their department: its organizations (the registry's
    department scope), its liaisons and training this year, and the sections other
    capabilities register (opinions, filings, inspections, complaints)."""
    require_perm(user, "liaison.page")
    department = access.access_department(user, _own_department_code(user))
    flagged = with_liaison_flags(Department.objects.filter(pk=department.pk)).get()
    today = timezone.localdate()
    liaisons = list(current_liaisons(today).filter(department=department).select_related("user"))
    organizations = (
        registry_access.scope_organizations(user)
        .filter(status=OrgStatus.REGISTERED)
        .select_related("jurisdiction")
        .order_by("name", "pk")
    )
    counts = organizations.order_by().aggregate(
        total=Count("pk"),
        supervised=Count("pk", filter=Q(supervisory_unit_id=department.pk)),
    )
    trainings = list(
        trained_in(today.year)
        .filter(department=department)
        .select_related("training", "liaison")
        .order_by("-training__held_on")
    )
    return LiaisonPage(
        department=flagged,
        me=next((x for x in liaisons if x.user_id == user.pk), None),
        colleagues=[x for x in liaisons if x.user_id != user.pk],
        organizations=list(organizations[:ORGANIZATIONS_SHOWN]),
        organization_total=counts["total"],
        supervised=counts["supervised"],
        responsible=counts["total"] - counts["supervised"],
        trainings=trainings,
        sections=liaison_sections(user),
    )


def _own_department_code(user: User) -> str:
    code = Department.objects.filter(pk=user.department_id or 0).values_list("code", flat=True)
    return code.first() or ""
