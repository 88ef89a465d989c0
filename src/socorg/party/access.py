"""Data scope of the party-building face: which departments a user may see.

The department scope itself (``scope_departments``) is defined in :mod:`socorg.core.access`,
beside the jurisdiction scope, because it is a scope over core's own models that the registry's
filters need too (and the registry may not import this app). This module is where the face's
pages and selectors reach it, and where a single department is looked up for a page."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.access import (
    DEPARTMENT_ROLES,
    has_perm,
    jurisdiction_ids_in_scope,
    require_perm,
    scope_departments,
)
from socorg.core.attachments import attachment_owner_register
from socorg.core.models import Department, Jurisdiction, Role, User
from socorg.party.models import (
    BrandActivity,
    BrandProgram,
    InstructorAssignment,
    InstructorVisit,
    LiaisonOfficer,
    LiaisonTraining,
    PartyAffiliation,
    PartyBody,
    PartyBranch,
    TrainingAttendance,
)
from socorg.party.models.instructors import InstructorAssignmentQuerySet
from socorg.registry import access as registry_access
from socorg.registry.models import Organization

__all__ = [
    "TRAINING_OWNER",
    "access_assignment",
    "access_brand_activity",
    "access_brand_program",
    "access_department",
    "access_instructor",
    "access_party_organization",
    "access_liaison",
    "access_training",
    "access_visit",
    "scope_assignments",
    "scope_attendances",
    "scope_brand_activities",
    "scope_brand_programs",
    "scope_departments",
    "scope_instructors",
    "scope_party_branches",
    "scope_party_organizations",
    "scope_liaisons",
    "scope_trainings",
    "scope_visits",
]


def access_department(user: User, code: str) -> Department:
    """The department with ``code`` if the user may see it; 404 otherwise."""
    department = scope_departments(user).select_related("jurisdiction").filter(code=code).first()
    if department is None:
        raise Http404(_("未找到该部门。"))
    return department


# --- liaison officers, their training, the brand ---------------------------------------------


def _int(pk: int | str) -> int:
    return int(pk) if str(pk).isdigit() else 0


def _area_condition(user: User, field: str = "jurisdiction") -> Q:
    """Records kept by an authority whose jurisdiction is the user's area, above it or (for
    bureau staff) under it: a city's session concerns its districts' departments too. A
    department's staff have their department's area."""
    if user.role in DEPARTMENT_ROLES:
        department = Department.objects.filter(pk=user.department_id or 0).first()
        area_id = department.jurisdiction_id if department else None
        below: list[int] = []
    else:
        area_id = user.jurisdiction_id
        below = jurisdiction_ids_in_scope(user)
    if area_id is None:
        return Q(pk__in=[])
    path = Jurisdiction.objects.values_list("path", flat=True).get(pk=area_id)
    ancestors = [code for code in path.split("/") if code]
    return Q(**{f"{field}_id__in": below}) | Q(**{f"{field}__code__in": ancestors})


def scope_liaisons(user: User) -> QuerySet[LiaisonOfficer]:
    """Liaison officers of the departments the user may see: a liaison their own
    department's, bureau staff those of their jurisdiction (and the departments above it)."""
    if not has_perm(user, "liaison.view"):
        return LiaisonOfficer.objects.none()
    return LiaisonOfficer.objects.filter(department__in=scope_departments(user))


def access_liaison(user: User, pk: int | str, *, write: bool = False) -> LiaisonOfficer:
    liaison = scope_liaisons(user).select_related("department", "user").filter(pk=_int(pk)).first()
    if liaison is None:
        raise Http404(_("未找到该联络员。"))
    if write:
        require_perm(user, "liaison.manage")
    return liaison


def scope_trainings(user: User) -> QuerySet[LiaisonTraining]:
    if not has_perm(user, "liaison.view"):
        return LiaisonTraining.objects.none()
    return LiaisonTraining.objects.filter(_area_condition(user))


