"""Every protected page, generated from the URL configuration, opened by every role.

A page declares its permission with ``core.decorators.staff_view(perm)``; the roles holding that
permission in ``core.access.PERMISSIONS`` must get the page, every other role a 403 (or a 404 for
an object outside its scope), and the anonymous visitor the login page. A page that declares no
permission must be listed in PUBLIC_OR_SELF_GUARDED with the reason, so no view slips through."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from socorg.core import access
from socorg.core.models import Role

# Views that declare no staff permission, and why that is right.
PUBLIC_OR_SELF_GUARDED = {
    "login": "the login page itself",
    "logout": "ends the caller's own session",
    "home": "everyone's own worklist; content is scoped per role",
    "set_language": "language preference",
    "account_security": "the caller's own account settings",
    "login_totp": "second login step of the caller",
    "task_progress": "the caller's own background job; others get 404",
}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in {"admin", "api"}:
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name, p.callback


def protected_pages() -> list[tuple[str, str, str]]:
    pages = []
    for route, name, view in _walk(get_resolver().url_patterns):
        perm = getattr(view, "required_perm", None)
        if perm:
            pages.append((route, name, perm))
    return pages


def test_every_page_declares_who_may_open_it() -> None:
    undeclared = sorted(
        name or route
        for route, name, view in _walk(get_resolver().url_patterns)
        if not getattr(view, "required_perm", None)
        and name.split(":")[-1] not in PUBLIC_OR_SELF_GUARDED
        and not route.lstrip("^").startswith("static")
    )
    assert undeclared == []


@pytest.fixture
def correction(city, role_users):
    from socorg.registry.services import correction_propose

    return correction_propose(
        actor=role_users[Role.REGISTRAR],
        organization=city.edu_org,
        changes={"domicile": "日照市东港区学苑路8号"},
        reason="住所门牌号登记有误",
    )


# Objects behind integer ids, by route prefix; routes with ids not listed here are skipped.
PK_OBJECTS = {"registry/corrections/": "correction"}


def _fill(route: str, city, objects: dict[str, Any] | None = None) -> str:
    """Fill route parameters with an object every scoped role can reach: the 教育学会 lies in the
    city, is supervised by 市教育局 and is the organization account's own organization."""
    values = {
        "uscc": city.edu_org.uscc,
        "key": city.edu_org.uscc,
        "code": city.edu.code,
    }
    for prefix, name in PK_OBJECTS.items():
        if objects and route.startswith(prefix) and name in objects:
            values["pk"] = objects[name].pk
    out = route
    for converter in ("<str:", "<slug:", "<"):
        while converter in out:
            start = out.index(converter)
            end = out.index(">", start)
            param = out[start:end].split(":")[-1].lstrip("<")
            if param not in values:
                return ""
            out = out[:start] + str(values[param]) + out[end + 1 :]
    return "/" + out.lstrip("^").rstrip("$")


@pytest.mark.parametrize("role", list(Role))
def test_only_intended_roles_open_each_protected_page(
    client, city, role_users, correction, role
) -> None:
    user = role_users[role]
    client.force_login(user)
    checked = 0
    for route, name, perm in protected_pages():
        url = _fill(route, city, {"correction": correction})
        if not url:
            continue
        status = client.get(url).status_code
        if status == 405:  # a POST-only action: an empty POST still meets the permission gate
            status = client.post(url).status_code
        allowed = role in access.PERMISSIONS[perm]
        if allowed:
            # A POST-only action answers an empty form with a redirect or a refusal of the input.
            assert status in (200, 302, 400), f"{role} should open {name} ({url}), got {status}"
        else:
            assert status in (403, 404), f"{role} must not open {name} ({url}), got {status}"
        checked += 1
    assert checked > 0


def test_anonymous_visitor_is_sent_to_login_from_every_protected_page(client, city) -> None:
    for route, name, _perm in protected_pages():
        url = _fill(route, city)
        if not url:
            continue
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], name
