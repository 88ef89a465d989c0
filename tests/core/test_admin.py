"""The administration site: rule parameters are editable and every change is audited; the
audit log, transitions, deadlines and the registry are read-only there."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from socorg.core.audit import verify_chain
from socorg.core.models import AuditLog, Jurisdiction, RuleParameter, User

KEY = "CR-4.fine_threshold"


@pytest.fixture(autouse=True)
def empty_parameter_table(db) -> None:
    """Start from a table without the national defaults of the rules under test (migrations
    load them); the account-security parameters (MLPS-*) a login reads stay."""
    RuleParameter.objects.exclude(rule_id__startswith="MLPS-").delete()


def form_data(**overrides) -> dict[str, str]:
    data = {
        "rule_id": "CR-4",
        "key": KEY,
        "value": "50000",
        "jurisdiction": "",
        "effective_from": "2026-01-01",
        "effective_to": "",
        "source": "《社会组织登记管理条例》",
        "note": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def parameter(db) -> RuleParameter:
    return RuleParameter.objects.create(
        rule_id="CR-4", key=KEY, value=50000, effective_from=date(2026, 1, 1), source="条例"
    )


def test_adding_a_rule_parameter_is_audited(admin_client, admin_user) -> None:
    response = admin_client.post(reverse("admin:core_ruleparameter_add"), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    created = RuleParameter.objects.get(key=KEY)
    entry = AuditLog.objects.get(action="admin.ruleparameter.add")
    assert (entry.actor, entry.object_id) == (admin_user, str(created.pk))
    assert entry.before is None
    assert entry.after["value"] == 50000 and entry.after["key"] == KEY
    assert verify_chain().ok


def test_changing_a_rule_parameter_records_before_and_after(admin_client, parameter) -> None:
    url = reverse("admin:core_ruleparameter_change", args=[parameter.pk])
    response = admin_client.post(url, form_data(value="80000"))
    assert response.status_code == 302
    entry = AuditLog.objects.get(action="admin.ruleparameter.change")
    assert (entry.before["value"], entry.after["value"]) == (50000, 80000)


def test_end_before_start_is_refused_and_nothing_is_written(admin_client) -> None:
    response = admin_client.post(
        reverse("admin:core_ruleparameter_add"), form_data(effective_to="2025-12-31")
    )
    assert response.status_code == 200
    assert "失效日期不能早于生效日期" in response.content.decode()
    assert not RuleParameter.objects.exclude(rule_id__startswith="MLPS-").exists()
    assert not AuditLog.objects.exists()


def test_deleting_a_rule_parameter_is_audited(admin_client, parameter) -> None:
    url = reverse("admin:core_ruleparameter_delete", args=[parameter.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not RuleParameter.objects.exclude(rule_id__startswith="MLPS-").exists()
    entry = AuditLog.objects.get(action="admin.ruleparameter.delete")
    assert entry.object_id == str(parameter.pk) and entry.before["value"] == 50000


def test_bulk_delete_audits_each_parameter(admin_client, parameter) -> None:
    other = RuleParameter.objects.create(
        rule_id="CR-4", key=KEY, value=1, effective_from=date(2027, 1, 1), source="条例"
    )
    response = admin_client.post(
        reverse("admin:core_ruleparameter_changelist"),
        {"action": "delete_selected", "_selected_action": [parameter.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not RuleParameter.objects.exclude(rule_id__startswith="MLPS-").exists()
    deleted = set(
        AuditLog.objects.filter(action="admin.ruleparameter.delete").values_list(
            "object_id", flat=True
        )
    )
    assert deleted == {str(parameter.pk), str(other.pk)}


def test_audit_log_cannot_be_added_changed_or_deleted(
    admin_client, city_registrar, parameter
) -> None:
    admin_client.post(
        reverse("admin:core_ruleparameter_change", args=[parameter.pk]), form_data(value="1")
    )
    entry = AuditLog.objects.get()
    assert admin_client.get(reverse("admin:core_auditlog_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:core_auditlog_add")).status_code == 403
    change = reverse("admin:core_auditlog_change", args=[entry.pk])
    assert admin_client.get(change).status_code == 200  # view only
    assert admin_client.post(change, {"action": "x"}).status_code == 403
    delete = reverse("admin:core_auditlog_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditLog.objects.get().action == entry.action


def test_user_role_change_is_audited_without_the_password(
    admin_client, city, city_registrar
) -> None:
    url = reverse("admin:core_user_change", args=[city_registrar.pk])
    data = {
        "username": city_registrar.username,
        "full_name": city_registrar.full_name,
        "email": "",
        "role": "reviewer",
        "jurisdiction": city.city.pk,
        "department": city.civil_affairs.pk,
        "organization": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditLog.objects.get(action="admin.user.change")
    assert (entry.before["role"], entry.after["role"]) == ("registrar", "reviewer")
    assert "password" not in entry.after and "totp_secret" not in entry.after


def test_new_jurisdiction_gets_its_path(admin_client, city) -> None:
    response = admin_client.post(
        reverse("admin:core_jurisdiction_add"),
        {"code": "371121", "name": "五莲县", "level": "county", "parent": city.city.pk},
    )
    assert response.status_code == 302
    assert Jurisdiction.objects.get(code="371121").path == "/371100/371121/"
    assert AuditLog.objects.filter(action="admin.jurisdiction.add").exists()


def test_registry_is_read_only_in_admin(admin_client, city) -> None:
    assert admin_client.get(reverse("admin:registry_organization_add")).status_code == 403
    change = reverse("admin:registry_organization_change", args=[city.city_org.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"name": "改名"}).status_code == 403
    city.city_org.refresh_from_db()
    assert city.city_org.name == "日照市物流协会"


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m._meta.app_label in {"core", "registry"}]
)
def test_every_admin_list_opens(admin_client, city, model) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_staff_without_rights_cannot_open_the_admin(client, city_registrar) -> None:
    client.force_login(city_registrar)
    response = client.get(reverse("admin:core_ruleparameter_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_adding_a_user_sets_role_and_scope_and_is_audited(admin_client, city) -> None:
    response = admin_client.post(
        reverse("admin:core_user_add"),
        {
            "username": "new_reviewer",
            "password1": "Socorg-review-2026!",
            "password2": "Socorg-review-2026!",
            "usable_password": "true",
            "full_name": "王审核",
            "role": "reviewer",
            "jurisdiction": city.city.pk,
            "department": "",
            "organization": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new_reviewer")
    assert (user.role, user.jurisdiction) == ("reviewer", city.city)
    assert user.check_password("Socorg-review-2026!")
    entry = AuditLog.objects.get(action="admin.user.add")
    assert entry.after["role"] == "reviewer" and "password" not in entry.after


def test_password_change_in_admin_is_audited(admin_client, city_registrar) -> None:
    url = reverse("admin:auth_user_password_change", args=[city_registrar.pk])
    response = admin_client.post(
        url,
        {
            "password1": "Socorg-changed-2026!",
            "password2": "Socorg-changed-2026!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditLog.objects.get(action="admin.user.password_change")
    assert entry.object_id == str(city_registrar.pk) and entry.after is None
