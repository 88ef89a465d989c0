"""Reads of registration applications and their joint review, always through the caller's
scope (``registration.access``): worklists, materials, and the departments a joint review asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from socorg.core import calendar, workflow
from socorg.core.attachments import attachments_of
from socorg.core.models import Attachment, Department, DepartmentKind, Role, User
from socorg.core.params import param
from socorg.registration.access import (
    REVIEW_ROLES,
    OpinionView,
    opinion_view,
    scope_application_opinions,
    scope_applications,
    scope_opinions,
)
from socorg.registration.models import (
    Application,
    ApplicationKind,
    ApplicationMaterial,
    ApplicationState,
    Opinion,
    OpinionState,
)
from socorg.registration.rules import applications as rules
from socorg.registration.rules import checklists
from socorg.registration.selectors.names import NameHit, Verdict, name_check
from socorg.registry.models import ManagementMode, OrgType, Responsibility, ResponsibilityKind

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


def pre_review_division(app: Application) -> Department | None:
    """The bureau's division that holds the pre-review duty (前置审查) for the application's
    organization in the responsibility map today, if any."""
    if app.organization_id is None:
        return None
    return organization_pre_review_division(app.organization_id)


def organization_pre_review_division(organization_id: int) -> Department | None:
    """The division holding the organization's pre-review duty today (the latest assigned)."""
    duty = (
        Responsibility.objects.current()
        .filter(
            organization_id=organization_id,
            kind=ResponsibilityKind.PRE_REVIEW,
            department__kind=DepartmentKind.DIVISION,
        )
        .select_related("department")
        .order_by("-effective_from", "-id")
        .first()
    )
    return duty.department if duty is not None else None


def department_by_code(code: str) -> Department | None:
    return Department.objects.filter(code=code).first() if code else None


def department_choices(*, supervisory: bool = False) -> list[tuple[str, str]]:
    """The departments an applicant picks by name (业务主管单位 with ``supervisory``, else 行业管理
    部门): (code, name), the city's before the districts', by name."""
    flag = Q(is_supervisory_unit=True) if supervisory else Q(is_industry_regulator=True)
    rows = Department.objects.filter(flag).order_by("jurisdiction__path", "name")
    return [(d.code, d.name) for d in rows]


def department_code_by_name(name: str) -> str | None:
    """The code of the department called ``name`` (its full or short name), if exactly one."""
    codes = list(
        Department.objects.filter(Q(name=name) | Q(short_name=name)).values_list("code", flat=True)[
            :2
        ]
    )
    return codes[0] if len(codes) == 1 else None


def registration_authority_choices() -> list[tuple[str, str]]:
    """The registration authorities a founder applies to, by name: (area code, authority name).
    The founder never types an area code."""
    rows = (
        Department.objects.filter(kind=DepartmentKind.REGISTRATION_AUTHORITY)
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "name")
    )
    seen: dict[str, str] = {}
    for d in rows:
        seen.setdefault(d.jurisdiction.code, d.name)
    return list(seen.items())


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
    return app.management_mode == ManagementMode.DIRECT_REGISTRATION


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
    """Pending applications holding ``name`` (their reservation, RG-15). Unscoped: the
    name check must see every reservation; callers show only number and title."""
    rows = Application.objects.filter(state__in=PENDING_STATES, reserved_name=name[:100])
    return list(rows.only("id", "title").order_by("id")[:5])


def is_dual(app: Application) -> bool:
    return app.management_mode == ManagementMode.DUAL_MANAGEMENT


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


@dataclass(frozen=True)
class DecisionRow:
    """An application in joint review awaiting the division's decision: how many of the asked
    departments have answered, and the statutory deadline of the decision."""

    application: Application
    received: int
    asked: int
    due_on: date | None
    days_left: int | None
    unit: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def applications_to_decide(user: User) -> QuerySet[Application]:
    """Applications in joint review within the deciding division's scope, oldest first."""
    return applications_in_state(user, [ApplicationState.JOINT_REVIEW])


