"""Template helpers of the liaison pages."""

from __future__ import annotations

from django import template

from socorg.party.rules.liaisons import phone_masked

register = template.Library()


@register.filter(name="phone_masked")
def phone_masked_filter(value: str) -> str:
    """A contact number as broad lists show it (138****5678)."""
    return phone_masked(value or "")
