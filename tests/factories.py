"""Factories and the fixed cast of people used by the tests."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.test import Client

from socorg.core.models import (
    Department,
    Jurisdiction,
    JurisdictionLevel,
    User,
)
from socorg.registry.models import Category, Level, ManagementMode, Organization, OrgStatus, OrgType
from socorg.registry.rules.organizations import make_uscc

_serial = itertools.count(1)
PASSWORD = "Socorg-test-2026"


def jurisdiction(
    code: str, name: str, level: str, parent: Jurisdiction | None = None
) -> Jurisdiction:
    path = (parent.path if parent else "/") + code + "/"
    obj, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
    )
    return obj


def department(code: str, name: str, kind: str, where: Jurisdiction, **flags: bool) -> Department:
    obj, _ = Department.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "jurisdiction": where, **flags}
    )
    return obj


def organization(
    *,
    where: Jurisdiction,
    name: str | None = None,
    org_type: str = OrgType.SOCIAL_GROUP,
    level: str | None = None,
    status: str = OrgStatus.REGISTERED,
    supervisory_unit: Department | None = None,
    **extra: object,
) -> Organization:
    n = next(_serial)
    area = where.code[:6]
    uscc = None
    if org_type != OrgType.COMMUNITY_ORGANIZATION:
        uscc = make_uscc(org_type=org_type, area_code=area, serial=f"MJ{n:06d}")
    values: dict[str, object] = {
        "uscc": uscc,
        "name": name or f"日照市测试协会{n}",
        "org_type": org_type,
        "level": level or (Level.CITY if where.level == JurisdictionLevel.CITY else Level.COUNTY),
        "jurisdiction": where,
        "management_mode": ManagementMode.DUAL_MANAGEMENT
        if supervisory_unit
        else ManagementMode.DIRECT_REGISTRATION,
        "supervisory_unit": supervisory_unit,
        "category": Category.OTHER,
        "established_on": date(2015, 6, 1),
        "status": status,
        "removed_on": date(2021, 3, 1)
        if status in (OrgStatus.DEREGISTERED, OrgStatus.REVOKED)
        else None,
        "legal_representative": "张三",
        "domicile": "日照市东港区测试路1号",
    }
    values.update(extra)
    org = Organization(**values)
    org.full_clean()
    org.save()
    return org


def user(username: str, role: str, **fields: object) -> User:
    obj = User(username=username, role=role, full_name=username, **fields)
    obj.set_password(PASSWORD)
    obj.save()
    return obj


def make_orgs(where: Jurisdiction, n: int, **extra: Any) -> list[Organization]:
    """``n`` organizations of ``where``, each through the factory."""
    return [organization(where=where, **extra) for _ in range(n)]


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
