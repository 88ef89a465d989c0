"""``POST /api/v1/organizations`` enters a historical record into the authoritative register:
a name that only looks filled in, a date that cannot be true or a credit code of another
county's authority is refused on its field, and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from socorg.core.models import AuditLog
from socorg.registry.models import DataCorrection, Organization
from socorg.registry.rules.organizations import make_uscc
from tests.security.test_control_characters import organization_record


def refused(as_user, user, **overrides: Any) -> dict[str, list[str]]:
    before = Organization.objects.count(), AuditLog.objects.count()
    response = as_user(user).post("/organizations", organization_record(**overrides))
    assert response.status_code == 422, response.content
    assert (Organization.objects.count(), AuditLog.objects.count()) == before
    return response.json()["errors"]


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\u200b\u200c\u200d\ufeff\u2060", "\u202e "])
def test_a_blank_or_invisible_name_is_refused(city, donggang_registrar, as_user, name) -> None:
    assert "name" in refused(as_user, donggang_registrar, name=name)


def test_invisible_characters_inside_a_name_are_dropped(city, donggang_registrar, as_user) -> None:
    response = as_user(donggang_registrar).post(
        "/organizations", organization_record(name="日照市东港区\u200b围棋\u200d协会")
    )
    assert response.status_code == 201
    assert response.json()["name"] == "日照市东港区围棋协会"


@pytest.mark.parametrize("day", ["9999-12-31", "tomorrow", "1899-12-31"])
def test_an_establishment_date_that_cannot_be_true_is_refused(
    city, donggang_registrar, as_user, day: str
) -> None:
    if day == "tomorrow":
        day = (timezone.localdate() + timedelta(days=1)).isoformat()
    errors = refused(as_user, donggang_registrar, established_on=day)
    assert "成立日期不能" in errors["established_on"][0]


def test_removal_before_establishment_is_refused(city, donggang_registrar, as_user) -> None:
    errors = refused(
        as_user,
        donggang_registrar,
        status="deregistered",
        established_on="2009-04-20",
        removed_on="2008-01-01",
    )
    assert errors["removed_on"] == ["注销/撤销日期不能早于成立日期。"]


def test_removal_in_the_future_is_refused(city, donggang_registrar, as_user) -> None:
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    errors = refused(as_user, donggang_registrar, status="deregistered", removed_on=later)
    assert "不能晚于今天" in errors["removed_on"][0]


def test_a_certificate_valid_for_a_century_is_refused(city, donggang_registrar, as_user) -> None:
    errors = refused(as_user, donggang_registrar, certificate_valid_until="2999-01-01")
    assert "certificate_valid_until" in errors


def test_a_credit_code_of_another_countys_authority_is_refused(
    city, donggang_registrar, as_user
) -> None:
    lanshan_code = make_uscc(org_type="social_group", area_code="371103", serial="MJ900002")
    errors = refused(as_user, donggang_registrar, uscc=lanshan_code, jurisdiction="371102")
    assert errors["uscc"] == ["统一社会信用代码第3-8位“371103”与登记机关区划代码“371102”不符。"]


def test_a_city_record_carries_the_citys_area_code(city, city_registrar, as_user) -> None:
    code = make_uscc(org_type="social_group", area_code="371100", serial="MJ900003")
    response = as_user(city_registrar).post(
        "/organizations", organization_record(uscc=code, jurisdiction="371100", level="city")
    )
    assert response.status_code == 201, response.content


def test_a_correction_cannot_move_the_establishment_into_the_future(
    city, city_registrar, as_user
) -> None:
    later = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = as_user(city_registrar).post(
        "/data_correction",
        {
            "organization": city.city_org.uscc,
            "changes": {"established_on": later},
            "reason": "核对",
        },
    )
    assert response.status_code == 422
    assert "established_on" in response.json()["errors"]
    assert not DataCorrection.objects.exists()


def test_a_correction_cannot_blank_a_name_with_invisible_characters(
    city, city_registrar, as_user
) -> None:
    response = as_user(city_registrar).post(
        "/data_correction",
        {"organization": city.city_org.uscc, "changes": {"name": "\u200b\u200b"}, "reason": "核对"},
    )
    assert response.status_code == 422
    assert not DataCorrection.objects.exists()
