"""Every API operation, read from the OpenAPI schema, called by every role of the cast and by an
anonymous caller, with an object in scope and one out of scope for every path parameter (and
for a request-body field naming the object acted on, like ``organization``).

An operation declares its permission as ``x-permission`` (``core.api.permission``; the
workflow routes of a process through ``core.api.register_permission``). Expected:

- anonymous: 401, unless the operation is one the law makes public (no ``security``);
- a role holding the permission, object in scope: the request reaches the action and is answered
  on its input (2xx, or 400/409/422). The probe bodies change nothing that matters: a workflow
  transition names an action of the caller's role with a stale ``expected_state`` (409), and a
  role holding the permission but no action of the process gets 403;
- a role holding the permission, object out of scope: 404;
- a role without the permission: 403 (or 404 for an object outside its scope)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socorg.core import workflow
from socorg.core.models import User
from tests.architecture import matrix
from tests.architecture.conftest import PDF, World

PUBLIC_OPERATIONS = {
    ("post", "/api/v1/name-check"),  # the public name check (名称查重)
    ("post", "/api/v1/complaints"),  # the public complaint intake (投诉举报)
    ("get", "/api/v1/complaints/track/{code}"),  # progress by tracking code
    # the random-inspection plans' verification bundles (anyone recomputes the draw)
    ("get", "/api/v1/inspection-plans"),
    ("get", "/api/v1/inspection-plans/{id}"),
    ("get", "/api/v1/inspection-plans/{id}/results"),  # the published results (RI-6)
}
METHODS = ("get", "post", "put", "patch", "delete")
STALE = "matrix-probe"  # an expected_state no item is ever in


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def public(self) -> bool:
        return not self.spec.get("security")

    @property
    def permission(self) -> str | None:
        return self.spec.get("x-permission")

    @property
    def process(self) -> workflow.Process | None:
        """The process of a workflow transition route (``POST /<process>/{id}/transitions``)."""
        parts = self.path.removeprefix("/api/v1/").split("/")
        if self.method == "post" and parts[-1] == "transitions":
            return workflow.all_processes().get(parts[0])
        return None


def _operations(schema: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method, path, spec)
        for path, item in schema["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


def _schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_requires_authentication_unless_public(client, db) -> None:
    unguarded = sorted(
        (op.method, op.path)
        for op in _operations(_schema(client))
        if op.public and (op.method, op.path) not in PUBLIC_OPERATIONS
    )
    assert unguarded == []


def test_every_guarded_operation_declares_its_permission(client, db) -> None:
    undeclared = sorted(
        op.key for op in _operations(_schema(client)) if not op.public and not op.permission
    )
    assert undeclared == [], "declare openapi_extra=core.api.permission(...) on these"


# --- request bodies ---------------------------------------------------------------------------


class Bodies:
    """The smallest valid body of an operation, built from its schema: required fields only,
    each with the first value its type allows."""

    def __init__(self, schema: dict[str, Any], world: World) -> None:
        self.components = schema.get("components", {}).get("schemas", {})
        # Fields whose format a pattern fixes: a value of the near side.
        self.values = {"jurisdiction": world.near.jurisdiction.code}

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def sample(self, node: dict[str, Any], name: str = "") -> Any:
        node = self._deref(node)
        if "enum" in node:
            return node["enum"][0]
        if "const" in node:
            return node["const"]
        for combinator in ("allOf", "anyOf", "oneOf"):
            if combinator in node:
                options = [o for o in node[combinator] if self._deref(o).get("type") != "null"]
                return self.sample(options[0], name)
        kind = node.get("type")
        if kind == "object":
            props = node.get("properties", {})
            return {key: self.sample(props[key], key) for key in node.get("required", [])}
        if kind == "array":
            return []
        if kind == "integer":
            return max(int(node.get("minimum", 1)), 1)
        if kind == "number":
            return 1
        if kind == "boolean":
            return False
        if node.get("format") == "binary":
            return SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")
        if node.get("format") == "date":
            return "2020-01-01"
        if node.get("format") == "date-time":
            return "2020-01-01T00:00:00+08:00"
        return self.values.get(name, "x")

    def body(self, op: Operation) -> tuple[str, dict[str, Any]] | None:
        """(content type, body) or ``None`` for an operation without a body."""
        content = op.spec.get("requestBody", {}).get("content", {})
        for content_type, media in content.items():
            return content_type, self.sample(media["schema"])
        return None


def _action_for(process: workflow.Process, user: User | None) -> workflow.Action | None:
    role = user.role if user else None
    return next((act for act in process.actions if role in act.roles), None)


# --- the matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    url: str
    body: tuple[str, dict[str, Any]] | None
    in_scope: bool


def _cases(op: Operation, world: World, bodies: Bodies, user: User | None) -> Iterator[Case]:
    """The operation with every parameter near, then each one far in turn. Parameters: the path
    parameters, and required body fields the table names (the object a POST acts on)."""
    path_params = {
        name: fill for name, (_before, fill) in matrix.route_parameters(op.path).items() if fill
    }

    def build(far: str | None) -> Case:
        url = op.path
        for name, fill in path_params.items():
            url = url.replace(f"{{{name}}}", matrix.value(world, fill, near=name != far, user=user))
        body = bodies.body(op)
        if body is not None:
            content_type, data = body
            for name in list(data):
                if name in matrix.PARAMETERS:
                    fill = matrix.PARAMETERS[name]
                    data[name] = matrix.value(world, fill, near=name != far, user=user)
            if op.process is not None:
                act = _action_for(op.process, user) or op.process.actions[0]
                data.update(action=act.name, expected_state=STALE)
        return Case(url, body, in_scope=far is None)

    yield build(None)
    body = bodies.body(op)
    body_refs = [n for n in (body[1] if body else {}) if n in matrix.PARAMETERS]
    for name in [*path_params, *body_refs]:
        yield build(name)


def _call(client: Client, op: Operation, case: Case) -> Any:
    if op.method == "get":
        return client.get(case.url)
    call = getattr(client, op.method)
    if case.body is None:
        return call(case.url)
    content_type, data = case.body
    if content_type.startswith("multipart/"):
        return call(case.url, data)
    return call(case.url, json.dumps(data), content_type=content_type)


def _verdict(op: Operation, user: User | None, case: Case, status: int) -> tuple[bool, str]:
    if op.public:
        return status < 500 and status not in (401, 403, 404), "any answer but a refusal"
    if user is None:
        return status == 401, "401"
    perm = op.permission
    if perm is None:
        return False, "an x-permission declaration"
    if not matrix.holds(user, perm):
        return status in matrix.WRONG_ROLE, "403/404 (role lacks the permission)"
    if not case.in_scope:
        return status in matrix.OUT_OF_SCOPE, "404 (out of scope)"
    if op.process is not None and _action_for(op.process, user) is None:
        return status == 403, "403 (no action of the process for this role)"
    return status in matrix.API_ALLOWED, f"{sorted(matrix.API_ALLOWED)} (allowed)"


def test_every_role_calls_exactly_the_operations_its_permissions_and_scope_allow(
    world: World, request, caplog
) -> None:
    caplog.set_level(logging.ERROR, logger="django.request")  # a refusal per case is the point
    anonymous = Client()
    schema = _schema(anonymous)
    operations = _operations(schema)
    bodies = Bodies(schema, world)
    tally = matrix.Tally("api")
    for op in operations:
        for problem in matrix.unfilled(op.path, matrix.route_parameters(op.path)):
            tally.check(op.key, False, problem)
    cast: list[User | None] = [None, *world.users.values()]
    for user in cast:
        client = Client()
        if user is not None:
            client.force_login(user)
        who = "anonymous" if user is None else user.role
        for op in operations:
            for case in _cases(op, world, bodies, user):
                response = _call(client, op, case)
                ok, expected = _verdict(op, user, case, response.status_code)
                scope = "in scope" if case.in_scope else "out of scope"
                tally.check(
                    op.key,
                    ok,
                    f"{who}: {op.method.upper()} {case.url} ({op.permission or 'public'}, "
                    f"{scope}) answered {response.status_code}, expected {expected}",
                )
    tally.report(request)
    assert len(tally.routes) == len(operations)
    assert tally.failures == [], matrix.summary(tally.failures)
