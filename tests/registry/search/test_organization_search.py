"""Registry search: substring anywhere in the name, filters, scope, credit codes, capped count.

The same assertions hold on SQLite (FTS5 trigram index, LIKE) and PostgreSQL (pg_trgm and the
n-gram index, bounded reads): whichever database runs them, results must be these."""

from __future__ import annotations

import pytest

from socorg.core.models import User
from socorg.registry.models import Category, Organization, OrgStatus, OrgType
from socorg.registry.selectors.organizations import (
    OrganizationFilters,
    capped_count,
    organization_search,
)
from tests import factories as f
from tests.registry.search.conftest import NAMES, Registry

pytestmark = pytest.mark.django_db


def search(user: User, **filters: str) -> list[str]:
    return [o.name for o in organization_search(user, OrganizationFilters(**filters))]


def expected(term: str) -> list[str]:
    """The meaning of a name search: contains the term, A-Z matching either case only."""
    fold = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    ids = [
        o.pk for o in Organization.objects.all() if term.translate(fold) in o.name.translate(fold)
    ]
    return list(
        Organization.objects.filter(pk__in=ids)
        .order_by("name", "id")
        .values_list("name", flat=True)
    )


def test_search_finds_a_term_anywhere_in_the_name(registry: Registry, city_registrar: User) -> None:
    assert search(city_registrar, q="公益") == ["日照市50%_公益基金会"]
    assert search(city_registrar, q="书法") == [
        "日照市东港区书法家协会",
        "日照市岚山区书法协会",
        "日照市老年书法研究会",
    ]


def test_one_character_term_matches_at_start_middle_and_end(
    registry: Registry, city_registrar: User
) -> None:
    assert search(city_registrar, q="幼") == expected("幼")
    assert set(search(city_registrar, q="幼")) == {
        "幼",
        "日照市幼儿教育促进会",
        "日照市东港区阳光幼儿园",
        "日照市东港区日照街道幼儿舞蹈协会",
    }
    assert search(city_registrar, q="园") == ["日照市东港区阳光幼儿园"]


def test_two_character_term(registry: Registry, city_registrar: User) -> None:
    assert search(city_registrar, q="幼儿") == expected("幼儿")
    assert len(search(city_registrar, q="幼儿")) == 3
    assert search(city_registrar, q="协会") == expected("协会")


def test_three_and_more_character_terms(registry: Registry, city_registrar: User) -> None:
    assert search(city_registrar, q="促进会") == ["日照市幼儿教育促进会"]
    assert search(city_registrar, q="日照街道幼儿") == ["日照市东港区日照街道幼儿舞蹈协会"]
    assert search(city_registrar, q="东港区") == expected("东港区")


def test_every_substring_of_every_name_finds_exactly_the_names_containing_it(
    registry: Registry, city_registrar: User
) -> None:
    names = [o.name for o in registry.all()]
    terms = {
        name[i : i + n] for name in names for n in (1, 2, 3, 5) for i in range(len(name) - n + 1)
    }
    for term in sorted(terms):
        if term.strip() == term:
            assert search(city_registrar, q=term) == expected(term), term


def test_latin_letters_match_either_case_and_nothing_else_is_folded(
    registry: Registry, city_registrar: User
) -> None:
    it = ["日照市IT服务中心", "日照市it培训学校"]
    assert sorted(search(city_registrar, q="it")) == sorted(it)
    assert sorted(search(city_registrar, q="IT服务")) == ["日照市IT服务中心"]
    assert sorted(search(city_registrar, q="iT")) == sorted(it)
    assert search(city_registrar, q="t") == expected("t")
    # Full-width letters are other characters: no case folding for them.
    assert search(city_registrar, q="ＩＴ") == ["日照市ＩＴ联合会"]
    assert search(city_registrar, q="ｉｔ") == []


def test_like_wildcards_in_a_term_are_plain_characters(
    registry: Registry, city_registrar: User
) -> None:
    assert search(city_registrar, q="%") == ["日照市50%_公益基金会"]
    assert search(city_registrar, q="_") == ["日照市50%_公益基金会"]
    assert search(city_registrar, q="0%_公") == ["日照市50%_公益基金会"]
    assert search(city_registrar, q="日照%") == []


def test_term_is_trimmed_and_an_absent_term_matches_nothing(
    registry: Registry, city_registrar: User
) -> None:
    assert search(city_registrar, q="  商会 ") == ["日照市渔具商会"]
    assert search(city_registrar, q="葫芦丝") == []
    assert search(city_registrar, q="丝") == []


def test_combined_filters(registry: Registry, city_registrar: User) -> None:
    assert search(
        city_registrar,
        q="协会",
        org_type=OrgType.COMMUNITY_ORGANIZATION,
        status=OrgStatus.FILED,
        category=Category.CULTURE,
        jurisdiction="371102",
    ) == ["日照市东港区日照街道幼儿舞蹈协会"]
    assert search(city_registrar, q="书法", status=OrgStatus.DEREGISTERED) == [
        "日照市岚山区书法协会"
    ]
    assert search(city_registrar, q="书法", status=OrgStatus.REGISTERED, level="county") == [
        "日照市东港区书法家协会"
    ]


