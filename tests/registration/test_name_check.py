"""The name check against the registry (RG-2, RG-13, RG-15) and its public endpoint."""

from __future__ import annotations

import time
import uuid
from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socorg.core.models import RuleParameter
from socorg.registration.selectors import names as nc
from socorg.registry.models import FormerName, NameKeyKind, OrgStatus, OrgType
from socorg.registry.services.names import name_key, name_keys_rebuild, name_keys_refresh
from tests import factories as f

CITY, DONGGANG, LANSHAN = "371100", "371102", "371103"


@pytest.fixture
def indexed(city):
    """The cast's city with a revoked foundation, its index built."""
    f.organization(
        where=city.city,
        name="日照市慈善基金会",
        org_type=OrgType.FOUNDATION,
        status=OrgStatus.REVOKED,
        removed_on=date(2021, 3, 1),
    )
    name_keys_rebuild()
    return city


def check(name: str, jurisdiction: str = CITY, org_type: str = OrgType.SOCIAL_GROUP, **kw):
    return nc.name_check(name=name, org_type=org_type, jurisdiction_code=jurisdiction, **kw)


def kinds(result) -> set[tuple[str, str]]:
    return {(h.rule, h.kind) for h in result.hits}


def test_exact_duplicate_in_the_same_authority_is_a_conflict_rg15(indexed) -> None:
    result = check("日照市物流协会")
    assert result.verdict == "conflict"
    assert kinds(result) == {("RG-15", "exact")}
    assert result.hits[0].uscc == indexed.city_org.uscc
    assert "日照市物流协会" in result.hits[0].reason


def test_same_core_under_another_countys_authority_is_ok_rg15(indexed) -> None:
    assert check("日照市岚山区书法家协会", LANSHAN).verdict == "ok"
    assert check("日照市东港区书法家协会", DONGGANG).verdict == "conflict"
    assert check("日照市东港区物流协会", DONGGANG).verdict == "ok"


def test_homophone_core_is_a_conflict_rg15(indexed) -> None:
    result = check("日照市物留协会")
    assert (result.verdict, kinds(result)) == ("conflict", {("RG-15", "homophone")})


def test_traditional_variant_is_a_conflict_rg15(indexed) -> None:
    result = check("日照市教育學會")
    assert (result.verdict, kinds(result)) == ("conflict", {("RG-15", "traditional")})
    assert result.normalized == "日照市教育学会"


def test_inserted_filler_is_a_conflict_rg15(indexed) -> None:
    result = check("日照市物流行业服务协会")
    assert (result.verdict, kinds(result)) == ("conflict", {("RG-15", "filler")})


def test_confusable_form_is_a_conflict_but_another_form_group_is_not_rg15(indexed) -> None:
    assert kinds(check("日照市物流促进会")) == {("RG-15", "form")}
    assert check("日照市物流学会").verdict == "ok"


def test_national_word_in_a_local_name_is_invalid_rg2(indexed) -> None:
    result = check("日照市中国仓储协会")
    assert result.verdict == "invalid"
    assert kinds(result) == {("RG-2", "national_word")}


def test_foundation_form_for_a_social_group_is_invalid_rg15(indexed) -> None:
    result = check("日照市仓储基金会")
    assert (result.verdict, kinds(result)) == ("invalid", {("RG-15", "form_mismatch")})


def test_shape_errors_rg13_rg15(indexed) -> None:
    assert kinds(check("日照市仓储")) == {("RG-15", "no_form")}
    assert kinds(check("日照市爱基金会", org_type=OrgType.FOUNDATION)) == {
        ("RG-13", "core_too_short")
    }
    assert kinds(check("仓储协会")) == {("RG-15", "no_region")}
    assert kinds(check("日照市岚山区仓储协会", DONGGANG)) == {("RG-15", "region_outside")}
    assert kinds(check("日照市仓储协会", DONGGANG)) == {("RG-15", "region_not_own")}
    assert kinds(check("青岛市仓储协会")) == {("RG-15", "region_outside")}


