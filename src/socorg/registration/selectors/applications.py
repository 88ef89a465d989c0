"""Reads of registration applications and opinions, always through the caller's scope.

Applicants see their own applications (an organization account also those of its
organization); bureau and approval staff see submitted applications in their jurisdiction; a
department's reviewers see only the applications their department was asked about, and only
their own department's opinions (the joint review's rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, calendar, selectors
from socorg.core.models import Attachment, Deadline, Department, DepartmentKind, Role, User
from socorg.registration import checklists, rules
from socorg.registration.models import (
    Application,
    ApplicationMaterial,
    ApplicationState,
    Opinion,
    OpinionState,
)

# Roles that give opinions in a joint review, for their own department.
REVIEW_ROLES = frozenset(
    {
        Role.DEPARTMENT_LIAISON,
        Role.SUPERVISORY_UNIT_REVIEWER,
        Role.PARTY_BUILDING_REVIEWER,
        Role.REGISTRAR,
        Role.REVIEWER,
    }
)


def scope_applications(user: User) -> QuerySet[Application]:
    """The applications ``user`` may see. Default: none."""
    qs = Application.objects.all()
    if not access.is_staff_user(user):
        return qs.none()
    if user.role == Role.ORGANIZATION:
        own = Q(applicant=user)
        if user.organization_id:
            own |= Q(organization_id=user.organization_id)
        return qs.filter(own)
    if user.role in access.JURISDICTION_ROLES:
        return qs.filter(jurisdiction_id__in=access.jurisdiction_ids_in_scope(user)).exclude(
            state=ApplicationState.DRAFT
        )
    if user.role in access.DEPARTMENT_ROLES and user.department_id:
        asked = Opinion.objects.filter(department_id=user.department_id).values("application_id")
        return qs.filter(id__in=asked)
    return qs.none()


def access_application(user: User, pk: int | str) -> Application:
    """The application if the user may see it; 404 otherwise."""
    key = str(pk)
    app = (
        scope_applications(user)
        .select_related("jurisdiction", "supervisory_unit", "industry_regulator", "organization")
        .filter(pk=int(key) if key.isdigit() else 0)
        .first()
    )
    if app is None:
        raise Http404(_("未找到该申请，或您无权查看。"))
    return app


def scope_opinions(user: User) -> QuerySet[Opinion]:
    """Opinions of the user's own department; the division head sees every opinion of the
    applications in the jurisdiction (to follow up escalations)."""
    qs = Opinion.objects.all()
    if not access.is_staff_user(user):
        return qs.none()
    if user.role == Role.DIVISION_HEAD:
        return qs.filter(application__in=scope_applications(user))
    if user.role in REVIEW_ROLES and user.department_id:
        return qs.filter(department_id=user.department_id).exclude(
            application__state=ApplicationState.DRAFT
        )
    return qs.none()


def access_opinion(user: User, pk: int | str) -> Opinion:
    key = str(pk)
    opinion = (
        scope_opinions(user)
        .select_related("application", "department")
        .filter(pk=int(key) if key.isdigit() else 0)
        .first()
    )
    if opinion is None:
        raise Http404(_("未找到该审核意见，或您无权查看。"))
    return opinion


INDUSTRY_COMMITTEE_PREFIX = "HYDW-"


# --- departments of a joint review ------------------------------------------------------------


def registration_division(jurisdiction_id: int) -> Department | None:
    """The bureau's registration division of a jurisdiction (code ``…-DJ``), else its
    registration authority."""
    depts = Department.objects.filter(jurisdiction_id=jurisdiction_id)
    return (
        depts.filter(kind=DepartmentKind.DIVISION, code__endswith="-DJ").first()
        or depts.filter(kind=DepartmentKind.REGISTRATION_AUTHORITY).first()
    )


def party_building_body(jurisdiction: Any) -> Department | None:
    """The new-sectors party committee (两新工委) of the jurisdiction or the nearest above."""
    node = jurisdiction
    while node is not None:
        bodies = Department.objects.filter(
            kind=DepartmentKind.PARTY_BUILDING_BODY, jurisdiction=node
        ).order_by("code")
        # Industry party committees (行业党委) are party-building bodies of one sector; a new
        # organization's review goes to the 两新工委.
        body = bodies.exclude(code__startswith=INDUSTRY_COMMITTEE_PREFIX).first() or bodies.first()
        if body is not None:
            return body
        node = node.parent
    return None


def department_by_code(code: str) -> Department | None:
    return Department.objects.filter(code=code).first() if code else None


def supervisory_units() -> QuerySet[Department]:
    return Department.objects.filter(is_supervisory_unit=True).order_by("code")


def industry_regulators() -> QuerySet[Department]:
    return Department.objects.filter(is_industry_regulator=True).order_by("code")


def consultable_departments(jurisdiction_id: int) -> QuerySet[Department]:
    """RG-14: the departments of a jurisdiction a direct registration may consult (industry
    regulators and supervisory units)."""
    flagged = Q(is_industry_regulator=True) | Q(is_supervisory_unit=True)
    return Department.objects.filter(flagged, jurisdiction_id=jurisdiction_id).order_by("code")


@dataclass(frozen=True)
class ConsultChoice:
    department: Department
    checked: bool


def consultation_choices(app: Application) -> list[ConsultChoice]:
    """RG-14: the checkbox list of the acceptance of a direct registration, pre-checked from the
    category's usual departments and those already chosen."""
    chosen = app.data.get("consulted_departments")
    checked = set(rules.usual_consulted_codes(str(app.data.get("category") or "")))
    checked |= {str(c) for c in chosen} if isinstance(chosen, list) else set()
    return [
        ConsultChoice(d, d.code in checked) for d in consultable_departments(app.jurisdiction_id)
    ]


