"""Rule parameters: every number in RULES.md, dated and per jurisdiction.

``param("RI-3.ratio.city")`` returns the value in force today for the installation's home
jurisdiction; a jurisdiction's own row overrides the national default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from socorg.core.models import Jurisdiction, RuleParameter


class MissingParameter(LookupError):
    pass


@dataclass(frozen=True)
class ParamValue:
    value: Any
    rule_id: str
    source: str
    effective_from: date


def param_value(key: str, *, on: date | None = None, jurisdiction: Jurisdiction | None = None) -> ParamValue:
    on = on or timezone.localdate()
    rows = RuleParameter.objects.filter(key=key, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )
    chain: list[int | None] = [None]
    node = jurisdiction
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    candidates = [r for r in rows if r.jurisdiction_id in chain]
    if not candidates:
        raise MissingParameter(f"no rule parameter {key!r} in force on {on}")
    # Most specific jurisdiction first, then the latest start.
    best = max(candidates, key=lambda r: (chain.index(r.jurisdiction_id), r.effective_from))
    return ParamValue(best.value, best.rule_id, best.source, best.effective_from)


def param(key: str, *, on: date | None = None, jurisdiction: Jurisdiction | None = None) -> Any:
    return param_value(key, on=on, jurisdiction=jurisdiction).value
