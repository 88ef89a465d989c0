"""``CompiledQuery``: a read compiled once by the ORM returns what the ORM returns, each time
with the new values, and refuses values it cannot bind unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from socorg.core.db import CompiledQuery
from socorg.registry.models import Organization, OrgStatus
from tests import factories as f


def _by_name(*, name: str, status: str):
    rows = Organization.objects.filter(name=name, status=status)
    return rows.values_list("name", "removed_on", "jurisdiction__code")


def test_rows_are_the_orms_with_the_values_of_each_call(city) -> None:
    f.organization(
        where=city.city, name="日照市慈善基金会", status=OrgStatus.REVOKED, org_type="foundation"
    )
    query = CompiledQuery(_by_name)
    for name, status in (
        ("日照市慈善基金会", OrgStatus.REVOKED),
        ("日照市物流协会", OrgStatus.REGISTERED),
        ("日照市物流协会", OrgStatus.REVOKED),
    ):
        assert query.rows(name=name, status=status) == list(_by_name(name=name, status=status))
    assert query.rows(name="日照市慈善基金会", status=OrgStatus.REVOKED) == [
        ("日照市慈善基金会", date(2021, 3, 1), "371100")  # a date on SQLite too
    ]


def test_a_value_the_sql_does_not_hold_unchanged_is_refused(db) -> None:
    query = CompiledQuery(lambda *, prefix: Organization.objects.filter(name__startswith=prefix))
    with pytest.raises(ValueError, match="prefix"):
        query.rows(prefix="日照")
