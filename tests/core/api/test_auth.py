"""API authentication: Django session (CSRF on unsafe methods) or a bearer token that is stored
only as its SHA-256; missing, unknown or revoked credentials get 401."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from socorg.core.models import ApiToken, AuditLog
from socorg.core.tokens import token_authenticate, token_create, token_revoke
from tests.core.api.conftest import API


def create_token(username: str, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "--user", username, *extra, stdout=out, stderr=err)
    assert "只显示这一次" in err.getvalue()
    return out.getvalue().strip()


def test_token_command_prints_a_usable_token(city, city_registrar, as_user) -> None:
    raw = create_token("city_registrar", "--name", "数据对接")
    response = as_user(token=raw).get("/organizations")
    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_only_the_hash_and_prefix_of_a_token_are_stored(city, city_registrar) -> None:
    raw = create_token("city_registrar")
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8] and len(token.prefix) == 8
    assert raw not in json.dumps([token.name, token.prefix, token.key_hash])


def test_bearer_token_acts_with_its_users_scope(city, donggang_registrar, as_user) -> None:
    _, raw = token_create(user=donggang_registrar, name="东港区")
    client = as_user(token=raw)
    assert [i["name"] for i in client.get("/organizations").json()["items"]] == [
        city.donggang_org.name
    ]
    assert client.get(f"/organizations/{city.lanshan_org.uscc}").status_code == 404


def test_bearer_token_needs_no_csrf_token_for_posts(city, city_registrar) -> None:
    _, raw = token_create(user=city_registrar, name="")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{API}/data_correction",
        json.dumps(
            {
                "organization": city.city_org.uscc,
                "changes": {"domicile": "新地址"},
                "reason": "笔误",
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "header", ["Bearer not-a-token", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"]
)
def test_unknown_or_malformed_token_gets_401(city, city_registrar, header) -> None:
    response = Client().get(f"{API}/organizations", headers={"Authorization": header})
    assert response.status_code == 401
    assert "未登录或身份凭证无效" in response.json()["detail"]


def test_revoked_token_gets_401(city, city_registrar, as_user) -> None:
    raw = create_token("city_registrar")
    out = io.StringIO()
    call_command("token", "revoke", "--prefix", raw[:8], stdout=out)
    assert "已吊销" in out.getvalue()
    assert as_user(token=raw).get("/organizations").status_code == 401


def test_token_of_a_deactivated_user_gets_401(city, city_registrar, as_user) -> None:
    _, raw = token_create(user=city_registrar)
    city_registrar.is_active = False
    city_registrar.save(update_fields=["is_active"])
    assert as_user(token=raw).get("/organizations").status_code == 401


def test_token_create_and_revoke_are_audited(city, city_registrar) -> None:
    token, raw = token_create(user=city_registrar, name="对接")
    token_revoke(prefix=token.prefix)
    rows = list(AuditLog.objects.filter(object_type="core.apitoken").order_by("seq"))
    assert [r.action for r in rows] == ["api_token.create", "api_token.revoke"]
    assert rows[0].after["prefix"] == token.prefix
    assert raw not in json.dumps([r.after for r in rows], default=str)


def test_authenticate_records_last_use(city, city_registrar) -> None:
    token, raw = token_create(user=city_registrar)
    assert token_authenticate(raw) == city_registrar
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoking_an_unknown_prefix_is_refused(city) -> None:
    with pytest.raises(CommandError, match="没有以“zzzzzzzz”开头的有效令牌"):
        call_command("token", "revoke", "--prefix", "zzzzzzzz")


def test_token_for_unknown_user_is_refused(city) -> None:
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "create", "--user", "nobody")


def test_token_list_shows_prefixes_only(city, city_registrar) -> None:
    raw = create_token("city_registrar", "--name", "对接")
    out = io.StringIO()
    call_command("token", "list", "--user", "city_registrar", stdout=out)
    assert raw[:8] in out.getvalue() and raw not in out.getvalue()


def test_session_user_reads_without_csrf_token(city, city_registrar) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_registrar)
    assert client.get(f"{API}/organizations").status_code == 200


def test_session_post_without_csrf_token_is_refused(city, city_registrar) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_registrar)
    body = {"organization": city.city_org.uscc, "changes": {"domicile": "新地址"}, "reason": "笔误"}
    response = client.post(
        f"{API}/data_correction", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_session_post_with_csrf_token_is_accepted(city, city_registrar) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_registrar)
    request = RequestFactory().get("/")
    masked = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    body = {"organization": city.city_org.uscc, "changes": {"domicile": "新地址"}, "reason": "笔误"}
    response = client.post(
        f"{API}/data_correction",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": masked},
    )
    assert response.status_code == 201, response.content


def test_anonymous_post_gets_401_not_a_csrf_error(city) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/organizations", "{}", content_type="application/json")
    assert response.status_code == 401
