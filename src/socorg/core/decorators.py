"""View decorators. ``staff_view(perm)`` is the one way a page declares who may open it; the
access-matrix test reads ``required_perm`` from every view in the URL configuration."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from socorg.core import access
from socorg.core.models import User

View = Callable[..., HttpResponse]


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request that passed ``staff_view`` (or another login check)."""
    return cast(User, request.user)


def staff_view(perm: str) -> Callable[[View], View]:
    """Login required (anonymous → login page), then ``perm`` required (→ 403)."""
    if perm not in access.PERMISSIONS:
        raise ValueError(f"unknown permission {perm!r}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access.require_perm(request_user(request), perm)
            return view(request, *args, **kwargs)

        wrapper.required_perm = perm  # type: ignore[attr-defined]
        return wrapper

    return decorate
