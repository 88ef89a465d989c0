"""The pages inside a face (the second row of the top bar). The core owns the bar but knows
none of the pages: each app registers its face's pages from its ``AppConfig.ready``. A page is
shown to a user only when the permission its view declares (``staff_view``) allows it, so the
menu never offers a page that would answer 403."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, resolve, reverse
from django_stubs_ext import StrOrPromise

from socorg.core import access
from socorg.core.models import User


@dataclass(frozen=True)
class FacePage:
    label: StrOrPromise
    url_name: str
    icon: str
    # Besides the view's permission: for whom the page belongs in the menu (an organization's
    # own page and the staff's list of the same things need not both be offered).
    shown: Callable[[User], bool] | None = None


@dataclass(frozen=True)
class MenuItem:
    label: StrOrPromise
    url: str
    icon: str
    active: bool


_PAGES: dict[str, list[FacePage]] = {}


def register_face_pages(face: str, pages: list[FacePage]) -> None:
    """Add ``pages`` to ``face``'s row, in order; registering a page again changes nothing."""
    row = _PAGES.setdefault(face, [])
    row.extend(page for page in pages if page not in row)


def page_url(url_name: str) -> tuple[str, str | None] | None:
    """The page's URL and the permission its view declares; None while the page is not built."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return None
    path = "/" + url.removeprefix(get_script_prefix())
    return url, getattr(resolve(path).func, "required_perm", None)


def face_menu(user: User, face: str, path: str) -> list[MenuItem]:
    """The pages of ``face`` that ``user`` may open; the one ``path`` is under is active (the
    longest match, so a list's detail pages keep their list lit)."""
    visible: list[tuple[FacePage, str]] = []
    for page in _PAGES.get(face, []):
        found = page_url(page.url_name)
        if found is None:
            continue
        url, perm = found
        if page.shown is not None and not page.shown(user):
            continue
        if perm is None or access.has_perm(user, perm):
            visible.append((page, url))
    under = [url for _, url in visible if path.startswith(url)]
    current = max(under, key=len) if under else ""
    return [MenuItem(page.label, url, page.icon, url == current) for page, url in visible]
