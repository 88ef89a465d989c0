"""Each request carries an id (echoed as ``X-Request-ID``) and its source address into the
audit rows its writes produce."""

from __future__ import annotations

import re

import pytest

from socorg.core import context
from socorg.core.middleware import client_address
from socorg.core.models import AuditLog


def test_plain_request_id_is_kept_and_echoed(client, db) -> None:
    response = client.get("/login/", HTTP_X_REQUEST_ID="gw-2026.11:abc-123")
    assert response["X-Request-ID"] == "gw-2026.11:abc-123"


@pytest.mark.parametrize("supplied", ["", "<script>alert(1)</script>", "x" * 65, "a b"])
def test_unsafe_request_id_is_replaced(client, db, supplied) -> None:
    response = client.get("/login/", HTTP_X_REQUEST_ID=supplied)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_context_outside_a_request_is_empty() -> None:
    assert context.current() == context.RequestContext()
    with context.request_context(source_ip="10.0.0.1"):
        inside = context.current()
        assert inside.source_ip == "10.0.0.1" and len(inside.request_id) == 32
    assert context.current().request_id == ""


def _address(rf, settings, proxies: list[str], remote: str, forwarded: str | None) -> str | None:
    settings.SOCORG_TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(rf.get("/", REMOTE_ADDR=remote, **extra))


def test_forwarded_for_is_ignored_without_trusted_proxies(rf, settings) -> None:
    assert _address(rf, settings, [], "203.0.113.7", "10.9.9.9") == "203.0.113.7"


def test_forwarded_for_is_ignored_from_an_untrusted_peer(rf, settings) -> None:
    assert _address(rf, settings, ["10.0.0.0/8"], "203.0.113.7", "1.2.3.4") == "203.0.113.7"


def test_forwarded_for_from_a_trusted_proxy_gives_the_client(rf, settings) -> None:
    assert _address(rf, settings, ["10.0.0.5"], "10.0.0.5", "198.51.100.20") == "198.51.100.20"


def test_client_cannot_spoof_its_address_through_a_trusted_proxy(rf, settings) -> None:
    """The client sent its own X-Forwarded-For; the proxy appended the real peer."""
    got = _address(rf, settings, ["10.0.0.0/8"], "10.0.0.5", "6.6.6.6, 198.51.100.20, 10.0.0.9")
    assert got == "198.51.100.20"


def test_audit_row_records_the_forwarded_client(client, settings, city_registrar) -> None:
    settings.SOCORG_TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(
        "/login/",
        {"username": city_registrar.username, "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert AuditLog.objects.get(action="user.login_failed").source_ip == "198.51.100.20"
