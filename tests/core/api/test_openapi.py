"""The OpenAPI schema renders and describes every endpoint; the docs load only local assets."""

from __future__ import annotations

import json

from django.test import Client


def test_openapi_schema_renders_with_the_paths(db) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/organizations"])
    assert "get" in paths["/api/v1/organizations/{uscc}"]
    assert "post" in paths["/api/v1/data_correction"]
    assert "post" in paths["/api/v1/data_correction/{id}/transitions"]
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_openapi_lists_the_allowed_filter_values(db) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/organizations"]["get"]["parameters"]}
    assert {
        "q",
        "uscc",
        "type",
        "level",
        "jurisdiction",
        "status",
        "category",
        "supervisory_unit",
        "page",
        "page_size",
    } <= set(params)
    assert params["page_size"]["schema"]["maximum"] == 100


def test_api_docs_load_no_asset_from_a_cdn(db) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html
