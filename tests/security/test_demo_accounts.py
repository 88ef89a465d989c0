"""Production refuses the demo cast on every channel: password login, an existing session, a
bearer token, and ``socorg token create`` refuses to issue one. Each test is the attack."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from socorg.core.models import User
from socorg.core.tokens import token_create
from tests.core.test_run_and_settings import production_env, socorg
from tests.security.conftest import PASSWORD, post_login, signed_in

API = "/api/v1/organizations"


@pytest.fixture
def demo_registrar(city_registrar: User) -> User:
    User.objects.filter(pk=city_registrar.pk).update(is_demo=True)
    city_registrar.refresh_from_db()
    return city_registrar


def test_production_settings_do_not_allow_demo_users(tmp_path) -> None:
    code = "from django.conf import settings; print(settings.SOCORG_DEMO_USERS_ALLOWED)"
    result = socorg("shell", "-c", code, env=production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_published_demo_password_does_not_log_in_in_production(
    client, demo_registrar, settings
) -> None:
    settings.SOCORG_DEMO_USERS_ALLOWED = False
    response = post_login(client, demo_registrar.username, PASSWORD)
    assert response.status_code == 400 and signed_in(client) is None


def test_a_demo_session_opened_before_does_not_survive_in_production(
    client, demo_registrar, settings
) -> None:
    client.force_login(demo_registrar)
    assert client.get("/").status_code == 200
    settings.SOCORG_DEMO_USERS_ALLOWED = False
    assert client.get("/").status_code == 302
    assert client.get(API).status_code == 401


def test_a_demo_bearer_token_is_refused_in_production(demo_registrar, settings) -> None:
    _token, raw = token_create(user=demo_registrar, name="leaked")
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get(API, headers=headers).status_code == 200
    settings.SOCORG_DEMO_USERS_ALLOWED = False
    assert Client().get(API, headers=headers).status_code == 401


def test_token_create_refuses_a_demo_account_in_production(demo_registrar, settings) -> None:
    settings.SOCORG_DEMO_USERS_ALLOWED = False
    with pytest.raises(CommandError, match="演示账号"):
        call_command("token", "create", "--user", demo_registrar.username, stdout=io.StringIO())
    assert not demo_registrar.api_tokens.exists()
