"""Login: password (Argon2), throttling after repeated failures, two-factor codes, demo accounts."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from socorg.core import auth
from socorg.core.audit import verify_chain
from socorg.core.models import AuditLog, LoginThrottle, Role, User
from socorg.core.rules.accounts import totp_matching_step
from socorg.core.services import user_unlock
from tests import factories as f
from tests.factories import PASSWORD

LOGIN = "/login/"


def post_login(client, username: str, password: str, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def logged_in_user(client) -> int | None:
    pk = client.session.get("_auth_user_id")
    return int(pk) if pk else None


def fail(client, user: User, times: int) -> None:
    for _ in range(times):
        post_login(client, user.username, "wrong-password")


def test_login_with_right_password_starts_a_session_and_is_audited(client, city_registrar) -> None:
    response = post_login(client, "city_registrar", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in_user(client) == city_registrar.pk
    row = AuditLog.objects.filter(action="user.login").get()
    assert row.actor_id == city_registrar.pk and row.after == {"method": "password"}
    assert verify_chain().ok


def test_passwords_are_hashed_with_argon2(settings, city) -> None:
    from socorg import settings as configured
    from tests import factories

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    user = factories.user("argon_user", "registrar", jurisdiction=city.city)
    assert user.password.startswith("argon2")


def test_login_follows_a_safe_next_url_only(client, city_registrar) -> None:
    response = post_login(client, "city_registrar", PASSWORD, next="/account/security/")
    assert response["Location"] == "/account/security/"
    client.logout()
    response = post_login(client, "city_registrar", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("home")


def account_failures(user: User) -> int:
    row = LoginThrottle.objects.filter(key=auth.account_key(user.username)).first()
    return row.failures if row else 0


def wait_out_throttles() -> None:
    """Let every wait run out, as if the clock had moved on."""
    LoginThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))


def test_wrong_password_is_refused_and_counted(client, city_registrar) -> None:
    response = post_login(client, "city_registrar", "wrong-password")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()
    assert logged_in_user(client) is None
    assert account_failures(city_registrar) == 1


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, city) -> None:
    response = post_login(client, "nobody", "whatever")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()


def test_failures_past_the_free_ones_make_the_account_wait(
    client, city_registrar, settings
) -> None:
    fail(client, city_registrar, settings.SOCORG_LOGIN_FREE_FAILURES - 1)
    assert post_login(client, "city_registrar", PASSWORD).status_code == 302
    client.logout()
    fail(client, city_registrar, settings.SOCORG_LOGIN_FREE_FAILURES)
    # Waiting: even the right password is refused, with the same message.
    response = post_login(client, "city_registrar", PASSWORD)
    assert response.status_code == 400 and logged_in_user(client) is None
    assert "用户名或密码错误" in response.content.decode()
    assert AuditLog.objects.filter(
        action="user.login_throttled", object_id=str(city_registrar.pk)
    ).exists()


def test_the_wait_runs_out_and_the_right_password_works_again(client, city_registrar) -> None:
    fail(client, city_registrar, 5)
    wait_out_throttles()
    response = post_login(client, "city_registrar", PASSWORD)
    assert response.status_code == 302 and logged_in_user(client) == city_registrar.pk


def test_successful_login_resets_the_failure_counter(client, city_registrar) -> None:
    fail(client, city_registrar, 3)
    post_login(client, "city_registrar", PASSWORD)
    assert account_failures(city_registrar) == 0


def test_inactive_account_is_refused(client, city_registrar) -> None:
    User.objects.filter(pk=city_registrar.pk).update(is_active=False)
    response = post_login(client, "city_registrar", PASSWORD)
    assert "已停用" in response.content.decode() and logged_in_user(client) is None


# Two-factor login


def test_two_factor_account_needs_the_code_before_a_session_starts(client, totp_user) -> None:
    user, _totp = totp_user
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("login_totp")
    assert logged_in_user(client) is None
    page = client.get(reverse("login_totp"))
    assert "动态口令" in page.content.decode()


def test_wrong_code_is_refused_and_counted(client, totp_user) -> None:
    user, totp = totp_user
    post_login(client, user.username, PASSWORD)
    wrong = f"{(int(totp.now()) + 500000) % 1000000:06d}"
    response = client.post(reverse("login_totp"), {"code": wrong})
    assert response.status_code == 400 and "动态口令不正确" in response.content.decode()
    assert logged_in_user(client) is None
    assert account_failures(user) == 1


def test_right_code_completes_the_login(client, totp_user) -> None:
    user, totp = totp_user
    post_login(client, user.username, PASSWORD, next="/account/security/")
    response = client.post(reverse("login_totp"), {"code": totp.now()})
    assert response.status_code == 302 and response["Location"] == "/account/security/"
    assert logged_in_user(client) == user.pk
    assert AuditLog.objects.filter(action="user.login", actor=user).get().after == {
        "method": "password+totp"
    }


def test_code_step_without_the_password_step_goes_back_to_login(client, totp_user) -> None:
    _user, totp = totp_user
    response = client.post(reverse("login_totp"), {"code": totp.now()})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert logged_in_user(client) is None


def test_wrong_codes_lock_the_account_too(client, totp_user) -> None:
    user, totp = totp_user
    post_login(client, user.username, PASSWORD)
    wrong = f"{(int(totp.now()) + 500000) % 1000000:06d}"
    for _ in range(5):
        client.post(reverse("login_totp"), {"code": wrong})
    response = client.post(reverse("login_totp"), {"code": totp.now()})
    assert "用户名或密码错误" in response.content.decode() and logged_in_user(client) is None


def test_backend_refuses_a_two_factor_account_without_its_code(rf, totp_user) -> None:
    user, totp = totp_user
    assert authenticate(rf.post("/admin/login/"), username=user.username, password=PASSWORD) is None
    backend = auth.SocorgBackend()
    with pytest.raises(PermissionDenied):
        backend.authenticate(None, username=user.username, password=PASSWORD)
    assert (
        backend.authenticate(None, username=user.username, password=PASSWORD, totp_code=totp.now())
        == user
    )


# Demo accounts


def test_demo_user_is_refused_where_demo_users_are_not_allowed(
    client, city_registrar, settings
) -> None:
    settings.SOCORG_DEMO_USERS_ALLOWED = False
    User.objects.filter(pk=city_registrar.pk).update(is_demo=True)
    response = post_login(client, "city_registrar", PASSWORD)
    assert "演示账号不可在生产环境登录" in response.content.decode()
    assert logged_in_user(client) is None


def test_demo_user_may_log_in_where_demo_users_are_allowed(
    client, city_registrar, settings
) -> None:
    settings.SOCORG_DEMO_USERS_ALLOWED = True
    User.objects.filter(pk=city_registrar.pk).update(is_demo=True)
    post_login(client, "city_registrar", PASSWORD)
    assert logged_in_user(client) == city_registrar.pk


def test_demo_rule_applies_to_the_admin_login_too(client, settings, city) -> None:
    settings.SOCORG_DEMO_USERS_ALLOWED = False
    admin = User(username="demo_admin", is_staff=True, is_demo=True)
    admin.set_password(PASSWORD)
    admin.save()
    client.post("/admin/login/", {"username": "demo_admin", "password": PASSWORD})
    assert logged_in_user(client) is None
    User.objects.filter(pk=admin.pk).update(is_demo=False)
    client.post("/admin/login/", {"username": "demo_admin", "password": PASSWORD})
    assert logged_in_user(client) == admin.pk


def test_existing_demo_session_ends_once_demo_users_are_not_allowed(
    client, city_registrar, settings
) -> None:
    User.objects.filter(pk=city_registrar.pk).update(is_demo=True)
    client.force_login(city_registrar)
    assert client.get("/").status_code == 200
    settings.SOCORG_DEMO_USERS_ALLOWED = False
    assert client.get("/").status_code == 302


# Logout


def test_logout_is_post_only(client, city_registrar) -> None:
    client.force_login(city_registrar)
    assert client.get(reverse("logout")).status_code == 405
    assert logged_in_user(client) == city_registrar.pk
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert logged_in_user(client) is None


def test_anonymous_visitor_is_sent_to_login(client, city) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/")


def test_totp_code_check_accepts_neighbouring_steps_only() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    assert totp_matching_step(secret, totp.at(now - timedelta(seconds=30)), now) is not None
    assert totp_matching_step(secret, totp.at(now - timedelta(seconds=120)), now) is None
    assert totp_matching_step(secret, "12345", now) is None
    assert totp_matching_step("", "123456", now) is None


def test_security_administrator_can_lift_a_throttle_early_and_it_is_audited(
    client, city, city_registrar
) -> None:
    fail(client, city_registrar, 5)
    key = auth.account_key(city_registrar.username)
    with pytest.raises(PermissionDenied):
        user_unlock(actor=city_registrar, user=city_registrar, account_key=key)
    system_admin = f.user("sysadmin", Role.ADMINISTRATOR, jurisdiction=city.city)
    with pytest.raises(PermissionDenied):
        user_unlock(actor=system_admin, user=city_registrar, account_key=key)
    security_admin = f.user("secadmin", Role.SECURITY_ADMINISTRATOR)
    user_unlock(actor=security_admin, user=city_registrar, account_key=key)
    assert AuditLog.objects.filter(action="user.unlock", actor=security_admin).exists()
    assert post_login(client, "city_registrar", PASSWORD).status_code == 302
