"""Template helpers of the principal vetting and term-transition pages."""

from __future__ import annotations

from typing import Any

from django import template

from socorg.core import access

register = template.Library()


@register.filter
def may(user: Any, perm: str) -> bool:
    """``{% if user|may:"principals.submit" %}``: the user's role holds ``perm``."""
    return access.has_perm(user, perm)
