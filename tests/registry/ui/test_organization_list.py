"""The organization list: scope, search, filters, sorting, pagination, counts, htmx, queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socorg.registry.models import Category, Level, OrgStatus, OrgType
from socorg.registry.selectors import organizations as selectors
from tests import factories as f
from tests.factories import login, make_orgs

URL = reverse("registry:organization_list")


def names(response) -> list[str]:
    return [org.name for org in response.context["page"].rows]


def test_district_registrar_sees_only_own_district(client, city, donggang_registrar) -> None:
    response = login(client, donggang_registrar).get(URL)
    assert response.status_code == 200
    assert names(response) == [city.donggang_org.name]
    assert city.lanshan_org.name not in response.content.decode()


def test_city_registrar_sees_every_district(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL)
    assert {city.donggang_org.name, city.lanshan_org.name, city.city_org.name} <= set(
        names(response)
    )


def test_search_by_name_substring(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL, {"q": "渔业"})
    assert names(response) == [city.lanshan_org.name]


def test_search_by_exact_credit_code(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL, {"q": city.donggang_org.uscc.lower()})
    assert names(response) == [city.donggang_org.name]
    assert response.context["filters"].uscc == city.donggang_org.uscc


def test_search_by_credit_code_outside_scope_finds_nothing(
    client, city, donggang_registrar
) -> None:
    response = login(client, donggang_registrar).get(URL, {"q": city.lanshan_org.uscc})
    assert names(response) == []
    assert "没有符合条件的社会组织" in response.content.decode()


def test_credit_code_with_wrong_check_character_is_explained(client, city, city_registrar) -> None:
    code = city.donggang_org.uscc
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    response = login(client, city_registrar).get(URL, {"q": wrong})
    assert "校验位错误" in response.content.decode()


@pytest.fixture
def varied(city):
    """Organizations that differ in one attribute each from the city's defaults."""
    return {
        "org_type": f.organization(
            where=city.city, name="日照市助老服务中心", org_type=OrgType.SOCIAL_SERVICE_AGENCY
        ),
        "level": f.organization(where=city.donggang, name="日照市物流商会", level=Level.CITY),
        "status": f.organization(
            where=city.city, name="日照市旧协会", status=OrgStatus.DEREGISTERED
        ),
        "category": f.organization(
            where=city.city, name="日照市体育总会", category=Category.SPORTS
        ),
    }


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("org_type", OrgType.SOCIAL_SERVICE_AGENCY, "org_type"),
        ("status", OrgStatus.DEREGISTERED, "status"),
        ("category", Category.SPORTS, "category"),
    ],
)
def test_each_attribute_filter_keeps_only_matching_rows(
    client, city, city_registrar, varied, field, value, key
) -> None:
    response = login(client, city_registrar).get(URL, {field: value})
    assert names(response) == [varied[key].name]


def test_level_filter(client, city, city_registrar, varied) -> None:
    response = login(client, city_registrar).get(URL, {"level": Level.COUNTY})
    assert set(names(response)) == {city.donggang_org.name, city.lanshan_org.name}


def test_jurisdiction_filter_covers_the_subtree(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL, {"jurisdiction": city.lanshan.code})
    assert names(response) == [city.lanshan_org.name]
    response = client.get(URL, {"jurisdiction": city.city.code})
    assert city.lanshan_org.name in names(response)


def test_supervisory_unit_filter(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL, {"supervisory_unit": city.edu.code})
    assert names(response) == [city.edu_org.name]


def test_jurisdiction_choices_come_from_the_users_scope(client, city, donggang_registrar) -> None:
    response = login(client, donggang_registrar).get(URL)
    choices = [code for code, _ in response.context["form"].fields["jurisdiction"].choices]
    assert choices == ["", city.donggang.code]


@pytest.mark.parametrize(
    "params",
    [{"org_type": "spaceship"}, {"status": "x"}, {"supervisory_unit": "NOPE"}, {"q": "x" * 101}],
)
def test_invalid_filter_shows_an_inline_error_never_a_500(
    client, city, city_registrar, params
) -> None:
    response = login(client, city_registrar).get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "invalid-feedback" in response.content.decode()


def test_jurisdiction_outside_scope_is_an_invalid_choice(client, city, donggang_registrar) -> None:
    response = login(client, donggang_registrar).get(URL, {"jurisdiction": city.lanshan.code})
    assert response.status_code == 200
    assert "jurisdiction" in response.context["form"].errors
    assert "选择一个有效的选项" in response.content.decode()
    assert names(response) == [city.donggang_org.name]


