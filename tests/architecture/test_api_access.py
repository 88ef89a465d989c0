"""Every API operation, read from the OpenAPI schema: anonymous callers get 401 unless the
operation is one the law makes public."""

from __future__ import annotations

import re

import pytest

PUBLIC_OPERATIONS = {
    ("post", "/api/v1/name-check"),  # the public name check (名称查重)
}


@pytest.fixture
def schema(client, db) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method, path, op


def test_every_operation_requires_authentication_unless_public(schema) -> None:
    unguarded = sorted(
        (m, p)
        for m, p, op in _operations(schema)
        if not op.get("security") and (m, p) not in PUBLIC_OPERATIONS
    )
    assert unguarded == []


def test_anonymous_callers_get_401_from_every_guarded_operation(client, schema) -> None:
    checked = 0
    for method, path, op in _operations(schema):
        if not op.get("security"):
            continue
        url = re.sub(r"\{[^}]+\}", "1", path)
        if method == "get":
            response = client.get(url)
        else:
            response = getattr(client, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 401, (
            f"{method.upper()} {path} answered {response.status_code}"
        )
        checked += 1
    assert checked > 5
