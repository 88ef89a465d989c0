"""Access control: what each role may do, and the data scope of every protected read.

Default deny. Views and API modules reach protected rows only through the ``access_*`` and
``scope_*`` functions here: an object outside the caller's scope does not exist for them (404),
an action their role may not take is refused (403)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socorg.core.db import fetch_instances, select_columns
from socorg.core.models import Department, Jurisdiction, Notice, Role, TaskProgress, User

# Roles whose scope is a jurisdiction subtree (bureau and approval staff).
JURISDICTION_ROLES = frozenset(
    {
        Role.REGISTRAR,
        Role.REVIEWER,
        Role.ENFORCEMENT_OFFICER,
        Role.DIVISION_HEAD,
        Role.DIRECTOR,
        Role.APPROVAL_CLERK,
        Role.INSPECTOR,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    }
)
# Roles whose scope is the organizations their department is responsible for.
DEPARTMENT_ROLES = frozenset(
    {
        Role.DEPARTMENT_LIAISON,
        Role.SUPERVISORY_UNIT_REVIEWER,
        Role.PARTY_BUILDING_REVIEWER,
        Role.PARTY_INSTRUCTOR,
    }
)

# The three administrators (三员分立) and what each of them alone may do. No permission is held
# by two of them, and none of the three business-data permissions below is held by the
# security or audit administrator.
ADMINISTRATOR_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR, Role.AUDIT_ADMINISTRATOR}
)
ADMINISTRATOR_PERMISSIONS: dict[str, frozenset[str]] = {
    # System administrator: creates and maintains accounts (never their roles), reference
    # data (jurisdictions, departments, rule parameters) and reads the technical tables.
    "system.manage_accounts": frozenset({Role.ADMINISTRATOR}),
    "system.manage_reference_data": frozenset({Role.ADMINISTRATOR}),
    # Security administrator: grants roles, lifts login throttles, resets two-factor login.
    "security.assign_roles": frozenset({Role.SECURITY_ADMINISTRATOR}),
    "security.unlock_accounts": frozenset({Role.SECURITY_ADMINISTRATOR}),
}

# Permission -> roles that hold it. Anything not listed is denied.
PERMISSIONS: dict[str, frozenset[str]] = {
    "registry.view": JURISDICTION_ROLES | DEPARTMENT_ROLES | {Role.ORGANIZATION},
    # The registry list and its search are the staff's: an organization account sees its own
    # organization's profile only.
    "registry.browse": JURISDICTION_ROLES | DEPARTMENT_ROLES,
    "registry.export": frozenset(
        {Role.REGISTRAR, Role.REVIEWER, Role.DIVISION_HEAD, Role.DIRECTOR, Role.AUDITOR}
    ),
    "registry.create": frozenset({Role.REGISTRAR}),
    "registry.propose_correction": frozenset({Role.REGISTRAR}),
    "registry.decide_correction": frozenset({Role.DIVISION_HEAD}),
    "registry.view_audit": frozenset({Role.DIVISION_HEAD, Role.DIRECTOR, Role.AUDITOR}),
    "registry.view_corrections": frozenset({Role.REGISTRAR, Role.DIVISION_HEAD}),
    "departments.view": JURISDICTION_ROLES | DEPARTMENT_ROLES,
    "responsibility.import": frozenset({Role.REGISTRAR, Role.DIVISION_HEAD}),
    "responsibility.coverage": JURISDICTION_ROLES | {Role.PARTY_BUILDING_REVIEWER},
    # Party building (党建): bodies, affiliations, branches, 应建未建 and 两个覆盖 are read by the
    # bureau's staff and the department roles in their scope; a registrar, the division head or
    # a party-building reviewer changes an affiliation (one or a workbook) and records branches.
    "party.view": JURISDICTION_ROLES | DEPARTMENT_ROLES,
    "party.affiliate": frozenset(
        {Role.REGISTRAR, Role.DIVISION_HEAD, Role.PARTY_BUILDING_REVIEWER}
    ),
    "party.record_branch": frozenset({Role.REGISTRAR, Role.PARTY_BUILDING_REVIEWER}),
    # Liaison officers (联络员制度) and their training: bureau staff see the rosters of their
    # jurisdiction and keep them; a liaison sees their own department's roster and has a page
    # of their department's work (``core.liaison_sections``).
    "liaison.view": JURISDICTION_ROLES | {Role.DEPARTMENT_LIAISON},
    "liaison.manage": frozenset({Role.REGISTRAR, Role.DIVISION_HEAD}),
    "liaison.train": frozenset({Role.REGISTRAR, Role.DIVISION_HEAD}),
    "liaison.page": frozenset({Role.DEPARTMENT_LIAISON}),
    # The party-building brand 日出初光 暖益港城: its members and activities (the showcase
    # is published by the portal).
    "brand.view": JURISDICTION_ROLES | DEPARTMENT_ROLES,
    "brand.manage": frozenset({Role.REGISTRAR, Role.DIVISION_HEAD, Role.PARTY_BUILDING_REVIEWER}),
    # Registration certificates: issued on the division's decision, reissued by a registrar.
    "registration.issue_certificate": frozenset({Role.REGISTRAR, Role.DIVISION_HEAD}),
    # Principal candidate review (TT-4) and term transitions (TT-1).
    "principals.view": JURISDICTION_ROLES
    | {
        Role.DEPARTMENT_LIAISON,
        Role.SUPERVISORY_UNIT_REVIEWER,
        Role.PARTY_BUILDING_REVIEWER,
        Role.ORGANIZATION,
    },
    # The submitter (the organization or a registrar) also withdraws a slate.
    "principals.submit": frozenset({Role.REGISTRAR, Role.ORGANIZATION}),
    # The two opinions of a vetting: the party-building body's and the supervisory unit's.
    "principals.party_opinion": frozenset({Role.PARTY_BUILDING_REVIEWER}),
    "principals.unit_opinion": frozenset({Role.DEPARTMENT_LIAISON, Role.SUPERVISORY_UNIT_REVIEWER}),
    "terms.view": JURISDICTION_ROLES | DEPARTMENT_ROLES | {Role.ORGANIZATION},
    "terms.file": frozenset({Role.REGISTRAR, Role.ORGANIZATION}),
    # A registrar approves a filed term transition or returns it.
    "terms.approve": frozenset({Role.REGISTRAR}),
    # The division holding the organization's pre-review duty reviews the filing first.
    "terms.pre_review": frozenset({Role.DEPARTMENT_LIAISON, Role.SUPERVISORY_UNIT_REVIEWER}),
    # Registration applications and the joint review (RG-*): founders and organization
    # accounts apply (and submit, correct, withdraw); the approval bureau accepts; the
    # departments asked give opinions; the division decides. The division head decides but
    # gives no opinion: the division's own opinion is its registrars' and reviewers' (review
    # and decision stay apart), so the head follows opinions up (督办) without acting on them.
    "registration.apply": frozenset({Role.ORGANIZATION}),
    "registration.withdraw": frozenset({Role.ORGANIZATION}),
    "registration.accept": frozenset({Role.APPROVAL_CLERK}),
    "registration.review": frozenset(
        {
            Role.DEPARTMENT_LIAISON,
            Role.SUPERVISORY_UNIT_REVIEWER,
            Role.PARTY_BUILDING_REVIEWER,
            Role.REGISTRAR,
            Role.REVIEWER,
        }
    ),
    # Joint-review opinions: the reviewing departments their own; the division head every
    # opinion in the jurisdiction (to follow up escalations).
    "registration.view_opinions": frozenset(
        {
            Role.DEPARTMENT_LIAISON,
            Role.SUPERVISORY_UNIT_REVIEWER,
            Role.PARTY_BUILDING_REVIEWER,
            Role.REGISTRAR,
            Role.REVIEWER,
            Role.DIVISION_HEAD,
        }
    ),
    # Held by no role: the joint review re-planned after 补正 (opinions withdrawn or reopened)
    # follows from the applicant's resubmission, through the engine, never by hand.
    "registration.replan_review": frozenset(),
    # 补正 asked during the joint review (the RG-3 clock pauses).
    "registration.review_correction": frozenset({Role.REGISTRAR, Role.DIVISION_HEAD}),
    "registration.decide": frozenset({Role.DIVISION_HEAD}),
    "registration.view": JURISDICTION_ROLES | DEPARTMENT_ROLES | {Role.ORGANIZATION},
    "registration.monitor": frozenset(
        {Role.DIVISION_HEAD, Role.DIRECTOR, Role.REGISTRAR, Role.APPROVAL_CLERK, Role.AUDITOR}
    ),
    # Annual reports (AR-*): the organization files; under dual management its supervisory
    # unit reviews first (AR-1); the bureau's registrars and reviewers review and return; a
    # reviewer or the division head concludes (AR-3); the division head publishes and revises
    # a conclusion of the last two years (AR-4).
    "annual_report.view": JURISDICTION_ROLES | DEPARTMENT_ROLES | {Role.ORGANIZATION},
    "annual_report.file": frozenset({Role.ORGANIZATION}),
    "annual_report.unit_review": frozenset(
        {Role.DEPARTMENT_LIAISON, Role.SUPERVISORY_UNIT_REVIEWER}
    ),
    "annual_report.review": frozenset({Role.REGISTRAR, Role.REVIEWER}),
    "annual_report.conclude": frozenset({Role.REVIEWER, Role.DIVISION_HEAD}),
    "annual_report.publish": frozenset({Role.DIVISION_HEAD}),
    "annual_report.revise": frozenset({Role.DIVISION_HEAD}),
    # Filing progress by department, jurisdiction and type, and reminders to those late.
    "annual_report.progress": JURISDICTION_ROLES
    | {Role.DEPARTMENT_LIAISON, Role.SUPERVISORY_UNIT_REVIEWER},
    "annual_report.remind": frozenset(
        {
            Role.REGISTRAR,
            Role.REVIEWER,
            Role.DIVISION_HEAD,
            Role.DEPARTMENT_LIAISON,
            Role.SUPERVISORY_UNIT_REVIEWER,
        }
    ),
    # Credit lists (CR-*): enforcement officers and registrars list by decision, verify and
    # delist; the organization answers a notice and applies to be delisted; the sweep's own
    # transitions (a notice taking effect, an automatic delisting) are fired by no role.
    "credit.view": JURISDICTION_ROLES | DEPARTMENT_ROLES | {Role.ORGANIZATION},
    "credit.list": frozenset({Role.ENFORCEMENT_OFFICER, Role.REGISTRAR}),
    "credit.delist": frozenset({Role.ENFORCEMENT_OFFICER, Role.REGISTRAR, Role.DIVISION_HEAD}),
    "credit.respond": frozenset({Role.ORGANIZATION}),
    "credit.sweep": frozenset(),
    # Random inspections (RI-*): the bureau's staff see the plans of their jurisdictions; a
    # registrar, an enforcement officer or the division head prepares and commits a plan and
    # assigns an inspector by hand; the division head draws (reveals the seed); the inspectors
    # of the pool record findings on their own assignments.
    "inspection.view": JURISDICTION_ROLES,
    "inspection.plan": frozenset({Role.REGISTRAR, Role.ENFORCEMENT_OFFICER, Role.DIVISION_HEAD}),
    "inspection.draw": frozenset({Role.DIVISION_HEAD}),
    "inspection.record": frozenset(
        {Role.INSPECTOR, Role.ENFORCEMENT_OFFICER, Role.DEPARTMENT_LIAISON, Role.EXPERT}
    ),
    "sweep.view": JURISDICTION_ROLES,
    "sweep.run": frozenset({Role.DIVISION_HEAD, Role.ENFORCEMENT_OFFICER}),
    "contact.record": frozenset({Role.ENFORCEMENT_OFFICER, Role.REGISTRAR}),
    # The dormant-organization cleanup (DO-*): officers handle candidates, the division head
    # decides a revocation.
    "campaign.view": JURISDICTION_ROLES,
    "campaign.manage": frozenset({Role.ENFORCEMENT_OFFICER, Role.REGISTRAR}),
    "campaign.decide": frozenset({Role.DIVISION_HEAD}),
    # Complaints and tips (投诉举报): bureau staff take them in (12345 hotline, referrals),
    # triage, route, reply and close; the routed department's liaison verifies (or an
    # enforcement officer, where the bureau verifies itself). The complainant's identity is
    # read only by the assigned handlers (``supervision.access.may_read_identity``).
    "complaint.view": frozenset(
        {
            Role.REGISTRAR,
            Role.REVIEWER,
            Role.ENFORCEMENT_OFFICER,
            Role.DIVISION_HEAD,
            Role.DIRECTOR,
            Role.DEPARTMENT_LIAISON,
        }
    ),
    "complaint.intake": frozenset({Role.ENFORCEMENT_OFFICER, Role.REGISTRAR}),
    "complaint.handle": frozenset({Role.ENFORCEMENT_OFFICER, Role.REGISTRAR}),
    "complaint.verify": frozenset({Role.DEPARTMENT_LIAISON, Role.ENFORCEMENT_OFFICER}),
    # Enforcement cases (行政处罚): enforcement officers open and handle cases; the division
    # head decides the penalty.
    "case.view": frozenset(
        {
            Role.REGISTRAR,
            Role.REVIEWER,
            Role.ENFORCEMENT_OFFICER,
            Role.DIVISION_HEAD,
            Role.DIRECTOR,
        }
    ),
    "case.handle": frozenset({Role.ENFORCEMENT_OFFICER}),
    "case.decide": frozenset({Role.DIVISION_HEAD}),
    # The audit administrator's page: the whole audit log, searched and exported (read only).
    "audit.view": frozenset({Role.AUDIT_ADMINISTRATOR, Role.AUDITOR}),
    "audit.export": frozenset({Role.AUDIT_ADMINISTRATOR, Role.AUDITOR}),
    # Full resident ID numbers: the registrar and the division head vet principals with them;
    # everyone else reads them masked (3711**********001X).
    "people.view_id_numbers": frozenset({Role.REGISTRAR, Role.DIVISION_HEAD}),
    # Party instructors (党建工作指导员): the bureau's staff and the party reviewers see the
    # assignments and visits in their scope; the division head assigns and ends assignments;
    # an instructor records visits on their own assignments and closes their follow-ups.
    "instructors.view": JURISDICTION_ROLES | {Role.PARTY_BUILDING_REVIEWER, Role.PARTY_INSTRUCTOR},
    "instructors.assign": frozenset({Role.DIVISION_HEAD}),
    "instructors.visit": frozenset({Role.PARTY_INSTRUCTOR}),
    **ADMINISTRATOR_PERMISSIONS,
}


def roles_with(perm: str) -> frozenset[str]:
    """The roles holding ``perm``: workflow actions take their roles from here, so the table
    and the processes cannot disagree. An unknown permission is a programming error."""
    return PERMISSIONS[perm]


def is_staff_user(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role)


def has_perm(user: User, perm: str) -> bool:
    if not is_staff_user(user):
        return False
    return user.role in PERMISSIONS.get(perm, frozenset())


# What a refusal says where the generic sentence would leave the user guessing.
DENIED_MESSAGES: dict[str, Any] = {
    "registry.browse": gettext_lazy(
        "登记库供登记管理机关和有关部门的工作人员查询使用，社会组织账号不能浏览。"
        "本单位的登记信息请在工作台查看。"
    ),
}


# An 18-character resident ID number standing alone in a text.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_id_numbers(text: str) -> str:
    """Every resident ID number in ``text`` reduced to its first and last four characters."""
    return ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", text)


def id_numbers_for(user: User, text: str) -> str:
    """``text`` as ``user`` may read it: full ID numbers for those who vet people, else masked."""
    return text if has_perm(user, "people.view_id_numbers") else mask_id_numbers(text)


def require_perm(user: User, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied(DENIED_MESSAGES.get(perm, _("您没有执行此操作的权限。")))


def jurisdiction_ids_in_scope(user: User) -> list[int]:
    """Ids of the user's jurisdiction and everything under it, computed once per user object
    (that is, once per request)."""
    if user.jurisdiction_id is None:
        return []
    cached = getattr(user, "_scope_jurisdiction_ids", None)
    if cached is not None and cached[0] == user.jurisdiction_id:
        return list(cached[1])
    ids = list(
        Jurisdiction.objects.filter(
            path__startswith=Jurisdiction.objects.filter(pk=user.jurisdiction_id).values("path")[:1]
        ).values_list("id", flat=True)
    )
    user._scope_jurisdiction_ids = (user.jurisdiction_id, tuple(ids))  # type: ignore[attr-defined]
    return ids


# Whether the jurisdiction ``j`` is the whole tree: a root with no sibling root. SQL for the
# query that loads the caller (``core.tokens``), so that the scope costs no query of its own.
_JURISDICTIONS = Jurisdiction._meta.db_table
_OTHER_ROOT = f'SELECT 1 FROM "{_JURISDICTIONS}" r WHERE r.parent_id IS NULL AND r.id <> j.id'  # noqa: S608
WHOLE_TREE_SQL = (
    f"(CASE WHEN j.id IS NOT NULL AND j.parent_id IS NULL AND NOT EXISTS ({_OTHER_ROOT}) "
    "THEN 1 ELSE 0 END)"
)


# What a request needs of its caller, loaded with the caller in one statement: the objects the
# layout shows and the whole-tree flag of the scope.
CALLER_RELATED = ("jurisdiction", "department", "organization")


def caller_sql(
    *,
    extra_columns: str = "",
    joins: str = "",
    where: str,
    related: Sequence[str] = CALLER_RELATED,
) -> str:
    """``SELECT`` of users (alias ``u``) for :func:`load_callers` with the same ``related``
    (the objects a page's layout shows; an API call needs none); the columns after them are
    the whole-tree flag, then ``extra_columns``."""
    columns = [select_columns(User, "u")]
    tables = [
        f'"{User._meta.db_table}" u',
        f'LEFT JOIN "{_JURISDICTIONS}" j ON j.id = u.jurisdiction_id',
    ]
    for name in related:
        target = User._meta.get_field(name).related_model
        assert target is not None and not isinstance(target, str)
        alias = name[0]
        columns.append(select_columns(target, alias))
        if alias != "j":
            tables.append(
                f'LEFT JOIN "{target._meta.db_table}" {alias} ON {alias}.id = u.{name}_id'
            )
    columns.append(WHOLE_TREE_SQL)
    if extra_columns:
        columns.append(extra_columns)
    return f"SELECT {', '.join(columns)} FROM {' '.join(tables)} {joins} WHERE {where}"  # noqa: S608


def load_callers(
    sql: str, params: list[Any], *, related: Sequence[str] = CALLER_RELATED
) -> list[tuple[User, tuple[Any, ...]]]:
    """The users of a :func:`caller_sql` statement, their scope remembered, with the columns
    after the whole-tree flag."""
    found = []
    for user, extra in fetch_instances(User, sql, params, related=related):
        assert isinstance(user, User)
        remember_scope(user, whole_tree=bool(extra[0]))
        found.append((user, extra[1:]))
    return found


def remember_scope(user: User, *, whole_tree: bool) -> None:
    """Record on the user object (it lives one request) what the loading query found."""
    user._scope_whole_tree = (user.jurisdiction_id, whole_tree)  # type: ignore[attr-defined]


def jurisdiction_subtree_ids(user: User) -> list[int] | None:
    """Like :func:`jurisdiction_ids_in_scope`, but ``None`` when the subtree is every
    jurisdiction there is (a root with no sibling root), found by the same first query — or
    by the query that loaded the user (``remember_scope``)."""
    if user.jurisdiction_id is None:
        return []
    known = getattr(user, "_scope_whole_tree", None)
    if known is not None and known[0] == user.jurisdiction_id:
        return None if known[1] else jurisdiction_ids_in_scope(user)
    other_roots = Jurisdiction.objects.filter(parent__isnull=True).exclude(pk=OuterRef("pk"))
    root = (
        Jurisdiction.objects.only("path", "parent_id")
        .annotate(other_roots=Exists(other_roots))
        .get(pk=user.jurisdiction_id)
    )
    if root.parent_id is None and not root.other_roots:
        return None
    return list(
        Jurisdiction.objects.filter(path__startswith=root.path).values_list("id", flat=True)
    )


def scope_jurisdictions(user: User) -> QuerySet[Jurisdiction]:
    if user.role in JURISDICTION_ROLES:
        return Jurisdiction.objects.filter(id__in=jurisdiction_ids_in_scope(user))
    return Jurisdiction.objects.none()


def scope_departments(user: User) -> QuerySet[Department]:
    """Departments the user may see: bureau staff those of their jurisdiction subtree and of the
    jurisdictions above it; department staff their own department."""
    if not has_perm(user, "departments.view"):
        return Department.objects.none()
    if user.role in DEPARTMENT_ROLES:
        if user.department_id is None:
            return Department.objects.none()
        return Department.objects.filter(pk=user.department_id)
    if user.jurisdiction_id is None:
        return Department.objects.none()
    path = Jurisdiction.objects.values_list("path", flat=True).get(pk=user.jurisdiction_id)
    ancestors = [code for code in path.split("/") if code]
    return Department.objects.filter(
        Q(jurisdiction__path__startswith=path) | Q(jurisdiction__code__in=ancestors)
    )


def access_task_progress(user: User, pk: int | str) -> TaskProgress:
    """The job if ``user`` started it; 404 for everyone else (a job's existence is private)."""
    progress = TaskProgress.objects.filter(pk=pk, owner_id=user.pk).first()
    if progress is None or not user.is_authenticated:
        raise Http404(_("未找到该任务。"))
    return progress


def scope_notices(user: User) -> QuerySet[Notice]:
    """An account's own in-app notices; nobody reads another's."""
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient_id=user.pk)
