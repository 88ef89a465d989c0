"""POST /api/v1/organizations: registrars enter historical records. Bad input gets 422 with
Chinese messages per field, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from socorg.core.models import AuditLog
from socorg.registry.models import EventKind, EventReason, Organization, OrganizationEvent
from socorg.registry.rules.organizations import USCC_ALPHABET, make_uscc

NEW_USCC = make_uscc(org_type="social_group", area_code="371102", serial="MJ900001")


def record(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "uscc": NEW_USCC,
        "name": "日照市东港区围棋协会",
        "org_type": "social_group",
        "level": "county",
        "jurisdiction": "371102",
        "management_mode": "dual_management",
        "supervisory_unit": "EDU",
        "category": "sports",
        "legal_representative": "赵六",
        "domicile": "日照市东港区海曲路8号",
        "registered_funds": "30000.00",
        "established_on": "2009-04-20",
    }
    values.update(overrides)
    return values


def counts() -> tuple[int, int, int]:
    return Organization.objects.count(), OrganizationEvent.objects.count(), AuditLog.objects.count()


def refused(client, body: dict[str, Any]) -> dict[str, list[str]]:
    before = counts()
    response = client.post("/organizations", body)
    assert response.status_code == 422, response.content
    assert counts() == before
    return response.json()["errors"]


def test_registrar_enters_a_historical_record(city, donggang_registrar, as_user) -> None:
    response = as_user(donggang_registrar).post("/organizations", record())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["uscc"], body["name"], body["supervisory_unit"]) == (
        NEW_USCC,
        "日照市东港区围棋协会",
        "日照市教育局",
    )
    assert body["registered_funds"] == "30000.00"
    assert [(e["kind"], e["reason"]) for e in body["events"]] == [
        (EventKind.HISTORICAL_ENTRY, EventReason.HISTORICAL_RECORD)
    ]
    org = Organization.objects.get(uscc=NEW_USCC)
    audit = AuditLog.objects.get(action="organization.create")
    assert (audit.object_id, audit.actor) == (str(org.pk), donggang_registrar)
    assert audit.after["name"] == "日照市东港区围棋协会"


def test_community_organization_without_credit_code_is_addressed_by_id(
    city, donggang_registrar, as_user
) -> None:
    body = record(
        uscc=None,
        org_type="community_organization",
        status="filed",
        name="东港区秦楼街道志愿者协会",
    )
    body.pop("supervisory_unit")
    body.pop("management_mode")
    client = as_user(donggang_registrar)
    response = client.post("/organizations", body)
    assert response.status_code == 201, response.content
    assert (
        client.get(f"/organizations/{response.json()['id']}").json()["name"]
        == "东港区秦楼街道志愿者协会"
    )


def test_wrong_check_character_is_refused_naming_the_expected_one(
    city, city_registrar, as_user
) -> None:
    expected = NEW_USCC[17]
    wrong = next(c for c in USCC_ALPHABET if c != expected)
    errors = refused(as_user(city_registrar), record(uscc=NEW_USCC[:17] + wrong))
    assert errors["uscc"] == [
        f"统一社会信用代码校验位错误：第18位应为“{expected}”，而不是“{wrong}”。"
    ]


def test_duplicate_credit_code_is_refused(city, city_registrar, as_user) -> None:
    errors = refused(as_user(city_registrar), record(uscc=city.donggang_org.uscc))
    assert "已存在" in errors["uscc"][0]


@pytest.mark.parametrize("value", ["2009-13-01", "2009/04/20", "昨天", 20090420, ""])
def test_malformed_date_is_refused(city, city_registrar, as_user, value) -> None:
    errors = refused(as_user(city_registrar), record(established_on=value))
    assert errors["established_on"] == ["日期格式不正确，应为 YYYY-MM-DD。"]


def test_missing_fields_are_named(city, city_registrar, as_user) -> None:
    body = record()
    del body["name"], body["org_type"]
    errors = refused(as_user(city_registrar), body)
    assert errors == {"name": ["此项为必填项。"], "org_type": ["此项为必填项。"]}


def test_unknown_enum_value_lists_the_allowed_ones(city, city_registrar, as_user) -> None:
    errors = refused(as_user(city_registrar), record(level="province"))
    assert errors["level"] == ["取值无效，可选值为：city、county。"]


def test_unknown_jurisdiction_code_is_refused(city, city_registrar, as_user) -> None:
    errors = refused(as_user(city_registrar), record(jurisdiction="371199"))
    assert errors["jurisdiction"] == ["未知的区划代码“371199”。"]


def test_unknown_supervisory_unit_code_is_refused(city, city_registrar, as_user) -> None:
    errors = refused(as_user(city_registrar), record(supervisory_unit="NOPE"))
    assert errors["supervisory_unit"] == ["未知的业务主管单位编码“NOPE”。"]


def test_jurisdiction_outside_the_callers_scope_is_refused(
    city, lanshan_registrar, as_user
) -> None:
    errors = refused(as_user(lanshan_registrar), record())
    assert errors["jurisdiction"] == ["该区划不在您的管辖范围内。"]


def test_credit_code_of_wrong_type_is_refused(city, city_registrar, as_user) -> None:
    errors = refused(as_user(city_registrar), record(org_type="foundation"))
    assert "第2位" in errors["uscc"][0]


def test_body_that_is_not_json_is_refused(city, city_registrar) -> None:
    from django.test import Client

    client = Client()
    client.force_login(city_registrar)
    response = client.post("/api/v1/organizations", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是有效的 JSON。"


@pytest.mark.parametrize("who", ["division_head", "edu_liaison", "org_account"])
def test_only_registrars_may_enter_records(city, as_user, request, who) -> None:
    before = counts()
    response = as_user(request.getfixturevalue(who)).post("/organizations", record())
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有执行此操作的权限。"
    assert counts() == before


def test_anonymous_entry_gets_401(city, as_user) -> None:
    assert as_user().post("/organizations", record()).status_code == 401
