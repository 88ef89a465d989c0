"""Schema fuzzing: requests generated from the published OpenAPI document, for every operation
of /api/v1 (a new route joins by itself), as a registrar of the whole city and as a founder, with bearer tokens.

Every answer must be (1) no server error, (2) a status code the operation declares, (3) a body
that conforms to the declared schema, headers and content type included. The run is bounded:
``SOCORG_FUZZ_EXAMPLES`` examples per operation (default 25)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from socorg.core.models import Role
from socorg.core.tokens import token_create
from socorg.wsgi import application
from tests import factories as f

EXAMPLES = int(os.environ.get("SOCORG_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# The published document, fetched through the application as a client would.
SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations())}


CALLERS = ("city_registrar", "founder")


@pytest.fixture(autouse=True)
def keep_test_connection() -> Iterator[None]:
    """The application is called as a WSGI server would call it; as Django's test client does,
    keep it from closing the test's database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(city, city_registrar) -> dict[str, dict[str, str]]:
    """A bearer token for each caller: the registrar of the whole city, and a founder (an
    organization account with no organization yet, who files applications)."""
    founder = f.user("fuzz_founder", Role.ORGANIZATION, jurisdiction=city.city)
    headers = {}
    for name, user in (("city_registrar", city_registrar), ("founder", founder)):
        _, token = token_create(user=user, name="schema fuzzing")
        headers[name] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.fixture
def known_uscc(city) -> str:
    """A credit code that exists, so that generated requests also reach a record."""
    return city.city_org.uscc


def test_every_operation_of_the_api_is_fuzzed() -> None:
    assert len(OPERATIONS) >= 10
    assert all(label.split(" ", 1)[1].startswith("/api/v1/") for label in OPERATIONS)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_every_generated_request_is_answered_as_documented_without_server_error(
    label: str, caller: str, callers: dict[str, dict[str, str]], known_uscc: str, record_property
) -> None:
    operation = OPERATIONS[label]
    headers = callers[caller]
    cases = 0

    @given(case=operation.as_strategy(), existing=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answered_as_documented(case: Any, existing: bool) -> None:
        nonlocal cases
        if existing and case.path_parameters and "uscc" in case.path_parameters:
            case.path_parameters["uscc"] = known_uscc
        response = case.call(headers=headers)
        cases += 1
        case.validate_response(response, checks=CHECKS)

    answered_as_documented()
    record_property("fuzz_cases", cases)