def test_foundation_name_is_not_reusable_for_three_years_after_revocation_rg13(indexed) -> None:
    two_years = check("日照市慈善基金会", org_type=OrgType.FOUNDATION, on=date(2023, 3, 1))
    assert (two_years.verdict, kinds(two_years)) == ("conflict", {("RG-13", "exact")})
    four_years = check("日照市慈善基金会", org_type=OrgType.FOUNDATION, on=date(2025, 3, 1))
    assert four_years.verdict == "ok"


def test_reuse_period_comes_from_the_rule_parameter_rg13(indexed) -> None:
    RuleParameter.objects.create(
        rule_id="RG-13",
        key="RG-13.name_reuse_block_years.removed",
        value=5,
        effective_from=date(2010, 1, 1),
        source="基金会名称管理规定（测试值）",
    )
    result = check("日照市慈善基金会", org_type=OrgType.FOUNDATION, on=date(2025, 3, 1))
    assert result.verdict == "conflict"
    assert "5年" in result.hits[0].reason


def test_changed_foundation_name_is_not_reusable_for_one_year_rg13(city) -> None:
    org = f.organization(where=city.city, name="日照市春晖教育基金会", org_type=OrgType.FOUNDATION)
    FormerName.objects.create(
        organization=org, name="日照市春晖基金会", used_until=date(2024, 6, 1)
    )
    name_keys_refresh(org)
    soon = check("日照市春晖基金会", org_type=OrgType.FOUNDATION, on=date(2024, 12, 1))
    assert kinds(soon) == {("RG-13", "exact")}
    later = check("日照市春晖基金会", org_type=OrgType.FOUNDATION, on=date(2025, 6, 2))
    assert later.verdict == "ok"


def test_a_social_groups_former_name_is_free_and_its_own_names_can_be_excluded(indexed) -> None:
    org = indexed.city_org
    FormerName.objects.create(organization=org, name="日照市货运协会", used_until=date(2025, 1, 1))
    name_keys_refresh(org)
    assert check("日照市货运协会", on=date(2025, 2, 1)).verdict == "ok"
    assert check("日照市物流协会", exclude_organization=org.pk).verdict == "ok"


def test_reserved_name_of_a_pending_application_is_a_conflict_rg15(indexed) -> None:
    row = name_key(name="日照市仓储协会", authority=CITY, regions=frozenset({"日照市"}))
    row.kind = NameKeyKind.RESERVED
    row.save()
    assert kinds(check("日照市仓储协会")) == {("RG-15", "exact")}


def test_check_is_a_few_queries(indexed, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(2):
        check("日照市物留协会")
    with django_assert_max_num_queries(2):
        check("日照物协")  # a short name: one more key in the same look-alike query


@pytest.fixture
def word_names(city):
    """Registered names whose reordered words and abbreviations the check must catch."""
    for name in (
        "日照市文化旅游协会",
        "日照市电子商务协会",
        "日照市摄影家协会",
        "日照市科学技术协会",
    ):
        f.organization(where=city.city, name=name)
    name_keys_rebuild()
    return city


def test_rg15_reordered_words_are_confusable(word_names) -> None:
    result = check("日照市旅游文化协会")
    assert (result.verdict, kinds(result)) == ("conflict", {("RG-15", "reordered")})
    assert result.hits[0].name == "日照市文化旅游协会"
    assert "词序" in result.hits[0].reason


def test_rg15_abbreviation_is_confusable(word_names) -> None:
    result = check("日照市电商协会")
    assert (result.verdict, kinds(result)) == ("conflict", {("RG-15", "abbreviation")})
    assert "简称" in result.hits[0].reason and "日照市电子商务协会" in result.hits[0].reason
    short = check("日照摄协")  # no form: invalid as a name, and the short name of another
    assert kinds(short) == {("RG-15", "no_form"), ("RG-15", "abbreviation")}
    assert kinds(check("日照科协")) >= {("RG-15", "abbreviation")}


def test_rg15_abbreviation_reason_is_translated(word_names) -> None:
    with translation.override("en"):
        result = check("日照市电商协会")
    assert "abbreviation" in result.hits[0].reason
    assert "日照市电子商务协会" in result.hits[0].reason


def test_rg15_names_close_to_abbreviations_and_reorderings_stay_ok(word_names) -> None:
    assert check("日照市电力商贸协会").verdict == "ok"  # abbreviates alike by accident
    assert check("日照市文学创作协会").verdict == "ok"
    assert check("日照市旅游体育协会").verdict == "ok"  # reordered and a word replaced
    assert check("日照市旅游文化学会").verdict == "ok"  # a form of another group
    assert kinds(check("日照书协")) == {("RG-15", "no_form")}  # another organization's


def test_unknown_type_or_jurisdiction_is_refused(indexed) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        check("日照市仓储协会", org_type="company")
    with pytest.raises(ValidationError):
        check("日照市仓储协会", jurisdiction="999999")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 8), st.sampled_from(list(" 　·、（）()-—"))), max_size=4))
