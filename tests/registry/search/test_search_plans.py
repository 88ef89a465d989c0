"""The two reads of a search on PostgreSQL, and the rule that chooses between them.

Through the GIN index the read goes straight to the matching rows, and costs what they are;
along a btree in name order it evaluates the conditions on the index entries and stops after
enough matches, and costs the entries it passes. The rule compares the planner's estimates
(``choose_plan``); whichever read runs, the rows, the pages and the capped count are the same,
and SQLite keeps its plain queries."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from socorg.core.db import (
    ROW_COST,
    WALK_RISK,
    SearchPlan,
    bounded_ordered,
    choose_plan,
    search_plan,
)
from socorg.core.models import User
from socorg.registry.models import Organization, OrgStatus
from socorg.registry.selectors.organizations import (
    COUNT_CAP,
    OrganizationFilters,
    capped_count,
    organization_search,
)
from tests import factories as f
from tests.registry.search.conftest import Registry

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


# --- The rule ------------------------------------------------------------------------------


def test_a_term_in_a_large_share_of_the_names_is_read_in_name_order() -> None:
    # 协会, a third of a million names: 10,001 of them within about 30,000 index entries.
    assert choose_plan(matches=333_000, walked=MILLION, cap=COUNT_CAP) is SearchPlan.WALK
    # 日照市, 42 % of the names, all in the city's own 416,000: 10,000 entries of that range.
    assert choose_plan(matches=416_000, walked=416_000, cap=COUNT_CAP) is SearchPlan.WALK
    # No term: every row matches.
    assert choose_plan(matches=MILLION, walked=MILLION, cap=COUNT_CAP) is SearchPlan.WALK


def test_a_rare_term_is_read_through_the_gin_index() -> None:
    assert choose_plan(matches=9_500, walked=MILLION, cap=COUNT_CAP) is SearchPlan.INDEX  # 书画
    assert choose_plan(matches=30_000, walked=MILLION, cap=COUNT_CAP) is SearchPlan.INDEX
    assert choose_plan(matches=0, walked=MILLION, cap=COUNT_CAP) is SearchPlan.INDEX


def test_the_walk_wins_from_about_eight_percent_of_a_million() -> None:
    # A walk of (cap + 1) / share entries, counted WALK_RISK times, against the GIN index's
    # matches and cap + 1 rows read at ROW_COST each.
    assert choose_plan(matches=85_000, walked=MILLION, cap=COUNT_CAP) is SearchPlan.WALK
    assert choose_plan(matches=78_000, walked=MILLION, cap=COUNT_CAP) is SearchPlan.INDEX
    walk = (COUNT_CAP + 1) * MILLION / 85_000
    assert WALK_RISK * walk <= 85_000 + ROW_COST * (COUNT_CAP + 1)


def test_a_small_range_is_walked_unless_its_matches_are_few() -> None:
    # A street of 8,000 organizations: reading them all costs less than 3,000 table rows.
    assert choose_plan(matches=3_000, walked=8_000, cap=COUNT_CAP) is SearchPlan.WALK
    # 182 boxing clubs among 莒县's 124,000 organizations: the GIN index goes straight there.
    assert choose_plan(matches=182, walked=124_000, cap=COUNT_CAP) is SearchPlan.INDEX


def test_within_a_district_the_share_is_of_the_districts_organizations() -> None:
    # 协会 among the 124,000 organizations of 莒县, walked jurisdiction by jurisdiction.
    assert choose_plan(matches=41_000, walked=124_000, cap=COUNT_CAP) is SearchPlan.WALK
    assert choose_plan(matches=3_300, walked=124_000, cap=COUNT_CAP) is SearchPlan.INDEX


# --- Both reads, same results (PostgreSQL) -------------------------------------------------


@pytest.fixture
def postgres(on_postgres: bool) -> None:
    if not on_postgres:
        pytest.skip("PostgreSQL only: SQLite runs the plain queries")


def forced(user: User, plan: SearchPlan, cap: int, **filters: str) -> object:
    return bounded_ordered(
        organization_search(user, OrganizationFilters(**filters)), cap=cap, plan=plan
    )


def outcome(qs: object, cap: int) -> tuple[list[int], list[int], list[int], tuple[int, bool]]:
    return (
        [o.pk for o in qs[:2]],  # type: ignore[index]
        [o.pk for o in qs[2:5]],  # type: ignore[index]
        [o.pk for o in qs],  # type: ignore[attr-defined]
        capped_count(qs, cap),  # type: ignore[arg-type]
    )


@pytest.mark.postgres
@pytest.mark.parametrize("cap", [2, COUNT_CAP])
def test_both_reads_give_the_same_rows_pages_and_count_for_every_substring(
    registry: Registry,
    city_registrar: User,
    donggang_registrar: User,
    postgres: None,
    cap: int,
) -> None:
    names = [o.name for o in registry.all()]
    terms = sorted(
        {name[i : i + n] for name in names for n in (1, 2, 3) for i in range(len(name) - n + 1)}
    )
    for user in (city_registrar, donggang_registrar):
        for term in (t for t in terms if t.strip() == t):
            by_index = outcome(forced(user, SearchPlan.INDEX, cap, q=term), cap)
            by_walk = outcome(forced(user, SearchPlan.WALK, cap, q=term), cap)
            assert by_walk == by_index, (user.username, term)


@pytest.mark.postgres
def test_both_reads_agree_with_filters_and_in_either_direction(
    registry: Registry, city_registrar: User, postgres: None
) -> None:
    cases = [
        {"q": "协会", "status": OrgStatus.REGISTERED},
        {"q": "书法", "jurisdiction": "371102"},
        {"q": "it", "sort": "-name"},
        {"q": "日照市", "sort": "-name", "level": "city"},
        {"supervisory_unit": "EDU"},
        {"jurisdiction": "371102001"},
        {},
    ]
    for filters in cases:
        for cap in (1, 3, COUNT_CAP):
            by_index = outcome(forced(city_registrar, SearchPlan.INDEX, cap, **filters), cap)
            by_walk = outcome(forced(city_registrar, SearchPlan.WALK, cap, **filters), cap)
            assert by_walk == by_index, (filters, cap)


@pytest.mark.postgres
def test_the_plan_chosen_is_recorded_on_the_result(
    registry: Registry, city_registrar: User, postgres: None
) -> None:
    # A term and no filter: either read, as the estimates say.
    assert search_plan(organization_search(city_registrar, OrganizationFilters(q="协会"))) in (
        SearchPlan.WALK,
        SearchPlan.INDEX,
    )
    # A credit code is not in the name-order index: the walk would read the table.
    uscc = registry.city.city_org.uscc
    assert search_plan(organization_search(city_registrar, OrganizationFilters(uscc=uscc))) == (
        SearchPlan.INDEX
    )
    # Sorted by date: no btree in that order.
    by_date = OrganizationFilters(q="协会", sort="established_on")
    assert search_plan(organization_search(city_registrar, by_date)) == SearchPlan.INDEX
    # Filtered further: a new query, read afresh.
    further = organization_search(city_registrar, OrganizationFilters(q="协会")).filter(
        level="city"
    )
    assert search_plan(further) is None


def walk_statements(run: object) -> list[str]:
    """The queries of the walks ``run`` makes (``socorg_walk`` runs their text)."""
    with CaptureQueriesContext(connection) as ctx:
        run()  # type: ignore[operator]
    walks = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT socorg_walk(")]
    return [sql[sql.index("'") + 1 : sql.rindex("'")].replace("''", "'") for sql in walks]


def walk_plan(sql: str) -> str:
    """EXPLAIN of a walk's query under the planner settings ``socorg_walk`` runs it with."""
    with transaction.atomic(), connection.cursor() as cursor:
        for name in (
            "enable_seqscan",
            "enable_bitmapscan",
            "enable_sort",
            "enable_incremental_sort",
        ):
            cursor.execute(f"SET LOCAL {name} = off")
        cursor.execute("EXPLAIN " + sql)
        text = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return text


