"""Every page, generated from the URL configuration, opened by every role of the cast and by
the anonymous visitor, with an object in scope and one out of scope for every parameter.

A page declares its permission with ``core.decorators.staff_view(perm)``. Expected:

- a role holding ``perm`` (``core.access.PERMISSIONS``) gets the page for the object in its
  scope (200; a POST-only action answers an empty form and a complete one naming no action with
  200, 302 or 400) and 404 for the object outside it, whatever the form;
- a role without ``perm`` gets 403 (or 404 for an object outside its scope);
- the anonymous visitor is sent to the login page.

A page that declares no permission must be listed in PUBLIC_OR_SELF_GUARDED with the reason,
so no view slips through. Parameters are filled through ``matrix.PARAMETERS``; a route with a
parameter not in that table fails."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from socorg.core.models import User
from tests.architecture import matrix
from tests.architecture.conftest import World

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed in"  # every signed-in user, for their own things

# Views that declare no staff permission, and why that is right.
PUBLIC_OR_SELF_GUARDED = {
    "login": (PUBLIC, "the login page itself"),
    "logout": (PUBLIC, "ends the caller's own session"),
    "set_language": (PUBLIC, "language preference"),
    "login_totp": (PUBLIC, "second login step of the caller"),
    "complaint_file": (PUBLIC, "the public's complaint form (投诉举报), anonymous allowed"),
    "complaint_filed": (PUBLIC, "the tracking code of the filer's own complaint (their session)"),
    "complaint_track": (PUBLIC, "progress by tracking code: state, dates and the reply only"),
    "home": (SIGNED_IN, "everyone's own worklist; content is scoped per role"),
    "account_security": (SIGNED_IN, "the caller's own account settings"),
    "password_change": (SIGNED_IN, "the caller's own password"),
    "task_progress": (SIGNED_IN, "the caller's own background job; others get 404"),
    "notice_list": (SIGNED_IN, "the caller's own in-app notices"),
    "notice_open": (SIGNED_IN, "marks one of the caller's own notices read; others are not found"),
}
# URL namespaces with their own guard: the JSON API (its own matrix, test_api_access) and
# Django's admin site (staff accounts only: checked below as one route).
OWN_MATRIX = {"api", "admin"}
# The forms a POST-only action gets: an empty one, and a complete one naming no action (it
# reaches the workflow engine's access check and changes nothing). Both must meet the same
# guard: an item outside the caller's scope does not exist for them, whatever the input.
PROBES = {
    "POST (empty form)": {},
    "POST (probe form)": {
        "action": "matrix-probe",
        "expected_state": "matrix-probe",
        "comment": "",
    },
}


@dataclass(frozen=True)
class Page:
    route: str
    name: str
    view: Any

    @property
    def short_name(self) -> str:
        return self.name.split(":")[-1]

    @property
    def guard(self) -> tuple[str, str]:
        """(kind, permission): ``("perm", "registry.view")``, or a PUBLIC_OR_SELF_GUARDED kind."""
        perm = getattr(self.view, "required_perm", None)
        if perm:
            return "perm", perm
        kind, _reason = PUBLIC_OR_SELF_GUARDED.get(self.short_name, ("undeclared", ""))
        return kind, ""


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in OWN_MATRIX:
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name, p.callback


def pages() -> list[Page]:
    return [
        Page(route, name, view)
        for route, name, view in _walk(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(settings.STATIC_URL.strip("/"))
    ]


def test_every_page_declares_who_may_open_it() -> None:
    undeclared = sorted(
        page.name or page.route for page in pages() if page.guard[0] == "undeclared"
    )
    assert undeclared == []


def test_every_page_without_a_permission_still_exists() -> None:
    names = {page.short_name for page in pages()}
    assert set(PUBLIC_OR_SELF_GUARDED) - names == set(), "remove stale entries"


def test_a_parameter_without_a_fixture_fails_the_matrix() -> None:
    for route in ("widgets/<int:pk>/", "/api/v1/widget/{id}/transitions"):
        problems = matrix.unfilled(route, matrix.route_parameters(route))
        assert len(problems) == 1 and route in problems[0] and "widget" in problems[0]


# --- the matrix -------------------------------------------------------------------------------


def _url(page: Page, values: dict[str, str]) -> str:
    if page.name:
        return reverse(page.name, kwargs=values)
    url = page.route
    for name, value in values.items():
        url = matrix.PARAMETER.sub(lambda m, n=name, v=value: v if n in m.groups() else m[0], url)
    return "/" + url.lstrip("^").rstrip("$")


def _cases(page: Page, world: World, user: User | None) -> Iterator[tuple[str, bool]]:
    """(url, in scope) for the page: every parameter near, then each one far in turn."""
    params = matrix.route_parameters(page.route)
    fills = {name: fill for name, (_before, fill) in params.items() if fill is not None}
    near = {n: matrix.value(world, f, near=True, user=user) for n, f in fills.items()}
    yield _url(page, near), True
    for name, fill in fills.items():
        yield _url(page, {**near, name: matrix.value(world, fill, near=False, user=user)}), False


def _open(client: Client, url: str) -> list[tuple[str, Any]]:
    response = client.get(url)
    if response.status_code == 405:  # a POST-only action
        return [(method, client.post(url, form)) for method, form in PROBES.items()]
    return [("GET", response)]


def _sent_to_login(response: Any) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(login)


def _refused_out_of_scope(status: int, response: Any) -> bool:
    """Out of scope is refused: 404, or (a page about something that exists elsewhere) 403 with
    the page saying it lies outside the user's data scope."""
    if status in matrix.OUT_OF_SCOPE:
        return True
    return status == 403 and "不在您的数据范围内" in response.content.decode()


