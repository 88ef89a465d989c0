"""The separation of the three administrators (三员分立): the system, security and audit
administrators hold disjoint rights, no account holds two (a database constraint and, in
production, a system check), and the audit log is read by the audit administrator and changed
by nobody."""

from __future__ import annotations

from itertools import combinations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from socorg.core.access import ADMINISTRATOR_ROLES, PERMISSIONS
from socorg.core.checks import check_administrator_separation
from socorg.core.models import AuditLog, Role, User
from tests import factories as f


def rights(role: str) -> set[str]:
    return {perm for perm, roles in PERMISSIONS.items() if role in roles}


def test_the_three_administrators_hold_disjoint_rights() -> None:
    assert len(ADMINISTRATOR_ROLES) == 3
    for one, other in combinations(ADMINISTRATOR_ROLES, 2):
        assert rights(one) & rights(other) == set(), (one, other)


def test_the_security_and_audit_administrators_touch_no_business_data() -> None:
    assert rights(Role.SECURITY_ADMINISTRATOR) == {
        "security.assign_roles",
        "security.unlock_accounts",
    }
    assert rights(Role.AUDIT_ADMINISTRATOR) == {"audit.view", "audit.export"}


def test_the_superuser_cannot_also_hold_a_role(city) -> None:
    user = User(username="both", role=Role.ADMINISTRATOR, is_superuser=True)
    with pytest.raises(ValidationError, match="三员分立"):
        user.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_production_check_flags_an_administrator_with_rights_beside_the_role(
    city, settings
) -> None:
    settings.PRODUCTION = True
    admin = f.user("sysadmin", Role.ADMINISTRATOR, is_staff=True)
    assert check_administrator_separation(databases=["default"]) == []
    admin.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    errors = check_administrator_separation(databases=["default"])
    assert [e.id for e in errors] == ["socorg.E021"]


def admin_client(username: str, role: str) -> Client:
    client = Client()
    client.force_login(f.user(username, role, is_staff=True))
    return client


def test_only_the_audit_administrator_reads_the_audit_log(city, city_registrar) -> None:
    changelist = reverse("admin:core_auditlog_changelist")
    auditor = admin_client("auditadmin", Role.AUDIT_ADMINISTRATOR)
    assert auditor.get(changelist).status_code == 200
    for name, role in (("sysadmin", Role.ADMINISTRATOR), ("secadmin", Role.SECURITY_ADMINISTRATOR)):
        assert admin_client(name, role).get(changelist).status_code == 403


def test_nobody_changes_or_deletes_the_audit_log(client, city, city_registrar) -> None:
    client.force_login(city_registrar)
    client.post(reverse("logout"))
    entry = AuditLog.objects.get()
    auditor = admin_client("auditadmin", Role.AUDIT_ADMINISTRATOR)
    breakglass = Client()
    breakglass.force_login(f.user("breakglass", "", is_superuser=True, is_staff=True))
    for who in (auditor, breakglass):
        change = reverse("admin:core_auditlog_change", args=[entry.pk])
        assert who.post(change, {"action": "x"}).status_code == 403
        delete = reverse("admin:core_auditlog_delete", args=[entry.pk])
        assert who.post(delete, {"post": "yes"}).status_code == 403
    assert AuditLog.objects.get(pk=entry.pk).action == entry.action


def user_form(user: User, **changes: str) -> dict[str, str]:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": "",
        "role": user.role,
        "jurisdiction": str(user.jurisdiction_id or ""),
        "department": str(user.department_id or ""),
        "organization": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    data.update(changes)
    return data


def test_the_system_administrator_cannot_grant_roles(city, city_registrar) -> None:
    sysadmin = admin_client("sysadmin", Role.ADMINISTRATOR)
    url = reverse("admin:core_user_change", args=[city_registrar.pk])
    sysadmin.post(url, user_form(city_registrar, role=Role.DIRECTOR, full_name="李晓燕"))
    user = User.objects.get(pk=city_registrar.pk)
    assert user.role == Role.REGISTRAR and user.full_name == "李晓燕"


def test_the_security_administrator_grants_roles_and_nothing_else(city, city_registrar) -> None:
    secadmin = admin_client("secadmin", Role.SECURITY_ADMINISTRATOR)
    url = reverse("admin:core_user_change", args=[city_registrar.pk])
    response = secadmin.post(url, user_form(city_registrar, role=Role.DIRECTOR, full_name="X"))
    assert response.status_code == 302
    user = User.objects.get(pk=city_registrar.pk)
    assert user.role == Role.DIRECTOR and user.full_name == "city_registrar"
    reset = reverse("admin:auth_user_password_change", args=[city_registrar.pk])
    assert secadmin.get(reset).status_code == 403
