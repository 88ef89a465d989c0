"""The database seam keeps results identical to the plain queries, whichever shortcut it takes
(on SQLite there is none), and keeps the name index in step with the table."""

from __future__ import annotations

import pytest
from django.db import connection, models

from socorg.core.db import (
    SearchPlan,
    bounded_ordered,
    count_up_to,
    name_contains,
    repair_name_indexes,
)
from socorg.registry.models import Organization
from tests import factories as f
from tests.registry.search.conftest import Registry

pytestmark = pytest.mark.django_db

SLICES = [slice(0, 2), slice(2, 5), slice(4, 9), slice(0, 100), slice(7, 8), slice(50, 60)]


def plain() -> models.QuerySet[Organization]:
    return Organization.objects.filter(name__contains="日照市").order_by("name", "id")


def page_ids(qs: models.QuerySet[Organization], k: slice) -> list[int]:
    return [o.pk for o in qs.select_related("jurisdiction")[k]]


@pytest.mark.parametrize("cap", [3, 8, 1000])
@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("plan", [None, SearchPlan.INDEX, SearchPlan.WALK])
def test_bounded_reads_page_and_count_like_the_plain_query(
    registry: Registry, cap: int, split: bool, plan: SearchPlan | None
) -> None:
    """Whichever read is chosen (or forced): along the name-order index, or per jurisdiction
    along (jurisdiction, name, id) when a condition names the jurisdictions."""
    areas = list(Organization.objects.values_list("jurisdiction_id", flat=True).distinct())
    for order in (("name", "id"), ("-name", "-id")):
        expected = plain().order_by(*order)
        if split:
            expected = expected.filter(jurisdiction_id__in=areas)
        bounded = bounded_ordered(expected, cap=cap, plan=plan)
        assert [o.pk for o in bounded] == [o.pk for o in expected]
        for k in SLICES:
            assert page_ids(bounded, k) == page_ids(expected, k), (order, k)
        total = expected.count()
        assert count_up_to(bounded, cap + 1) == min(total, cap + 1)
        assert count_up_to(bounded, 2) == min(total, 2)
        assert count_up_to(bounded.filter(status="deregistered"), 100) == 1


def test_bounded_reads_of_an_empty_result(registry: Registry) -> None:
    bounded = bounded_ordered(plain().filter(name__contains="葫芦丝"), cap=10)
    assert list(bounded[:20]) == []
    assert count_up_to(bounded, 11) == 0
    assert count_up_to(bounded_ordered(plain().none(), cap=10), 11) == 0


def test_name_contains_on_another_field_has_the_same_meaning(registry: Registry) -> None:
    org = registry.city.city_org
    Organization.objects.filter(pk=org.pk).update(domicile="日照市东港区IT产业园1号")
    for term in ("it产业", "It", "产", "产业园"):
        found = name_contains(Organization.objects.all(), "domicile", term)
        assert list(found) == [org], term


@pytest.mark.django_db(transaction=True)
def test_search_stays_in_step_after_a_migration_rebuilds_the_table(registry: Registry) -> None:
    """SQLite rebuilds a table to alter a column, which drops its triggers (the post_migrate
    repair restores them); PostgreSQL must still be able to alter the name's type."""
    old = Organization._meta.get_field("name")
    wider = models.CharField(max_length=120, db_index=True)
    wider.set_attributes_from_name("name")
    wider.model = Organization
    with connection.schema_editor() as editor:
        editor.alter_field(Organization, old, wider)
    try:
        repair_name_indexes()
        org = f.organization(where=registry.city.city, name="日照市葫芦丝艺术协会")
        assert list(name_contains(Organization.objects.all(), "name", "葫芦丝艺术")) == [org]
        assert list(name_contains(Organization.objects.all(), "name", "芦丝")) == [org]
        org.name = "日照市竹笛艺术协会"
        org.save(update_fields=["name"])
        assert list(name_contains(Organization.objects.all(), "name", "葫芦丝艺术")) == []
        assert list(name_contains(Organization.objects.all(), "name", "竹笛")) == [org]
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(Organization, wider, old)
        repair_name_indexes()
