"""Data scope of the registry: which organizations and corrections a user may see.

Built on the roles and helpers of :mod:`socorg.core.access`; every protected read of an
organization goes through ``scope_organizations`` or ``access_organization``."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socorg.core.access import (
    DEPARTMENT_ROLES,
    JURISDICTION_ROLES,
    has_perm,
    is_staff_user,
    jurisdiction_subtree_ids,
    require_perm,
)
from socorg.core.models import Role, User
from socorg.registry.models import DataCorrection, Organization, Responsibility


def scope_organizations(user: User) -> QuerySet[Organization]:
    """The organizations the user may see. Default: none."""
    qs = Organization.objects.all()
    if not is_staff_user(user):
        return qs.none()
    if user.role in JURISDICTION_ROLES:
        ids = jurisdiction_subtree_ids(user)
        # The whole tree needs no filter (a long IN list misleads the planner at scale).
        return qs if ids is None else qs.filter(jurisdiction_id__in=ids)
    if user.role in DEPARTMENT_ROLES and user.department_id:
        dept = user.department_id
        return qs.filter(
            Q(supervisory_unit_id=dept)
            | Q(industry_regulator_id=dept)
            | Q(id__in=_responsibility_org_ids(dept))
        )
    if user.role == Role.ORGANIZATION and user.organization_id:
        return qs.filter(id=user.organization_id)
    return qs.none()


def in_organization_scope(user: User, field: str = "organization") -> Q:
    """The condition on a record's ``field`` (a foreign key to Organization) that keeps the
    records of the organizations ``user`` may see: the same scope as
    :func:`scope_organizations`, written as directly as the role allows (an organization
    account's own id, a registrar's jurisdictions) rather than as a subquery."""
    if not is_staff_user(user):
        return Q(pk__in=[])
    if user.role in JURISDICTION_ROLES:
        ids = jurisdiction_subtree_ids(user)
        return Q() if ids is None else Q(**{f"{field}__jurisdiction_id__in": ids})
    if user.role == Role.ORGANIZATION:
        return Q(**{f"{field}_id": user.organization_id}) if user.organization_id else Q(pk__in=[])
    return Q(**{f"{field}__in": scope_organizations(user)})


def _responsibility_org_ids(department_id: int) -> QuerySet:
    return (
        Responsibility.objects.current()
        .filter(department_id=department_id)
        .values("organization_id")
    )


def access_organization(user: User, uscc_or_pk: str | int, *, write: bool = False) -> Organization:
    """The organization if the user may see it; 404 otherwise. ``write`` also needs the
    registrar's right to change the registry."""
    require_perm(user, "registry.view")
    org = scope_organizations(user).filter(_key_lookup(uscc_or_pk)).first()
    if org is None:
        raise Http404(_("未找到该社会组织。"))
    if write:
        require_perm(user, "registry.create")
    return org


def outside_scope(user: User, uscc_or_pk: str | int) -> bool:
    """True when the key names an organization that exists but lies outside the staff
    member's scope: their page says so rather than pretending it does not exist."""
    if not has_perm(user, "registry.view") or user.role == Role.ORGANIZATION:
        return False
    exists = Organization.objects.filter(_key_lookup(uscc_or_pk)).exists()
    return exists and not scope_organizations(user).filter(_key_lookup(uscc_or_pk)).exists()


def access_organization_version(user: User, uscc_or_pk: str | int) -> tuple[int, int]:
    """``(pk, version)`` of the organization if the user may see it; 404 otherwise. What a
    cached representation needs to know, from the query that checks access."""
    require_perm(user, "registry.view")
    if is_staff_user(user) and user.role in JURISDICTION_ROLES:
        row = _version_in_jurisdictions(uscc_or_pk, jurisdiction_subtree_ids(user))
    else:
        row = (
            scope_organizations(user)
            .filter(_key_lookup(uscc_or_pk))
            .values_list("pk", "version")
            .first()
        )
    if row is None:
        raise Http404(_("未找到该社会组织。"))
    return row


def _version_in_jurisdictions(
    uscc_or_pk: str | int, jurisdiction_ids: list[int] | None
) -> tuple[int, int] | None:
    """The jurisdiction roles' scope of ``scope_organizations`` (every organization, or those
    of the listed jurisdictions) as one statement written once: the read every API detail
    request makes."""
    key = str(uscc_or_pk)
    by_pk = key.isdigit() and len(key) < 18
    sql = _VERSION_SQL + ("id = %s" if by_pk else "uscc = %s")
    params: list[int | str] = [int(key) if by_pk else key.upper()]
    if jurisdiction_ids is not None:
        if not jurisdiction_ids:
            return None
        placeholders = ", ".join(["%s"] * len(jurisdiction_ids))
        sql += f" AND jurisdiction_id IN ({placeholders})"
        params += jurisdiction_ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else None


_VERSION_SQL = f'SELECT id, version FROM "{Organization._meta.db_table}" WHERE '  # noqa: S608


def _key_lookup(uscc_or_pk: str | int) -> Q:
    key = str(uscc_or_pk)
    return Q(pk=int(key)) if key.isdigit() and len(key) < 18 else Q(uscc=key.upper())


def scope_corrections(user: User) -> QuerySet[DataCorrection]:
    if not (
        has_perm(user, "registry.propose_correction")
        or has_perm(user, "registry.decide_correction")
    ):
        return DataCorrection.objects.none()
    return DataCorrection.objects.filter(organization__in=scope_organizations(user))


def access_correction(user: User, pk: int | str) -> DataCorrection:
    correction = scope_corrections(user).select_related("organization").filter(pk=pk).first()
    if correction is None:
        raise Http404(_("未找到该更正申请。"))
    return correction