def access_training(user: User, pk: int | str, *, write: bool = False) -> LiaisonTraining:
    training = scope_trainings(user).select_related("jurisdiction").filter(pk=_int(pk)).first()
    if training is None:
        raise Http404(_("未找到该培训。"))
    if write:
        require_perm(user, "liaison.train")
        # A session is kept by the authority that holds it (and those above it), not by the
        # districts it concerns.
        if training.jurisdiction_id not in jurisdiction_ids_in_scope(user):
            raise PermissionDenied(_("该培训由上级登记管理机关组织，您不能修改其签到和材料。"))
    return training


def scope_attendances(user: User) -> QuerySet[TrainingAttendance]:
    """Attendance of the sessions the user sees, for the departments the user sees (a liaison
    reads their own department's only)."""
    return TrainingAttendance.objects.filter(
        training__in=scope_trainings(user), department__in=scope_departments(user)
    )


# Owner type of a training session's materials (``core.attachments``).
TRAINING_OWNER = "party.liaison_training"
attachment_owner_register(TRAINING_OWNER, lambda user, pk: access_training(user, pk))


def scope_brand_programs(user: User) -> QuerySet[BrandProgram]:
    if not has_perm(user, "brand.view"):
        return BrandProgram.objects.none()
    return BrandProgram.objects.filter(_area_condition(user))


def access_brand_program(user: User, pk: int | str, *, write: bool = False) -> BrandProgram:
    program = scope_brand_programs(user).select_related("jurisdiction").filter(pk=_int(pk)).first()
    if program is None:
        raise Http404(_("未找到该品牌。"))
    if write:
        require_perm(user, "brand.manage")
    return program


def scope_brand_activities(user: User) -> QuerySet[BrandActivity]:
    return BrandActivity.objects.filter(program__in=scope_brand_programs(user))


def access_brand_activity(user: User, pk: int | str, *, write: bool = False) -> BrandActivity:
    activity = scope_brand_activities(user).select_related("program").filter(pk=_int(pk)).first()
    if activity is None:
        raise Http404(_("未找到该品牌活动。"))
    if write:
        require_perm(user, "brand.manage")
    return activity


# --- instructors (党建工作指导员) ---------------------------------------------------------------


def _pk(key: int | str) -> int:
    text = str(key)
    return int(text) if text.isdigit() else 0


def scope_assignments(user: User) -> InstructorAssignmentQuerySet:
    """An instructor sees their own assignments; the bureau's staff and a party reviewer those
    of the organizations in their scope. Default: none."""
    qs: InstructorAssignmentQuerySet = InstructorAssignment.objects.all()
    if not access.has_perm(user, "instructors.view"):
        return qs.none()
    if user.role == Role.PARTY_INSTRUCTOR:
        return qs.filter(instructor_id=user.pk)
    return qs.filter(registry_access.in_organization_scope(user))


def scope_visits(user: User) -> QuerySet[InstructorVisit]:
    """Visits of the assignments the user sees."""
    if not access.has_perm(user, "instructors.view"):
        return InstructorVisit.objects.none()
    return InstructorVisit.objects.filter(assignment__in=scope_assignments(user))


def scope_instructors(user: User) -> QuerySet[User]:
    """The instructors the user sees: themselves (an instructor); the instructors of the
    divisions in their jurisdiction (the bureau's staff); those assigned to an organization in
    their scope (a party reviewer)."""
    qs = User.objects.filter(role=Role.PARTY_INSTRUCTOR)
    if not access.has_perm(user, "instructors.view"):
        return qs.none()
    if user.role == Role.PARTY_INSTRUCTOR:
        return qs.filter(pk=user.pk)
    assigned = qs.filter(pk__in=scope_assignments(user).values("instructor_id"))
    if user.role in access.JURISDICTION_ROLES:
        local = qs.filter(department__jurisdiction_id__in=access.jurisdiction_ids_in_scope(user))
        return qs.filter(Q(pk__in=local.values("pk")) | Q(pk__in=assigned.values("pk")))
    return assigned


def access_instructor(user: User, pk: int | str) -> User:
    instructor = scope_instructors(user).select_related("department").filter(pk=_pk(pk)).first()
    if instructor is None:
        raise Http404(_("未找到该党建工作指导员，或您无权查看。"))
    return instructor


