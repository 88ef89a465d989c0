"""Template helpers of the registration pages, and of the registry pages that link to them."""

from __future__ import annotations

from typing import Any

from django import template

from socorg.core import access
from socorg.registration.rules import principals

register = template.Library()


@register.filter
def id_numbers_for(value: Any, user: Any) -> Any:
    """``{{ text|id_numbers_for:user }}``: resident ID numbers masked unless ``user`` vets people."""
    if value is None or value == "":
        return value
    return access.id_numbers_for(user, str(value))


@register.filter
def may(user: Any, perm: str) -> bool:
    """``{% if user|may:"principals.submit" %}``: the user's role holds ``perm``."""
    return access.has_perm(user, perm)


@register.filter
def finding_message(finding: Any) -> str:
    """``{{ f|finding_message }}``: a stored eligibility finding in the page's language."""
    return principals.finding_message(finding) if isinstance(finding, dict) else str(finding)
