"""Template helpers of the registration pages, and of the registry pages that link to them."""

from __future__ import annotations

from typing import Any

from django import template

from socorg.core import access

register = template.Library()


@register.filter
def may(user: Any, perm: str) -> bool:
    """``{% if user|may:"principals.submit" %}``: the user's role holds ``perm``."""
    return access.has_perm(user, perm)
