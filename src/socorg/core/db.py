"""The one seam for database-specific features, with an SQLite equivalent for each."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def name_contains(qs: QuerySet, field: str, term: str) -> QuerySet:
    """Substring match on a name. On PostgreSQL ``LIKE '%term%'`` is served by a pg_trgm GIN
    index; on SQLite by a plain LIKE (adequate for a county-sized registry)."""
    return qs.filter(**{f"{field}__contains": term})