def walked(user: User, **filters: str) -> list[str]:
    """The plans of the walks a search forced to walk runs."""
    search = OrganizationFilters(**filters)
    statements = walk_statements(
        lambda: bounded_ordered(
            organization_search(user, search), cap=COUNT_CAP, plan=SearchPlan.WALK
        )
    )
    assert statements, filters
    return [walk_plan(sql) for sql in statements]


@pytest.mark.postgres
def test_a_walk_reads_its_btree_alone(
    registry: Registry, city_registrar: User, donggang_registrar: User, postgres: None
) -> None:
    """The name-order index holds the name and every filter column; the btree (jurisdiction,
    name, id) as well: a walk with a term and filters reads no table page."""
    for plan in walked(city_registrar, status=OrgStatus.REGISTERED, level="county"):
        assert "Index Only Scan using registry_organization_name_order" in plan, plan
    for plan in walked(donggang_registrar, q="协会", status=OrgStatus.REGISTERED, level="county"):
        assert "Index Only Scan using registry_organization_name_by_jurisdiction_id" in plan, plan
    for plan in walked(city_registrar, q="协会", status=OrgStatus.REGISTERED):
        assert "Index Only Scan using registry_organization_name_" in plan, plan
        assert "Seq Scan on registry_organization" not in plan, plan