def is_direct(app: Application) -> bool:
    return app.management_mode == "direct_registration"


# --- materials --------------------------------------------------------------------------------


def uploaded_keys(app: Application) -> set[str]:
    return set(ApplicationMaterial.objects.filter(application=app).values_list("key", flat=True))


@dataclass(frozen=True)
class MaterialRow:
    material: checklists.Material
    files: list[Attachment]


def material_rows(app: Application) -> list[MaterialRow]:
    rows = ApplicationMaterial.objects.filter(application=app).select_related("attachment")
    by_key: dict[str, list[Attachment]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row.attachment)
    items = checklists.checklist(app.kind, app.org_type, dual_management=is_dual(app))
    return [MaterialRow(m, by_key.get(m.key, [])) for m in items]


PENDING_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.CORRECTION_REQUESTED,
    ApplicationState.JOINT_REVIEW,
    ApplicationState.REVIEW_CORRECTION,
)


def pending_name_holders(name: str) -> list[Application]:
    """Pending applications proposing ``name`` (their reservation, RG-15). Unscoped: the
    name check must see every reservation; callers show only number and title."""
    rows = Application.objects.filter(state__in=PENDING_STATES, data__name=name)
    return list(rows.only("id", "title").order_by("id")[:5])


def is_dual(app: Application) -> bool:
    return app.management_mode == "dual_management"


# --- worklists --------------------------------------------------------------------------------


def applications_of_applicant(user: User) -> QuerySet[Application]:
    return scope_applications(user).order_by("-updated_at", "-id")


def applications_to_accept(user: User) -> QuerySet[Application]:
    """Submitted applications awaiting acceptance (受理) by the approval bureau."""
    return (
        scope_applications(user)
        .filter(state=ApplicationState.SUBMITTED)
        .order_by("submitted_at", "id")
    )


def applications_in_state(user: User, states: list[str]) -> QuerySet[Application]:
    return scope_applications(user).filter(state__in=states).order_by("submitted_at", "id")


def opinions_to_give(user: User) -> QuerySet[Opinion]:
    """Pending opinions of the user's own department, earliest due first."""
    if user.role not in REVIEW_ROLES:
        return Opinion.objects.none()
    return (
        scope_opinions(user)
        .filter(state=OpinionState.PENDING, application__state=ApplicationState.JOINT_REVIEW)
        .select_related("application", "department")
        .order_by("due_on", "id")
    )