def access_assignment(user: User, pk: int | str) -> InstructorAssignment:
    assignment = (
        scope_assignments(user)
        .select_related("instructor", "organization", "division")
        .filter(pk=_pk(pk))
        .first()
    )
    if assignment is None:
        raise Http404(_("未找到该选派记录，或您无权查看。"))
    return assignment


def access_visit(user: User, pk: int | str) -> InstructorVisit:
    visit = (
        scope_visits(user)
        .select_related("assignment__instructor", "assignment__organization")
        .filter(pk=_pk(pk))
        .first()
    )
    if visit is None:
        raise Http404(_("未找到该走访记录，或您无权查看。"))
    return visit


# --- Party building: organizations by affiliation ---------------------------------------------


def body_subtree_ids(body_id: int) -> list[int]:
    """The body and every body under it (the 两新工委 and its industry committees)."""
    ids, frontier = [body_id], [body_id]
    while frontier:
        frontier = list(
            PartyBody.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in ids]
        ids.extend(frontier)
    return ids


def affiliated_body_subquery(on: date | None = None) -> Subquery:
    """Per organization (``OuterRef("pk")``): the body of its affiliation in force on ``on``."""
    on = on or timezone.localdate()
    latest = (
        PartyAffiliation.objects.filter(organization_id=OuterRef("pk"), changed_on__lte=on)
        .order_by("-changed_on", "-id")
        .values("body_id")[:1]
    )
    return Subquery(latest)


def require_view(user: User) -> None:
    """The party-building pages' read permission (403 without it)."""
    require_perm(user, "party.view")


def scope_party_organizations(user: User) -> QuerySet[Organization]:
    """The organizations whose party work the user may see: a party-building reviewer those
    currently affiliated to their body or a body under it, and those their body is responsible
    for in the responsibility map; everyone else their registry scope."""
    if not has_perm(user, "party.view"):
        return Organization.objects.none()
    scope = registry_access.scope_organizations(user)
    if user.role != Role.PARTY_BUILDING_REVIEWER or user.department_id is None:
        return scope
    body = PartyBody.objects.filter(department_id=user.department_id).values_list("pk", flat=True)
    if not body:
        return scope
    affiliated = affiliations_in_force().filter(body_id__in=body_subtree_ids(body[0]))
    return Organization.objects.filter(
        Q(pk__in=affiliated.values("organization_id")) | Q(pk__in=scope.values("pk"))
    )


def affiliations_in_force(on: date | None = None) -> QuerySet[PartyAffiliation]:
    """The affiliation events in force on ``on`` (today): those with no later event of the same
    organization by then. Filtered by body, this reads only that body's events, not every
    organization."""
    on = on or timezone.localdate()
    later = PartyAffiliation.objects.filter(
        Q(changed_on__gt=OuterRef("changed_on"))
        | Q(changed_on=OuterRef("changed_on"), pk__gt=OuterRef("pk")),
        organization_id=OuterRef("organization_id"),
        changed_on__lte=on,
    )
    return PartyAffiliation.objects.filter(changed_on__lte=on).filter(~Exists(later))


def access_party_organization(user: User, uscc_or_pk: str | int) -> Organization:
    """The organization if its party work is in the user's scope; 404 otherwise."""
    text = str(uscc_or_pk)
    key = Q(pk=int(text)) if text.isdigit() and len(text) < 18 else Q(uscc=text.upper())
    org = scope_party_organizations(user).filter(key).select_related("jurisdiction").first()
    if org is None:
        raise Http404(_("未找到该社会组织。"))
    return org


def scope_party_branches(user: User) -> QuerySet[PartyBranch]:
    """Branches covering at least one organization in the user's party scope."""
    orgs = scope_party_organizations(user)
    return PartyBranch.objects.filter(members__organization__in=orgs.values("pk")).distinct()


def access_body(user: User, code: str) -> PartyBody:
    """A party-building body by its department code (bodies are reference data every holder of
    ``party.view`` reads); 404 when there is none."""
    require_view(user)
    body = (
        PartyBody.objects.select_related("department", "parent__department")
        .filter(department__code=code)
        .first()
    )
    if body is None:
        raise Http404(_("未找到该党建工作机构。"))
    return body
