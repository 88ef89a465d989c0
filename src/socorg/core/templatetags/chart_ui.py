"""Charts of the pages: the data a chart draws, handed to ``static/socorg/app.js`` through
``json_script`` (no inline script). Every chart sits beside a table or cards that carry the
same figures in words, for those who cannot see it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext

from socorg.core.templatetags.state_ui import state_meaning

register = template.Library()


@register.filter
def chart_points(items: Iterable[Any], fields: str) -> list[dict[str, Any]]:
    """``{{ cards|chart_points:"label,count,status" }}``: one point per item, its name, its
    value and (optionally) the meaning of its state, which colours the bar."""
    name, value, *state = fields.split(",")
    points = []
    for item in items:
        point: dict[str, Any] = {"name": str(getattr(item, name)), "value": getattr(item, value)}
        if state:
            point["meaning"] = state_meaning(getattr(item, state[0]))
        points.append(point)
    return points


@register.filter
def chart_stack(items: Iterable[Any], spec: str) -> dict[str, Any]:
    """``{{ groups|chart_stack:"name;overdue_count:已逾期:refused;due_soon_count:即将到期:waiting" }}``:
    one stacked bar per item, one series per ``field:label:meaning``; the label is a message of
    the catalogue, shown in the reader's language."""
    name, *series = spec.split(";")
    rows = list(items)
    return {
        "categories": [str(getattr(row, name)) for row in rows],
        "series": [
            {
                "name": gettext(label),
                "meaning": meaning,
                "data": [getattr(row, field) for row in rows],
            }
            for field, label, meaning in (part.split(":") for part in series)
        ],
    }