@pytest.mark.postgres
def test_a_term_no_jurisdiction_in_scope_has_is_answered_without_reading_names(
    registry: Registry, donggang_registrar: User, postgres: None
) -> None:
    """渔业 occurs only in 岚山区's names: the table of n-grams by jurisdiction says so, and a
    registrar of 东港区 gets an empty result without any read of the organizations."""
    with CaptureQueriesContext(connection) as ctx:
        qs = organization_search(donggang_registrar, OrganizationFilters(q="渔业"))
        assert capped_count(qs) == (0, True)
        assert list(qs[:20]) == []
    reads = [q["sql"] for q in ctx.captured_queries if "registry_organization" in q["sql"]]
    assert all("_grams_by_jurisdiction_id" in sql for sql in reads), reads


@pytest.mark.postgres
def test_the_ngrams_by_jurisdiction_follow_new_renamed_and_moved_organizations(
    registry: Registry, city_registrar: User, donggang_registrar: User, postgres: None
) -> None:
    city = registry.city
    org = f.organization(where=city.lanshan, name="日照市岚山区葫芦丝协会")
    assert search(city_registrar, q="葫芦丝") == [org.name]
    Organization.objects.filter(pk=org.pk).update(name="日照市岚山区竹笛协会")
    assert search(city_registrar, q="竹笛") == ["日照市岚山区竹笛协会"]
    assert search(donggang_registrar, q="竹笛") == []
    Organization.objects.filter(pk=org.pk).update(jurisdiction=city.donggang)
    assert search(donggang_registrar, q="竹笛") == ["日照市岚山区竹笛协会"]
    assert search(donggang_registrar, q="笛") == ["日照市岚山区竹笛协会"]


def search(user: User, **filters: str) -> list[str]:
    return [o.name for o in organization_search(user, OrganizationFilters(**filters))[:20]]


@pytest.mark.postgres
def test_a_walk_leaves_the_planner_settings_as_they_were(
    registry: Registry, city_registrar: User, postgres: None
) -> None:
    names = ("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort", "jit")

    def settings() -> tuple[str, ...]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
            return tuple(cursor.fetchone())

    before = settings()
    qs = bounded_ordered(Organization.objects.order_by("name", "id"), cap=3, plan=SearchPlan.WALK)
    assert len(list(qs[5:7])) == 2
    assert settings() == before


def test_sqlite_keeps_the_plain_queries(
    registry: Registry, city_registrar: User, on_postgres: bool
) -> None:
    if on_postgres:
        pytest.skip("SQLite only")
    qs = organization_search(city_registrar, OrganizationFilters(q="协会"))
    assert search_plan(qs) is None
    assert type(qs) is type(Organization.objects.all())
