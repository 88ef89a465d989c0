"""Template filters of the credit pages: a listing's evidence as readable lines."""

from __future__ import annotations

from typing import Any

from django import template

from socorg.supervision.rules import listings

register = template.Library()


@register.filter
def evidence_lines(evidence: Any) -> list[tuple[str, str]]:
    """``{% for label, value in listing.evidence|evidence_lines %}``."""
    return listings.evidence_lines(evidence if isinstance(evidence, dict) else {})
