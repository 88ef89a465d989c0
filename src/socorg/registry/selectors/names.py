"""Reads for names: the jurisdictions a name is parsed with and its registration authority is
found from. Public data (the name check is a public service), so no user scope applies."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from socorg.core.db import CompiledQuery
from socorg.core.models import Jurisdiction, JurisdictionLevel
from socorg.registry.rules.names import JurisdictionRow


def jurisdiction_rows(code: str) -> list[JurisdictionRow]:
    """The jurisdictions a name registered in ``code`` is parsed with (``region_names``) and
    its authority found from: its province and everything in its city but streets; one indexed
    query on the code (GB/T 2260 codes are digits, so the codes that start with the city's four
    are those from it up to the next city's; see ``rules.names``), compiled once: every name
    check makes it."""
    city = code[:4]
    following = f"{int(city) + 1:04d}" if city.isdigit() else city + "\uffff"
    return _AUTHORITY_ROWS.rows(city=city, following=following, province=code[:2] + "0000")


def _authority_rows(*, city: str, following: str, province: str) -> QuerySet[Jurisdiction, Any]:
    rows = Jurisdiction.objects.filter(
        Q(code__gte=city, code__lt=following) | Q(code=province)
    ).exclude(level=JurisdictionLevel.STREET)
    return rows.values_list("code", "name", "level")


_AUTHORITY_ROWS = CompiledQuery(_authority_rows)


def all_jurisdiction_rows() -> list[JurisdictionRow]:
    """Every jurisdiction but streets, for computing the regions of many names at once."""
    rows = Jurisdiction.objects.exclude(level=JurisdictionLevel.STREET)
    return list(rows.values_list("code", "name", "level"))
