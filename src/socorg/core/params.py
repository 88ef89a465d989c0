"""Rule parameters: every number in RULES.md, dated and per jurisdiction — the one lookup.

``param("RI-3.ratio.city")`` returns the value in force today for the installation's home
jurisdiction (``settings.SOCORG_HOME_JURISDICTION``); pass ``on`` for another day and
``jurisdiction`` for another jurisdiction. The most specific jurisdiction wins (a county's own
row over its city's over the national default, which has no jurisdiction); among rows of the
same jurisdiction the latest start in force wins. A row stops applying after its
``effective_to``.

There is no fallback in code: a parameter without a row in force raises
:class:`MissingParameter`. The national defaults (``socorg.core.rule_defaults``) are loaded by
``socorg migrate`` and ``socorg demo load``, and the system check of ``socorg run``
(``socorg.core.checks``) refuses to start when a parameter the code needs is missing."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from socorg.core.models import Jurisdiction, RuleParameter


class MissingParameter(LookupError):
    """No row of the parameter is in force; the bureau must add one (a configuration error)."""


@dataclass(frozen=True)
class ParamValue:
    value: Any
    rule_id: str
    source: str
    effective_from: date


def _home_jurisdiction() -> Jurisdiction | None:
    return Jurisdiction.objects.filter(code=settings.SOCORG_HOME_JURISDICTION).first()


def _chain(jurisdiction: Jurisdiction | None) -> list[int | None]:
    """Jurisdiction ids from the national default (None) down to ``jurisdiction``."""
    chain: list[int | None] = []
    node = jurisdiction
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    return [None, *reversed(chain)]


def param_value(
    key: str, *, on: date | None = None, jurisdiction: Jurisdiction | None = None
) -> ParamValue:
    """The row of ``key`` in force on ``on`` (today) for ``jurisdiction`` (the home one), with
    its rule and source; :class:`MissingParameter` when there is none."""
    on = on or timezone.localdate()
    chain = _chain(jurisdiction or _home_jurisdiction())
    rows = RuleParameter.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
        key=key,
        effective_from__lte=on,
    )
    candidates = [r for r in rows if r.jurisdiction_id in chain]
    if not candidates:
        raise missing_parameter(key, on)
    best = max(candidates, key=lambda r: (chain.index(r.jurisdiction_id), r.effective_from))
    return ParamValue(best.value, best.rule_id, best.source, best.effective_from)


def missing_parameter(key: str, on: date) -> MissingParameter:
    return MissingParameter(
        f"规则参数“{key}”在 {on} 没有有效取值，请在规则参数中补充（国家默认值由 socorg migrate 载入）。"
    )


def param_values_for_code(keys: Collection[str], *, on: date, code: str) -> dict[str, ParamValue]:
    """The rows of ``keys`` in force on ``on`` for the jurisdiction whose GB/T 2260 code is
    ``code``, with the same precedence as ``param_value``, its chain found by the code (province
    XX0000, city XXYY00, the code's own six digits) instead of by parents: one query for all the
    keys. A key without a row in force is absent (``missing_parameter`` says so)."""
    path = list(dict.fromkeys((code[:2] + "0000", code[:4] + "00", code[:6])))
    rows = RuleParameter.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
        Q(jurisdiction__isnull=True) | Q(jurisdiction__code__in=path),
        key__in=list(keys),
        effective_from__lte=on,
    ).values_list("key", "value", "rule_id", "source", "effective_from", "jurisdiction__code")
    best: dict[str, tuple[tuple[int, date], ParamValue]] = {}
    for key, value, rule_id, source, start, where in rows:
        rank = (0 if where is None else 1 + path.index(where), start)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, ParamValue(value, rule_id, source, start))
    return {key: found for key, (_rank, found) in best.items()}


def param(key: str, *, on: date | None = None, jurisdiction: Jurisdiction | None = None) -> Any:
    """The value of ``key`` in force on ``on`` (today) for ``jurisdiction`` (the home one)."""
    return param_value(key, on=on, jurisdiction=jurisdiction).value
