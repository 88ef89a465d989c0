"""The second row of the top bar: the pages inside the face the page belongs to."""

from __future__ import annotations

from typing import Any

from django import template

from socorg.core.navigation import MenuItem, face_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def face_pages(context: template.Context, face: str = "") -> list[MenuItem]:
    """The pages of ``face`` (default: the page's ``active_face``) that the user may open; a
    face with fewer than two such pages has no row."""
    request: Any = context.get("request")
    user = getattr(request, "user", None)
    face = face or context.get("active_face") or ""
    if request is None or user is None or not user.is_authenticated or not face:
        return []
    items = face_menu(user, face, request.path)
    return items if len(items) > 1 else []
