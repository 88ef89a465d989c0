"""A locked account can be unlocked by a system administrator from the admin, audited."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from socorg.core.models import AuditLog, Role
from tests import factories as f


def test_administrator_unlocks_a_locked_account_from_the_admin(
    client, city, city_registrar
) -> None:
    admin_user = f.user(
        "sysadmin", Role.ADMINISTRATOR, jurisdiction=city.city, is_staff=True, is_superuser=True
    )
    city_registrar.failed_logins = 5
    city_registrar.locked_until = timezone.now() + timedelta(minutes=15)
    city_registrar.save(update_fields=["failed_logins", "locked_until"])
    client.force_login(admin_user)
    response = client.post(
        "/admin/core/user/",
        {"action": "unlock_accounts", "_selected_action": [city_registrar.pk]},
    )
    assert response.status_code == 302
    city_registrar.refresh_from_db()
    assert city_registrar.locked_until is None and city_registrar.failed_logins == 0
    assert AuditLog.objects.filter(
        object_id=str(city_registrar.pk), action__contains="unlock"
    ).exists()