def _verdict(
    page: Page, user: User | None, in_scope: bool, method: str, response: Any
) -> tuple[bool, str]:
    """Whether the answer is the expected one, and what was expected."""
    kind, perm = page.guard
    status = response.status_code
    if kind == PUBLIC:
        return status < 500 and status not in (401, 403, 404), "any answer but a refusal"
    if user is None:
        return _sent_to_login(response), "the login page"
    if kind == SIGNED_IN or matrix.holds(user, perm):
        if not in_scope:
            return _refused_out_of_scope(status, response), "404, or 403 saying so (out of scope)"
        allowed = matrix.PAGE_ALLOWED_GET if method == "GET" else matrix.PAGE_ALLOWED_POST
        return status in allowed, f"{sorted(allowed)} (allowed)"
    return status in matrix.WRONG_ROLE, "403/404 (role lacks the permission)"


def _signed_in(client: Client, user: User | None) -> None:
    """Sign the client in again after a page that signs out (logout)."""
    if user is not None and "_auth_user_id" not in client.session:
        client.force_login(user)


def test_every_role_opens_exactly_the_pages_its_permissions_and_scope_allow(
    world: World, request, caplog
) -> None:
    caplog.set_level(logging.ERROR, logger="django.request")  # a refusal per case is the point
    tally = matrix.Tally("pages")
    routes = pages()
    for page in routes:
        for problem in matrix.unfilled(page.route, matrix.route_parameters(page.route)):
            tally.check(page.route, False, problem)
    cast: list[User | None] = [None, *world.users.values()]
    for user in cast:
        client = Client()
        who = "anonymous" if user is None else user.role
        for page in routes:
            for url, in_scope in _cases(page, world, user):
                _signed_in(client, user)
                for method, response in _open(client, url):
                    ok, expected = _verdict(page, user, in_scope, method, response)
                    scope = "in scope" if in_scope else "out of scope"
                    tally.check(
                        page.route,
                        ok,
                        f"{who}: {method} {url} ({page.name}, {page.guard[1] or page.guard[0]}, "
                        f"{scope}) answered {response.status_code}, expected {expected}",
                    )
        # The admin site is for staff accounts (is_staff), which no role of the cast is.
        admin = client.get(reverse("admin:index"))
        tally.check(
            "admin/",
            admin.status_code == 302 and "/admin/login/" in admin["Location"],
            f"{who}: GET /admin/ answered {admin.status_code}, expected the admin login",
        )
    tally.report(request)
    assert len(tally.routes) == len({p.route for p in routes}) + 1
    assert tally.failures == [], matrix.summary(tally.failures)
