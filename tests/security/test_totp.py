"""Two-factor login: a code works once (its time step is recorded per user), administrators
cannot skip it, and all staff cannot skip it when the bureau turns MLPS-3 on."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from socorg.core.models import AuditLog, Role, RuleParameter, User
from tests import factories as f
from tests.security.conftest import PASSWORD, post_login, signed_in

TOTP_KEY = "MLPS-3.totp_required_for_all_staff"


def with_totp(user: User) -> pyotp.TOTP:
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled = True
    user.save(update_fields=["totp_secret", "totp_enabled"])
    return pyotp.TOTP(user.totp_secret)


def test_an_overheard_code_cannot_be_used_again(city_registrar) -> None:
    totp = with_totp(city_registrar)
    owner, attacker = Client(), Client()
    post_login(owner, "city_registrar", PASSWORD)
    code = totp.now()
    assert owner.post(reverse("login_totp"), {"code": code}).status_code == 302
    # The attacker has the password and saw the code on the screen a second later.
    post_login(attacker, "city_registrar", PASSWORD)
    response = attacker.post(reverse("login_totp"), {"code": code})
    assert response.status_code == 400 and signed_in(attacker) is None
    assert "已使用过" in response.content.decode()


def test_an_older_code_of_the_window_is_refused_after_a_newer_one(city_registrar) -> None:
    totp = with_totp(city_registrar)
    client = Client()
    post_login(client, "city_registrar", PASSWORD)
    assert client.post(reverse("login_totp"), {"code": totp.now()}).status_code == 302
    previous = totp.at(datetime.now() - timedelta(seconds=30))
    other = Client()
    post_login(other, "city_registrar", PASSWORD)
    assert other.post(reverse("login_totp"), {"code": previous}).status_code == 400


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR, Role.AUDIT_ADMINISTRATOR, None]
)
def test_an_administrator_without_two_factor_can_only_set_it_up(client, city, role) -> None:
    if role is None:
        f.user("breakglass", "", is_superuser=True, is_staff=True)
    else:
        f.user("breakglass", role, is_staff=True)
    response = post_login(client, "breakglass", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").url == reverse("account_security")
    assert client.get("/admin/").url == reverse("account_security")
    assert client.get("/api/v1/organizations").status_code == 403
    assert client.get(reverse("account_security")).status_code == 200


def test_setting_up_two_factor_releases_the_session(client, city) -> None:
    user = f.user("sysadmin", Role.ADMINISTRATOR, jurisdiction=city.city, is_staff=True)
    post_login(client, "sysadmin", PASSWORD)
    page = client.get(reverse("account_security")).content.decode()
    secret = page.split('id="totp-secret">')[1].split("<")[0].replace(" ", "")
    response = client.post(reverse("account_security"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert user.totp_enabled


def test_an_administrator_cannot_turn_two_factor_off(client, city) -> None:
    user = f.user("secadmin", Role.SECURITY_ADMINISTRATOR, is_staff=True)
    totp = with_totp(user)
    client.force_login(user)
    client.post(reverse("account_security"), {"code": totp.now()})
    assert User.objects.get(pk=user.pk).totp_enabled


def test_the_admin_site_login_refuses_an_administrator_without_two_factor(client, city) -> None:
    f.user("breakglass", "", is_superuser=True, is_staff=True)
    client.post("/admin/login/", {"username": "breakglass", "password": PASSWORD})
    assert signed_in(client) is None


def test_all_staff_need_two_factor_when_the_bureau_says_so(
    client, city_registrar, org_account
) -> None:
    post_login(client, "city_registrar", PASSWORD)
    assert client.get("/").status_code == 200  # off by default
    client.post(reverse("logout"))
    RuleParameter.objects.filter(key=TOTP_KEY).update(value=True)
    post_login(client, "city_registrar", PASSWORD)
    assert client.get("/").url == reverse("account_security")
    # An organization's own account is not bureau staff.
    applicant = Client()
    post_login(applicant, org_account.username, PASSWORD)
    assert applicant.get("/").status_code == 200


def test_the_break_glass_login_is_audited_as_such(client, city) -> None:
    user = f.user("breakglass", "", is_superuser=True, is_staff=True)
    totp = with_totp(user)
    post_login(client, "breakglass", PASSWORD)
    client.post(reverse("login_totp"), {"code": totp.now()})
    assert signed_in(client) == user.pk
    row = AuditLog.objects.get(action="user.login", actor=user)
    assert row.after == {"method": "password+totp", "break_glass": True}
