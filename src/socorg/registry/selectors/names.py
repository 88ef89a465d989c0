"""Reads for names: the jurisdictions a name is parsed with and its registration authority is
found from. Public data (the name check is a public service), so no user scope applies."""

from __future__ import annotations

from django.db.models import Q

from socorg.core.models import Jurisdiction, JurisdictionLevel
from socorg.registry.rules.names import JurisdictionRow


def jurisdiction_rows(code: str) -> list[JurisdictionRow]:
    """The jurisdictions a name registered in ``code`` is parsed with (``region_names``) and
    its authority found from: its province and everything in its city but streets; one indexed
    prefix query (see ``rules.names``)."""
    rows = Jurisdiction.objects.filter(Q(code__startswith=code[:4]) | Q(code=code[:2] + "0000"))
    rows = rows.exclude(level=JurisdictionLevel.STREET)
    return list(rows.values_list("code", "name", "level"))


def all_jurisdiction_rows() -> list[JurisdictionRow]:
    """Every jurisdiction but streets, for computing the regions of many names at once."""
    rows = Jurisdiction.objects.exclude(level=JurisdictionLevel.STREET)
    return list(rows.values_list("code", "name", "level"))
