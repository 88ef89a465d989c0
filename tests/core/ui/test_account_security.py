"""The account-security page: set up two-factor login with an authenticator app, or turn it off."""

from __future__ import annotations

import re

import pyotp
from django.urls import reverse

from socorg.core.models import AuditLog, User


def enrollment_secret(page: str) -> str:
    match = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert match, "the page shows the secret"
    return match.group(1).replace(" ", "")


def test_anonymous_visitor_is_sent_to_login(client, city) -> None:
    response = client.get(reverse("account_security"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_page_shows_secret_uri_and_an_inline_qr_code(client, city_registrar) -> None:
    client.force_login(city_registrar)
    page = client.get(reverse("account_security")).content.decode()
    secret = enrollment_secret(page)
    assert len(secret) == 32
    assert "otpauth://totp/" in page and f"secret={secret}" in page
    assert "<svg" in page and "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[
        0
    ].replace("http://www.w3.org/2000/svg", "")
    # The same secret is offered until the user confirms it.
    assert enrollment_secret(client.get(reverse("account_security")).content.decode()) == secret


def test_right_code_enables_two_factor_login(client, city_registrar) -> None:
    client.force_login(city_registrar)
    secret = enrollment_secret(client.get(reverse("account_security")).content.decode())
    response = client.post(reverse("account_security"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    user = User.objects.get(pk=city_registrar.pk)
    assert user.totp_enabled and user.totp_secret == secret
    assert AuditLog.objects.filter(action="user.totp_enable", actor=user).exists()


def test_wrong_code_does_not_enable_two_factor_login(client, city_registrar) -> None:
    client.force_login(city_registrar)
    secret = enrollment_secret(client.get(reverse("account_security")).content.decode())
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 500000) % 1000000:06d}"
    response = client.post(reverse("account_security"), {"code": wrong})
    assert response.status_code == 200 and "动态口令不正确" in response.content.decode()
    assert not User.objects.get(pk=city_registrar.pk).totp_enabled


def test_malformed_code_is_refused_with_a_clear_message(client, city_registrar) -> None:
    client.force_login(city_registrar)
    client.get(reverse("account_security"))
    response = client.post(reverse("account_security"), {"code": "12ab"})
    assert "请输入 6 位数字" in response.content.decode()


def test_turning_off_needs_a_current_code(client, totp_user) -> None:
    user, totp = totp_user
    client.force_login(user)
    wrong = f"{(int(totp.now()) + 500000) % 1000000:06d}"
    client.post(reverse("account_security"), {"code": wrong})
    assert User.objects.get(pk=user.pk).totp_enabled
    client.post(reverse("account_security"), {"code": totp.now()})
    user.refresh_from_db()
    assert not user.totp_enabled and user.totp_secret == ""
    assert AuditLog.objects.filter(action="user.totp_disable", actor=user).exists()