def test_spaces_and_punctuation_never_change_the_verdict(indexed, inserts) -> None:
    for name in ("日照市物流协会", "日照市仓储协会", "日照市中国仓储协会"):
        noisy = name
        for position, mark in inserts:
            noisy = noisy[:position] + mark + noisy[position:]
        assert check(noisy).verdict == check(name).verdict


# --- the public endpoint ---------------------------------------------------------------------


def _post(client: Client, address: str, **payload: str):
    return client.post(
        "/api/v1/name-check", payload, content_type="application/json", REMOTE_ADDR=address
    )


def test_api_answers_anonymous_visitors(indexed, client: Client) -> None:
    response = _post(
        client, "198.51.100.7", name="日照市物留协会", type="social_group", jurisdiction=CITY
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"verdict", "normalized", "parts", "hits"}
    assert body["verdict"] == "conflict"
    assert body["parts"] == {"region": "日照市", "core": "物留", "org_form": "协会"}
    hit = body["hits"][0]
    assert set(hit) == {"rule", "kind", "name", "uscc", "reason"}
    assert (hit["rule"], hit["kind"], hit["name"]) == ("RG-15", "homophone", "日照市物流协会")


def test_api_refuses_bad_input_in_chinese(indexed, client: Client) -> None:
    response = _post(
        client, "198.51.100.8", name="日照市仓储协会", type="company", jurisdiction=CITY
    )
    assert response.status_code == 422
    assert response.json()["errors"]["type"] == ["未知的社会组织类型。"]


def test_api_rate_limit_per_client_address(indexed, client: Client) -> None:
    limit, window = nc.RATE_LIMIT
    if window - time.time() % window < 5:  # do not straddle two windows
        time.sleep(window - time.time() % window)
    # A fresh address per run: the cache may be a Redis shared with other test runs.
    address, other = (f"2001:db8::{uuid.uuid4().hex[:4]}:{n}" for n in (1, 2))
    payload = {"name": "日照市仓储协会", "type": "social_group", "jurisdiction": CITY}
    for _ in range(limit):
        assert _post(client, address, **payload).status_code == 200
    refused = _post(client, address, **payload)
    assert refused.status_code == 429
    assert refused.json() == {"detail": "查询过于频繁，请稍后再试。"}
    assert refused["Retry-After"] == str(window)
    assert _post(client, other, **payload).status_code == 200


def test_the_compiled_lookalike_query_returns_the_orms_rows(word_names) -> None:
    f.organization(
        where=word_names.city,
        name="日照市电子商务基金会",
        org_type=OrgType.FOUNDATION,
        status=OrgStatus.REVOKED,
    )
    name_keys_rebuild()
    authority = nc.authority_for(CITY)
    for name in ("日照市电商基金会", "日照电协", "日照市物流协会"):
        keys = nc.nr.name_keys(name, authority.regions)
        for exclude in (None, word_names.city_org.pk):
            orm = nc.lookalike_query(CITY, keys, exclude)
            assert nc.lookalike_rows(CITY, keys, exclude) == [nc.LookalikeRow._make(r) for r in orm]
    removed = nc.lookalike_rows(CITY, nc.nr.name_keys("日照市电商基金会", authority.regions))
    assert [r.removed_on for r in removed] == [date(2021, 3, 1)]