def decision_rows(user: User, *, limit: int = 50) -> list[DecisionRow]:
    """The decision list: opinions received of those asked (withdrawn ones are no longer asked)
    and the running clock of each application, in one query each."""
    asked = ~Q(opinions__state=OpinionState.WITHDRAWN)
    received = Q(opinions__state__in=[OpinionState.CONSENTED, OpinionState.REFUSED])
    apps = list(
        applications_to_decide(user).annotate(
            n_asked=Count("opinions", filter=asked),
            n_received=Count("opinions", filter=received),
        )[:limit]
    )
    clocks = workflow.open_deadlines(workflow.get_process("application"), [a.pk for a in apps])
    today = timezone.localdate()
    rows = []
    for app in apps:
        clock = clocks.get(str(app.pk))
        rows.append(
            DecisionRow(
                application=app,
                received=app.n_received,
                asked=app.n_asked,
                due_on=clock.due_on if clock else None,
                days_left=calendar.days_left(today, clock.due_on, clock.unit) if clock else None,
                unit=clock.unit if clock else "",
            )
        )
    return rows


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
    """Every opinion of the application, for the services' checks (unscoped: never shown)."""
    return list(app.opinions.select_related("department", "decided_by").order_by("id"))


@dataclass(frozen=True)
class OpinionRow:
    """One opinion as a user may see it: the comment and the person only where allowed."""

    opinion: Opinion
    comment: str
    decided_by: User | None
    own: bool


def opinions_for(user: User, app: Application) -> list[OpinionRow]:
    """The opinions of ``app`` (already passed ``access_application``) that ``user`` may see,
    through ``registration.access.scope_application_opinions``."""
    view = opinion_view(user)
    rows = scope_application_opinions(user, app).select_related("department", "decided_by")
    out = []
    for o in rows.order_by("id"):
        full = view in (OpinionView.ALL, OpinionView.OWN_DEPARTMENT)
        reason = o.state == OpinionState.REFUSED
        out.append(
            OpinionRow(
                opinion=o,
                comment=o.comment if full or reason else "",
                decided_by=o.decided_by if full else None,
                own=bool(user.department_id) and o.department_id == user.department_id,
            )
        )
    return out


# --- the name check as the applicant types -------------------------------------------------------


@dataclass(frozen=True)
class ProposedNameCheck:
    """The name check of a draft's proposed name (RG-2, RG-13, RG-15) as the page shows it:
    the verdict, the name's parts and the hits, the application's own reservation left out."""

    verdict: str
    parts: Any
    hits: list[NameHit]


def proposed_name_check(app: Application, name: str) -> ProposedNameCheck | None:
    """``None`` when the kind proposes no name or the name is empty; raises ``ValidationError``
    when the name cannot be checked."""
    if app.kind not in rules.NAME_CHECKED_KINDS or not name.strip() or app.jurisdiction_id is None:
        return None
    result = name_check(
        name=name,
        org_type=app.org_type,
        jurisdiction_code=app.jurisdiction.code,
        exclude_organization=app.organization_id,
    )
    hits = [h for h in result.hits if not _own_reservation(h, app)]
    verdict = result.verdict if hits else Verdict.OK
    return ProposedNameCheck(str(verdict), result.parts, hits)


def _own_reservation(hit: NameHit, app: Application) -> bool:
    if hit.uscc is not None:
        return False
    holders = pending_name_holders(hit.name)
    return bool(holders) and all(h.pk == app.pk for h in holders)


# --- after approval ----------------------------------------------------------------------------

CERTIFICATE_OWNER = "registry.organization"  # the owner type of the certificate PDFs


@dataclass(frozen=True)
class NextSteps:
    """What a founder does once the organization is registered: its profile, its certificate,
    and the first annual report's due date (AR-1: the year after registration)."""

    organization: Any
    certificates: list[Attachment]
    annual_report_year: int
    annual_report_month: int  # from the rule parameter AR-1 ("05-31")
    annual_report_day: int

    @property
    def first_report_due(self) -> date:
        return date(self.annual_report_year, self.annual_report_month, self.annual_report_day)


def next_steps(app: Application) -> NextSteps | None:
    """``None`` unless ``app`` founded an organization that is now registered."""
    if app.state != ApplicationState.APPROVED or app.kind != ApplicationKind.ESTABLISHMENT:
        return None
    org = app.organization
    if org is None:
        return None
    key = "AR-1.foundation_due" if org.org_type == OrgType.FOUNDATION else "AR-1.authority_due"
    month, day = (int(part) for part in str(param(key, jurisdiction=app.jurisdiction)).split("-"))
    return NextSteps(
        organization=org,
        certificates=attachments_of(owner_type=CERTIFICATE_OWNER, owner_id=org.pk),
        annual_report_year=org.established_on.year + 1,
        annual_report_month=month,
        annual_report_day=day,
    )
