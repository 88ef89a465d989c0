"""Every read of the registry that a view or the API needs, always through the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from socorg.core import access
from socorg.core.db import name_contains
from socorg.core.models import User
from socorg.registry.models import Organization
from socorg.registry.rules import normalize_uscc

COUNT_CAP = 10_000


@dataclass(frozen=True)
class OrganizationFilters:
    q: str = ""
    uscc: str = ""
    org_type: str = ""
    level: str = ""
    jurisdiction: str = ""  # GB/T 2260 code; includes its subtree
    status: str = ""
    category: str = ""
    supervisory_unit: str = ""  # department code
    sort: str = "name"


SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "established_on": ("established_on", "id"),
    "-established_on": ("-established_on", "-id"),
    "uscc": ("uscc",),
    "-uscc": ("-uscc",),
}


def organization_search(user: User, filters: OrganizationFilters) -> QuerySet[Organization]:
    """Organizations in the user's scope matching the filters, sorted."""
    qs = access.scope_organizations(user)
    if filters.uscc:
        qs = qs.filter(uscc=normalize_uscc(filters.uscc))
    if filters.q.strip():
        qs = name_contains(qs, "name", filters.q.strip())
    for field, value in (
        ("org_type", filters.org_type),
        ("level", filters.level),
        ("status", filters.status),
        ("category", filters.category),
        ("supervisory_unit__code", filters.supervisory_unit),
    ):
        if value:
            qs = qs.filter(**{field: value})
    if filters.jurisdiction:
        qs = qs.filter(jurisdiction__path__contains=f"/{filters.jurisdiction}/")
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, exact). Counts above ``cap`` are reported as ``cap`` with exact=False."""
    n = qs.order_by()[: cap + 1].count()
    return (cap, False) if n > cap else (n, True)
