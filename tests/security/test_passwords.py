"""MLPS identification: one account per name, passwords of a set length and character mix
that expire, a self-service (and audited) change, and sessions that end when left idle."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socorg.core.middleware import IDLE_SECONDS, LAST_ACTIVITY
from socorg.core.models import AuditLog, Role, RuleParameter, User
from socorg.core.rules.accounts import character_classes, password_problems
from tests import factories as f
from tests.security.conftest import PASSWORD, post_login, signed_in

NEW = "Qingdao-Rizhao-2027"
CHANGE = "/account/password/"


def change(client: Client, old: str, new: str, again: str | None = None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_a_second_account_with_the_same_name_in_other_case_is_refused(city_registrar) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        f.user("City_Registrar", Role.REGISTRAR)


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefghij", 1), ("abcdefghij1", 2), ("Abcdefghij1", 3), ("Abc-defghij1", 4)],
)
def test_character_classes_are_counted(password, classes) -> None:
    assert character_classes(password) == classes


@pytest.mark.parametrize("weak", ["Short-1", "alllowercaseletters", "lowercase-and-dash"])
def test_a_weak_new_password_is_refused_and_nothing_changes(client, city_registrar, weak) -> None:
    client.force_login(city_registrar)
    response = change(client, PASSWORD, weak)
    assert response.status_code == 400
    assert "密码" in response.context["form"].errors["new_password1"][0]
    assert User.objects.get(pk=city_registrar.pk).check_password(PASSWORD)
    assert not AuditLog.objects.filter(action="user.password_change").exists()


def test_the_policy_follows_the_rule_parameters(client, city_registrar) -> None:
    RuleParameter.objects.filter(key="MLPS-1.password_min_length").update(value=24)
    client.force_login(city_registrar)
    assert change(client, PASSWORD, NEW).status_code == 400
    assert password_problems(NEW, min_length=24, min_classes=3) == ["密码至少需要 24 个字符。"]


def test_the_owner_changes_the_password_and_it_is_audited(client, city_registrar) -> None:
    client.force_login(city_registrar)
    response = change(client, PASSWORD, NEW)
    assert response.status_code == 302
    user = User.objects.get(pk=city_registrar.pk)
    assert user.check_password(NEW)
    assert signed_in(client) == user.pk  # the session survives its own password change
    row = AuditLog.objects.get(action="user.password_change")
    assert row.actor_id == user.pk and NEW not in str(row.after) + str(row.before)


def test_a_wrong_old_password_changes_nothing(client, city_registrar) -> None:
    client.force_login(city_registrar)
    assert change(client, "not-my-password", NEW).status_code == 400
    assert User.objects.get(pk=city_registrar.pk).check_password(PASSWORD)


def test_an_expired_password_must_be_changed_at_the_next_login(client, city_registrar) -> None:
    User.objects.filter(pk=city_registrar.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    post_login(client, "city_registrar", PASSWORD)
    assert client.get("/").url == reverse("password_change")
    assert client.get("/registry/organizations/").url == reverse("password_change")
    assert change(client, PASSWORD, NEW).status_code == 302
    assert client.get("/").status_code == 200


def test_the_admin_site_login_does_not_skip_an_owed_password_change(client, city) -> None:
    f.user("staffer", "", is_staff=True, must_change_password=True)
    client.post("/admin/login/", {"username": "staffer", "password": PASSWORD})
    assert signed_in(client) is None
    post_login(client, "staffer", PASSWORD)
    assert client.get("/admin/").url == reverse("password_change")


def test_a_password_set_by_an_administrator_must_be_replaced(client, city, city_registrar) -> None:
    admin = f.user("sysadmin", Role.ADMINISTRATOR, jurisdiction=city.city, is_staff=True)
    admin_client = Client()
    admin_client.force_login(admin)
    url = reverse("admin:auth_user_password_change", args=[city_registrar.pk])
    data = {"password1": NEW, "password2": NEW, "usable_password": "true"}
    assert admin_client.post(url, data).status_code == 302
    post_login(client, "city_registrar", NEW)
    assert client.get("/").url == reverse("password_change")


def test_an_idle_session_ends(client, city_registrar) -> None:
    client.force_login(city_registrar)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY] = time.time() - session[IDLE_SECONDS] - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert signed_in(client) is None


def test_an_active_session_goes_on(client, city_registrar) -> None:
    client.force_login(city_registrar)
    session = client.session
    session[LAST_ACTIVITY] = time.time() - session[IDLE_SECONDS] + 60
    session.save()
    assert client.get("/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY] < 5  # the clock starts again


def test_the_idle_timeout_is_a_parameter_of_thirty_minutes_by_default(client, city_registrar):
    client.force_login(city_registrar)
    assert client.session[IDLE_SECONDS] == 30 * 60
    RuleParameter.objects.filter(key="MLPS-2.idle_timeout_minutes").update(value=5)
    other = Client()
    other.force_login(city_registrar)
    assert other.session[IDLE_SECONDS] == 5 * 60