def opinions_escalated(user: User) -> QuerySet[Opinion]:
    """Overdue opinions flagged to the division head (督办)."""
    if user.role != Role.DIVISION_HEAD:
        return Opinion.objects.none()
    return (
        scope_opinions(user)
        .filter(state=OpinionState.PENDING, escalated_at__isnull=False)
        .select_related("application", "department")
        .order_by("due_on", "id")
    )


def application_opinions(app: Application) -> list[Opinion]:
    return list(app.opinions.select_related("department", "decided_by").order_by("id"))


# --- the overdue monitor (电子监察) -------------------------------------------------------------


@dataclass
class MonitorRow:
    title: str
    process_label: str
    holder: str
    department: str
    due_on: date
    days_left: int
    rule_id: str
    application_id: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass
class MonitorGroup:
    name: str
    rows: list[MonitorRow]

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


@dataclass
class Monitor:
    rows: list[MonitorRow]
    by_department: list[MonitorGroup]
    by_person: list[MonitorGroup]


MONITOR_WARNING_WORKING_DAYS = 2
MONITOR_LIMIT = 500


def overdue_monitor(user: User, *, today: date | None = None) -> Monitor:
    """Open clocks of applications and opinions due within 2 working days or overdue, grouped
    per department and per person responsible (RG-3, 电子监察)."""
    today = today or timezone.localdate()
    horizon = calendar.add_working_days(today, MONITOR_WARNING_WORKING_DAYS)
    clocks = list(
        selectors.deadlines_in_scope(user=user)
        .filter(process__in=["application", "opinion"], due_on__lte=horizon)
        .order_by("due_on", "id")[:MONITOR_LIMIT]
    )
    rows = _monitor_rows(clocks, today)
    return Monitor(rows, _group(rows, "department"), _group(rows, "holder"))


def _monitor_rows(clocks: list[Deadline], today: date) -> list[MonitorRow]:
    app_ids = [int(c.object_id) for c in clocks if c.process == "application"]
    op_ids = [int(c.object_id) for c in clocks if c.process == "opinion"]
    apps = Application.objects.select_related("jurisdiction").in_bulk(app_ids)
    ops = Opinion.objects.select_related("application", "department").in_bulk(op_ids)
    holders = _department_holders([o.department_id for o in ops.values()])
    rows = []
    for clock in clocks:
        left = calendar.days_left(today, clock.due_on, clock.unit)
        if clock.process == "application" and int(clock.object_id) in apps:
            app = apps[int(clock.object_id)]
            rows.append(
                MonitorRow(
                    str(app.title),
                    _("登记申请"),
                    _("登记科室负责人"),
                    _("登记管理机关"),
                    clock.due_on,
                    left,
                    clock.rule_id,
                    app.pk,
                )  # fmt: skip
            )
        elif clock.process == "opinion" and int(clock.object_id) in ops:
            op = ops[int(clock.object_id)]
            rows.append(
                MonitorRow(
                    str(op.application.title),
                    str(op.get_role_display()),
                    holders.get(op.department_id, _("（未指定人员）")),
                    str(op.department),
                    clock.due_on,
                    left,
                    clock.rule_id,
                    op.application_id,
                )  # fmt: skip
            )
    return rows


def _department_holders(dept_ids: list[int]) -> dict[int, str]:
    """Who answers for a department's opinions: its reviewers, by name."""
    names: dict[int, list[str]] = {}
    users = User.objects.filter(
        department_id__in=dept_ids, role__in=REVIEW_ROLES, is_active=True
    ).order_by("username")
    for u in users:
        names.setdefault(u.department_id or 0, []).append(str(u))
    return {k: "、".join(v) for k, v in names.items()}


def _group(rows: list[MonitorRow], attr: str) -> list[MonitorGroup]:
    groups: dict[str, list[MonitorRow]] = {}
    for row in rows:
        groups.setdefault(getattr(row, attr), []).append(row)
    return [MonitorGroup(k, v) for k, v in sorted(groups.items())]
