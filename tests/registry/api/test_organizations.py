"""GET /api/v1/organizations and /organizations/{uscc}: every member of the cast sees exactly
its data scope; objects outside it do not exist (404); filters are validated (422)."""

from __future__ import annotations

import pytest

from socorg.registry.api import OrganizationDetail, OrganizationPageOut
from socorg.registry.models import OrgStatus, OrgType
from tests import factories as f


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def test_anonymous_visitor_gets_401_with_chinese_message(city, as_user) -> None:
    for response in (
        as_user().get("/organizations"),
        as_user().get(f"/organizations/{city.city_org.uscc}"),
    ):
        assert response.status_code == 401
        assert "未登录" in response.json()["detail"]


def test_city_registrar_sees_every_organization_of_the_city(city, city_registrar, as_user) -> None:
    response = as_user(city_registrar).get("/organizations")
    assert names(response) == {
        city.donggang_org.name,
        city.lanshan_org.name,
        city.city_org.name,
        city.edu_org.name,
    }
    body = response.json()
    assert (body["count"], body["count_exact"], body["page"], body["page_size"]) == (4, True, 1, 20)


def test_list_item_carries_codes_and_chinese_labels(city, city_registrar, as_user) -> None:
    item = as_user(city_registrar).get("/organizations", uscc=city.edu_org.uscc).json()["items"][0]
    assert item["uscc"] == city.edu_org.uscc
    assert (item["org_type"], item["org_type_label"]) == (OrgType.SOCIAL_GROUP, "社会团体")
    assert item["jurisdiction"] == {"code": "371100", "name": "日照市"}
    assert (item["status"], item["status_label"]) == (OrgStatus.REGISTERED, "正常")
    assert item["supervisory_unit"] == "日照市教育局"
    assert item["legal_representative"] == "张三"
    assert item["established_on"] == "2015-06-01"


def test_district_registrar_sees_only_own_district(city, donggang_registrar, as_user) -> None:
    assert names(as_user(donggang_registrar).get("/organizations")) == {city.donggang_org.name}


def test_registrar_of_another_district_gets_404_for_donggang_organization(
    city, lanshan_registrar, as_user
) -> None:
    response = as_user(lanshan_registrar).get(f"/organizations/{city.donggang_org.uscc}")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert city.donggang_org.name not in response.content.decode()


def test_department_liaison_sees_only_supervised_organizations(city, edu_liaison, as_user) -> None:
    client = as_user(edu_liaison)
    assert names(client.get("/organizations")) == {city.edu_org.name}
    assert client.get(f"/organizations/{city.edu_org.uscc}").status_code == 200
    assert client.get(f"/organizations/{city.city_org.uscc}").status_code == 404


def test_organization_account_sees_only_itself(city, org_account, as_user) -> None:
    client = as_user(org_account)
    assert names(client.get("/organizations")) == {city.city_org.name}
    assert client.get(f"/organizations/{city.city_org.uscc}").status_code == 200
    assert client.get(f"/organizations/{city.edu_org.uscc}").status_code == 404


def test_filters_narrow_the_list(city, city_registrar, as_user) -> None:
    client = as_user(city_registrar)
    assert names(client.get("/organizations", q="书法")) == {city.donggang_org.name}
    assert names(client.get("/organizations", uscc=city.lanshan_org.uscc.lower())) == {
        city.lanshan_org.name
    }
    assert names(client.get("/organizations", supervisory_unit="EDU")) == {city.edu_org.name}
    assert names(client.get("/organizations", level="county")) == {
        city.donggang_org.name,
        city.lanshan_org.name,
    }
    assert names(client.get("/organizations", status="revoked")) == set()


def test_jurisdiction_filter_includes_the_subtree(city, city_registrar, as_user) -> None:
    client = as_user(city_registrar)
    assert names(client.get("/organizations", jurisdiction="371102")) == {city.donggang_org.name}
    assert len(names(client.get("/organizations", jurisdiction="371100"))) == 4