def test_supervisory_unit_filter(registry: Registry, city_registrar: User) -> None:
    assert search(city_registrar, supervisory_unit="EDU") == ["日照市教育学会"]
    assert search(city_registrar, q="学会", supervisory_unit="EDU") == ["日照市教育学会"]
    assert search(city_registrar, supervisory_unit="NO-SUCH-UNIT") == []


def test_jurisdiction_filter_includes_its_subtree(registry: Registry, city_registrar: User) -> None:
    assert search(city_registrar, jurisdiction="371102") == [
        "日照市东港区书法家协会",
        "日照市东港区日照街道幼儿舞蹈协会",
    ]
    assert search(city_registrar, jurisdiction="371102001") == ["日照市东港区日照街道幼儿舞蹈协会"]


def test_district_scope_excludes_other_districts(
    registry: Registry, donggang_registrar: User
) -> None:
    assert search(donggang_registrar) == [
        "日照市东港区书法家协会",
        "日照市东港区日照街道幼儿舞蹈协会",
    ]
    assert search(donggang_registrar, q="书法") == ["日照市东港区书法家协会"]
    assert search(donggang_registrar, q="渔业") == []
    assert search(donggang_registrar, jurisdiction="371103") == []


def test_exact_credit_code(
    registry: Registry, city_registrar: User, donggang_registrar: User
) -> None:
    org = registry.city.lanshan_org
    assert search(city_registrar, uscc=org.uscc.lower()) == [org.name]
    assert search(city_registrar, uscc=f" {org.uscc[:9]}-{org.uscc[9:]} ") == [org.name]
    assert search(donggang_registrar, uscc=org.uscc) == []
    assert search(city_registrar, uscc=org.uscc, q="物流") == []


def test_sorts_by_name_then_id_and_pages_are_consistent(
    registry: Registry, city_registrar: User
) -> None:
    twin = f.organization(where=registry.city.city, name="日照市物流协会")
    qs = organization_search(city_registrar, OrganizationFilters(q="日照市"))
    everything = [
        o.pk for o in Organization.objects.filter(name__contains="日照市").order_by("name", "id")
    ]
    assert [o.pk for o in qs] == everything
    assert [o.pk for o in qs[0:5]] + [o.pk for o in qs[5:10]] + [
        o.pk for o in qs[10:]
    ] == everything
    assert everything.index(twin.pk) == everything.index(registry.city.city_org.pk) + 1
    descending = organization_search(city_registrar, OrganizationFilters(q="日照市", sort="-name"))
    assert [o.pk for o in descending[:3]] == everything[::-1][:3]


def test_capped_count_is_exact_up_to_the_cap(registry: Registry, city_registrar: User) -> None:
    qs = organization_search(city_registrar, OrganizationFilters(q="日照市"))
    total = len(expected("日照市"))
    assert capped_count(qs) == (total, True)
    assert capped_count(qs, cap=total) == (total, True)
    assert capped_count(qs, cap=total - 1) == (total - 1, False)
    assert capped_count(qs, cap=3) == (3, False)


def test_capped_count_of_a_further_filtered_search_is_its_own(
    registry: Registry, city_registrar: User
) -> None:
    qs = organization_search(city_registrar, OrganizationFilters(q="书法"))
    assert capped_count(qs) == (3, True)
    assert capped_count(qs.filter(status=OrgStatus.DEREGISTERED)) == (1, True)
    assert capped_count(organization_search(city_registrar, OrganizationFilters(q="葫芦丝"))) == (
        0,
        True,
    )


def test_new_organization_is_found_at_once(registry: Registry, city_registrar: User) -> None:
    org = f.organization(where=registry.city.city, name="日照市葫芦丝艺术协会")
    assert search(city_registrar, q="葫芦丝") == [org.name]
    assert search(city_registrar, q="葫芦") == [org.name]
    assert search(city_registrar, q="葫") == [org.name]


def test_renamed_organization_is_found_by_its_new_name_only(
    registry: Registry, city_registrar: User
) -> None:
    org = registry.by_name["日照市渔具商会"]
    org.name = "日照市钓具行业商会"
    org.save(update_fields=["name"])
    Organization.objects.filter(pk=registry.city.city_org.pk).update(name="日照市现代物流协会")
    assert search(city_registrar, q="渔具") == []
    assert search(city_registrar, q="渔具商会") == []
    assert search(city_registrar, q="钓具") == ["日照市钓具行业商会"]
    assert search(city_registrar, q="钓具行业") == ["日照市钓具行业商会"]
    assert search(city_registrar, q="现代物流") == ["日照市现代物流协会"]


def test_deleted_organization_is_no_longer_found(registry: Registry, city_registrar: User) -> None:
    registry.by_name["日照市老年书法研究会"].delete()
    assert search(city_registrar, q="老年书法") == []
    assert search(city_registrar, q="老年") == []
    assert "日照市老年书法研究会" not in search(city_registrar, q="书法")


def test_every_name_of_the_fixture_is_searchable(registry: Registry, city_registrar: User) -> None:
    for name in NAMES:
        assert name in search(city_registrar, q=name)
