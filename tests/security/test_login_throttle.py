"""Nobody can lock someone else's account, and the login answer reveals no username: failures
are throttled per account name and per client address with growing waits (never a lock for
good), unknown, wrong and throttled attempts get the same answer for the same work, and the
owner is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from socorg.core import auth
from socorg.core.models import AuditLog, LoginThrottle, User
from tests.security.conftest import PASSWORD, post_login, signed_in
from tests.security.hashers import CountingHasher


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.context["form"].non_field_errors()[0]


def wait_out() -> None:
    LoginThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))


def account_row(username: str) -> LoginThrottle:
    return LoginThrottle.objects.get(key=auth.account_key(username))


def test_an_attacker_cannot_lock_the_owner_out_for_good(client, city_registrar, settings) -> None:
    for _ in range(40):
        post_login(Client(), "city_registrar", "guess")
        wait_out()  # the attacker waits out every delay and keeps guessing
    row = account_row("city_registrar")
    assert row.failures == 40
    # The longest wait is the cap, not a lock: once it runs out the owner gets in.
    post_login(Client(), "city_registrar", "guess")
    waiting = account_row("city_registrar").blocked_until - timezone.now()
    assert waiting <= timedelta(seconds=settings.SOCORG_LOGIN_MAX_DELAY_SECONDS)
    wait_out()
    assert post_login(client, "city_registrar", PASSWORD).status_code == 302
    assert signed_in(client) == city_registrar.pk


def test_each_failure_past_the_free_ones_doubles_the_wait(city_registrar, settings) -> None:
    free = settings.SOCORG_LOGIN_FREE_FAILURES
    waits = []
    for _ in range(free + 3):
        post_login(Client(), "city_registrar", "guess")
        row = account_row("city_registrar")
        waits.append(round((row.blocked_until - row.last_failure_at).total_seconds()))
        wait_out()
    assert waits[: free - 1] == [0] * (free - 1)
    assert waits[free - 1 :] == [1, 2, 4, 8]


def test_attempts_during_the_wait_are_refused_even_with_the_right_password(
    client, city_registrar, settings
) -> None:
    for _ in range(settings.SOCORG_LOGIN_FREE_FAILURES + 2):
        post_login(Client(), "city_registrar", "guess")
    failures = account_row("city_registrar").failures
    response = post_login(client, "city_registrar", PASSWORD)
    assert response.status_code == 400 and signed_in(client) is None
    assert account_row("city_registrar").failures == failures  # waiting is not counted


def test_unknown_wrong_and_throttled_get_the_same_answer(city_registrar, settings) -> None:
    unknown = error_of(post_login(Client(), "no_such_user", "guess"))
    wrong = error_of(post_login(Client(), "city_registrar", "guess"))
    for name in ("city_registrar", "no_such_user"):
        for _ in range(settings.SOCORG_LOGIN_FREE_FAILURES):
            post_login(Client(), name, "guess")
    throttled_known = error_of(post_login(Client(), "city_registrar", PASSWORD))
    throttled_unknown = error_of(post_login(Client(), "no_such_user", "guess"))
    assert unknown == wrong == throttled_known == throttled_unknown
    # An unknown name is throttled exactly like a real one: its row looks the same.
    assert account_row("no_such_user").failures == account_row("city_registrar").failures


@pytest.mark.parametrize("who", ["unknown user", "wrong password", "throttled"])
def test_every_refusal_runs_the_password_hasher_once(city_registrar, settings, who) -> None:
    settings.PASSWORD_HASHERS = ["tests.security.hashers.CountingHasher"]
    if who == "throttled":
        for _ in range(settings.SOCORG_LOGIN_FREE_FAILURES):
            post_login(Client(), "city_registrar", "guess")
    CountingHasher.calls.clear()
    username = "no_such_user" if who == "unknown user" else "city_registrar"
    response = post_login(Client(), username, PASSWORD if who == "throttled" else "guess")
    assert response.status_code == 400
    # One hash computed (a verification hashes the guess once too): the same work every time.
    assert CountingHasher.calls.count("encode") == 1


def test_one_address_trying_many_names_is_throttled(client, city, city_registrar, settings) -> None:
    settings.SOCORG_LOGIN_ADDRESS_FREE_FAILURES = 3
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for name in ("alice", "bob", "carol"):
        post_login(attacker, name, "guess")
    # The fourth name, even with its right password, waits: the address is throttled ...
    assert post_login(attacker, "city_registrar", PASSWORD).status_code == 400
    # ... while the owner, from their own address, is not.
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert post_login(owner, "city_registrar", PASSWORD).status_code == 302


def test_the_owner_is_told_by_mail_audit_and_at_the_next_login(
    client, city_registrar, settings, django_capture_on_commit_callbacks
) -> None:
    User.objects.filter(pk=city_registrar.pk).update(email="li.xiaoyan@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(settings.SOCORG_LOGIN_FREE_FAILURES):
            post_login(Client(), "city_registrar", "guess")
    assert [m.to for m in mail.outbox] == [["li.xiaoyan@example.gov.cn"]]
    assert "city_registrar" in mail.outbox[0].body
    assert AuditLog.objects.filter(
        action="user.login_throttled", object_id=str(city_registrar.pk)
    ).exists()
    wait_out()
    response = post_login(client, "city_registrar", PASSWORD, next="/account/security/")
    page = client.get(response["Location"]).content.decode()
    assert f"有 {settings.SOCORG_LOGIN_FREE_FAILURES} 次失败的登录尝试" in page


def test_failures_on_unknown_names_are_audited_like_known_ones(city_registrar) -> None:
    post_login(Client(), "no_such_user", "guess")
    post_login(Client(), "city_registrar", "guess")
    rows = list(AuditLog.objects.filter(action="user.login_failed").order_by("seq"))
    assert [(r.object_id, r.after["username"]) for r in rows] == [
        ("", "no_such_user"),
        (str(city_registrar.pk), "city_registrar"),
    ]


def test_forgotten_failures_leave_the_table(city, settings) -> None:
    for name in ("alice", "bob"):
        post_login(Client(), name, "guess")
    long_ago = timezone.now() - timedelta(minutes=settings.SOCORG_LOGIN_FAILURE_WINDOW_MINUTES + 1)
    LoginThrottle.objects.update(last_failure_at=long_ago, blocked_until=long_ago)
    post_login(Client(REMOTE_ADDR="192.0.2.1"), "carol", "guess")
    assert sorted(LoginThrottle.objects.values_list("key", flat=True)) == [
        "account:carol",
        "address:192.0.2.1",
    ]
