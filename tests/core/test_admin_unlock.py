"""A throttled account can be released early by the security administrator from the admin,
audited; the system administrator cannot (三员分立)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from socorg.core.auth import account_key
from socorg.core.models import AuditLog, LoginThrottle, Role
from tests import factories as f


def throttle(username: str) -> None:
    now = timezone.now()
    LoginThrottle.objects.create(
        key=account_key(username),
        failures=9,
        blocked_until=now + timedelta(minutes=15),
        last_failure_at=now,
    )


def test_security_administrator_unlocks_a_throttled_account_from_the_admin(
    client, city, city_registrar
) -> None:
    security_admin = f.user("secadmin", Role.SECURITY_ADMINISTRATOR, is_staff=True)
    throttle(city_registrar.username)
    client.force_login(security_admin)
    response = client.post(
        "/admin/core/user/",
        {"action": "unlock_accounts", "_selected_action": [city_registrar.pk]},
    )
    assert response.status_code == 302
    assert not LoginThrottle.objects.exists()
    assert AuditLog.objects.filter(
        object_id=str(city_registrar.pk), action="user.unlock", actor=security_admin
    ).exists()


def test_system_administrator_has_no_unlock_action(client, city, city_registrar) -> None:
    system_admin = f.user("sysadmin", Role.ADMINISTRATOR, jurisdiction=city.city, is_staff=True)
    throttle(city_registrar.username)
    client.force_login(system_admin)
    client.post(
        "/admin/core/user/",
        {"action": "unlock_accounts", "_selected_action": [city_registrar.pk]},
    )
    assert LoginThrottle.objects.count() == 1
    assert not AuditLog.objects.filter(action="user.unlock").exists()