def test_pagination_twenty_a_page(client, city, donggang_registrar) -> None:
    make_orgs(city.donggang, 24)
    client = login(client, donggang_registrar)
    first = client.get(URL)
    assert len(first.context["page"].rows) == 20
    assert first.context["page"].has_next
    assert "共 <strong>25</strong> 家" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].rows) == 5
    assert not set(names(first)) & set(names(second))


@pytest.mark.parametrize(("raw", "expected"), [("99", 2), ("abc", 1), ("0", 1), ("-3", 1)])
def test_out_of_range_page_numbers_are_clamped(
    client, city, donggang_registrar, raw, expected
) -> None:
    make_orgs(city.donggang, 24)
    response = login(client, donggang_registrar).get(URL, {"page": raw})
    assert response.status_code == 200
    assert response.context["page"].number == expected


def test_counts_above_the_cap_are_shown_as_a_floor(
    client, city, city_registrar, monkeypatch
) -> None:
    monkeypatch.setattr(selectors, "capped_count", lambda qs, cap=selectors.COUNT_CAP: (cap, False))
    response = login(client, city_registrar).get(URL)
    assert "共 <strong>10,000+</strong> 家" in response.content.decode()


def test_sorting_by_name_descending_and_by_established_date(client, city, city_registrar) -> None:
    f.organization(where=city.city, name="日照市航海学会", established_on=date(1999, 1, 1))
    client = login(client, city_registrar)
    descending = names(client.get(URL, {"sort": "-name"}))
    assert descending == list(reversed(names(client.get(URL, {"sort": "name"}))))
    by_date = client.get(URL, {"sort": "established_on"}).context["page"].rows
    assert by_date[0].name == "日照市航海学会"
    by_code = [o.uscc for o in client.get(URL, {"sort": "uscc"}).context["page"].rows]
    assert by_code == sorted(by_code)


def test_unknown_sort_falls_back_to_name(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL, {"sort": "password"})
    assert response.status_code == 200
    assert response.context["filters"].sort == "name"


def test_empty_state_offers_to_reset_the_filters(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL, {"q": "不存在的组织"})
    body = response.content.decode()
    assert "没有符合条件的社会组织" in body
    assert "清除全部筛选条件" in body


def test_htmx_request_gets_only_the_results_block(client, city, city_registrar) -> None:
    response = login(client, city_registrar).get(URL, {"q": "协会"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="org-browser"' in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_filters_are_kept_in_sort_and_page_links(client, city, city_registrar) -> None:
    make_orgs(city.city, 22)
    response = login(client, city_registrar).get(URL, {"level": "city"})
    body = response.content.decode()
    assert "?level=city&amp;page=2" in body
    assert "?level=city&amp;sort=-name" in body


def test_organization_account_cannot_browse_the_registry(client, city, org_account) -> None:
    response = login(client, org_account).get(URL)
    assert response.status_code == 403
    assert "社会组织账号不能浏览" in response.content.decode()
    own = client.get(f"{URL}{city.city_org.uscc}/")
    assert own.status_code == 200 and city.city_org.name in own.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, city) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def _count_queries(client, n_orgs: int, city) -> int:
    make_orgs(city.donggang, n_orgs)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, {"sort": "-established_on"}).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_rows(
    client, city, donggang_registrar, django_assert_max_num_queries
) -> None:
    client = login(client, donggang_registrar)
    client.get(URL)  # warm the session
    few = _count_queries(client, 3, city)
    many = _count_queries(client, 27, city)
    assert many == few
    with django_assert_max_num_queries(14):
        client.get(URL)


def test_registered_first_by_default(client, city, city_registrar) -> None:
    """Community organizations filed with a street office are a book of their own: the default
    list starts with the registered organizations, not with rows of 已备案."""
    filed = [
        f.organization(where=city.donggang, name=f"阿{n}社区志愿服务队", status=OrgStatus.FILED)
        for n in range(3)
    ]
    login(client, city_registrar)
    default = client.get(URL)
    shown = names(default)
    registered_names = {
        o.name for o in (city.donggang_org, city.lanshan_org, city.city_org, city.edu_org)
    }
    assert set(shown) == registered_names, "the filed rows would sort first by name"
    assert "备案的社区社会组织" in default.content.decode()
    filed_book = names(client.get(URL, {"book": "filed"}))
    assert sorted(filed_book) == sorted(o.name for o in filed)
    assert sorted(names(client.get(URL, {"status": "filed"}))) == sorted(o.name for o in filed)
    registered = names(client.get(URL, {"status": "registered"}))
    assert "日照市物流协会" in registered and not {o.name for o in filed} & set(registered)
