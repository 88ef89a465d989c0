"""Data scope of the party-building face: which departments a user may see.

The department scope itself (``scope_departments``) is defined in :mod:`socorg.core.access`,
beside the jurisdiction scope, because it is a scope over core's own models that the registry's
filters need too (and the registry may not import this app). This module is where the face's
pages and selectors reach it, and where a single department is looked up for a page."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.access import scope_departments
from socorg.core.models import Department, Role, User
from socorg.party.models import InstructorAssignment, InstructorVisit
from socorg.party.models.instructors import InstructorAssignmentQuerySet
from socorg.registry import access as registry_access

__all__ = [
    "access_assignment",
    "access_department",
    "access_instructor",
    "access_visit",
    "scope_assignments",
    "scope_departments",
    "scope_instructors",
    "scope_visits",
]


def access_department(user: User, code: str) -> Department:
    """The department with ``code`` if the user may see it; 404 otherwise."""
    department = scope_departments(user).select_related("jurisdiction").filter(code=code).first()
    if department is None:
        raise Http404(_("未找到该部门。"))
    return department


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
