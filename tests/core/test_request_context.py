"""Each request carries an id (echoed as ``X-Request-ID``) and its source address into the
audit rows its writes produce."""

from __future__ import annotations

import re

import pytest

from socorg.core import context


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