def test_type_filter(city, city_registrar, as_user) -> None:
    foundation = f.organization(
        where=city.city, name="日照市慈善基金会", org_type=OrgType.FOUNDATION
    )
    response = as_user(city_registrar).get("/organizations", type="foundation")
    assert names(response) == {foundation.name}


def test_pages_are_one_based(city, city_registrar, as_user) -> None:
    client = as_user(city_registrar)
    first = client.get("/organizations", page=1, page_size=3).json()
    second = client.get("/organizations", page=2, page_size=3).json()
    assert (first["count"], len(first["items"]), len(second["items"])) == (4, 3, 1)
    assert not {i["name"] for i in first["items"]} & {i["name"] for i in second["items"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "club"}, "type"),
        ({"status": "sleeping"}, "status"),
        ({"level": "province"}, "level"),
        ({"category": "magic"}, "category"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": 1000}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"jurisdiction": "37"}, "jurisdiction"),
    ],
)
def test_invalid_filter_values_are_refused_with_422(
    city, city_registrar, as_user, params, field
) -> None:
    response = as_user(city_registrar).get("/organizations", **params)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in errors[field])


def test_page_size_above_maximum_names_the_maximum(city, city_registrar, as_user) -> None:
    response = as_user(city_registrar).get("/organizations", page_size=1000)
    assert response.json()["errors"]["page_size"] == ["不能大于 100。"]


def test_list_query_count_does_not_grow_with_page_size(
    city, city_registrar, as_user, django_assert_max_num_queries
) -> None:
    units = [city.edu, city.party, city.approval]
    for n in range(30):
        f.organization(
            where=city.donggang, name=f"日照市东港区测试协会{n}", supervisory_unit=units[n % 3]
        )
    client = as_user(city_registrar)
    client.get("/organizations", page_size=1)  # warm up the session
    with django_assert_max_num_queries(7) as small:
        assert len(client.get("/organizations", page_size=1).json()["items"]) == 1
    with django_assert_max_num_queries(7) as large:
        assert len(client.get("/organizations", page_size=100).json()["items"]) == 34
    assert len(large.captured_queries) == len(small.captured_queries)


def test_detail_shows_people_term_branches_responsibilities_and_public_events(
    city, profiled_org, city_registrar, as_user
) -> None:
    response = as_user(city_registrar).get(f"/organizations/{profiled_org.uscc}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["uscc"] == profiled_org.uscc
    assert [(p["name"], p["post_label"]) for p in body["principals"]] == [
        ("李四", "会长/理事长"),
        ("王五", "秘书长"),
    ]
    assert body["principals"][0]["is_legal_representative"] is True
    assert "id_number" not in response.content.decode()
    assert body["current_term"]["number"] == 3
    assert body["branches"][0]["kind_label"] == "分支机构"
    assert body["responsibilities"][0]["department"] == "日照市两新工委"
    assert body["responsibilities"][0]["kind_label"] == "党建管理"
    assert [
        (e["kind"], e["kind_label"], e["reason"], e["reason_label"]) for e in body["events"]
    ] == [("registered", "成立登记", "application", "依申请")]


def test_detail_accepts_a_lowercase_credit_code(city, city_registrar, as_user) -> None:
    response = as_user(city_registrar).get(f"/organizations/{city.city_org.uscc.lower()}")
    assert response.json()["name"] == city.city_org.name


def test_list_and_detail_match_their_published_schemas(
    city, city_registrar, profiled_org, as_user
) -> None:
    """Both are written out directly (the list row by row, the detail from its cache), so
    their bodies are checked here against the schemas the OpenAPI document publishes."""
    client = as_user(city_registrar)
    page = client.get("/organizations").json()
    OrganizationPageOut.model_validate(page, strict=False)
    assert {item["name"] for item in page["items"]} >= {profiled_org.name}
    detail = client.get(f"/organizations/{profiled_org.uscc}").json()
    parsed = OrganizationDetail.model_validate(detail)
    assert parsed.model_dump(mode="json") == detail
