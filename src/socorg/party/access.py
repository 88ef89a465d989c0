"""Data scope of the party-building face: which departments a user may see.

The department scope itself (``scope_departments``) is defined in :mod:`socorg.core.access`,
beside the jurisdiction scope, because it is a scope over core's own models that the registry's
filters need too (and the registry may not import this app). This module is where the face's
pages and selectors reach it, and where a single department is looked up for a page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socorg.core.access import (
    DEPARTMENT_ROLES,
    has_perm,
    jurisdiction_ids_in_scope,
    require_perm,
    scope_departments,
)
from socorg.core.attachments import attachment_owner_register
from socorg.core.models import Department, Jurisdiction, User
from socorg.party.models import (
    BrandActivity,
    BrandProgram,
    LiaisonOfficer,
    LiaisonTraining,
    TrainingAttendance,
)

__all__ = [
    "TRAINING_OWNER",
    "access_brand_activity",
    "access_brand_program",
    "access_department",
    "access_liaison",
    "access_training",
    "scope_attendances",
    "scope_brand_activities",
    "scope_brand_programs",
    "scope_departments",
    "scope_liaisons",
    "scope_trainings",
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
