"""ID-1..ID-5: unified social credit codes. ID-4: the organization code inside a credit code
(positions 9-17) is always checked, also when the 18th character is right."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from socorg.registry.models import Organization
from socorg.registry.rules.organizations import (
    USCC_ALPHABET,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
    uscc_problem,
)

# Right 18th character (ID-3), wrong organization-code check character (ID-4: "8", not "0").
BAD_ORG_CODE = "51371100MJ0000010Y"


def test_id4_wrong_org_code_is_refused_even_when_the_18th_character_is_right() -> None:
    assert uscc.is_valid(BAD_ORG_CODE)  # python-stdnum checks the 18th character only
    problem = uscc_problem(BAD_ORG_CODE)
    assert problem is not None
    assert "组织机构代码" in problem and "第17位应为“8”" in problem and "ID-4" not in problem


def test_id4_org_code_check_values_ten_and_eleven() -> None:
    """C9 = 11 − (Σ mod 11): 10 → X, 11 → 0."""
    assert org_code_check_char("MJ000000") == "X"
    assert org_code_check_char("MJ000005") == "0"
    assert uscc_problem("51371100MJ000000XP") is None
    assert uscc_problem("51371100MJ00000503") is None


def test_id3_worked_example_and_check_value_31_is_0() -> None:
    assert uscc_problem("91512081MA62K0260E") is None
    assert uscc_check_char("51371100MJ0000069") == "0"  # Σ mod 31 = 0: 31 → 0
    assert uscc_problem("51371100MJ00000690") is None


def test_id3_wrong_18th_character_names_the_expected_one() -> None:
    code = make_uscc(org_type="social_group", area_code="371100", serial="MJ000123")
    wrong = next(c for c in USCC_ALPHABET if c != code[17])
    assert uscc_problem(code[:17] + wrong) == (
        f"统一社会信用代码校验位错误：第18位应为“{code[17]}”，而不是“{wrong}”。"
    )


@given(st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8))
def test_id4_make_uscc_always_makes_codes_whose_both_check_characters_hold(serial: str) -> None:
    code = make_uscc(org_type="foundation", area_code="371102", serial=serial)
    assert uscc_problem(code) is None and uscc.is_valid(code)


def test_id2_make_uscc_refuses_a_serial_outside_the_alphabet() -> None:
    with pytest.raises(ValueError):
        make_uscc(org_type="social_group", area_code="371100", serial="MJ00000I")


def test_id4_every_entry_point_refuses_it_the_api_with_a_chinese_message(
    city, city_registrar
) -> None:
    client = Client()
    client.force_login(city_registrar)
    body = {
        "uscc": BAD_ORG_CODE,
        "name": "日照市围棋协会",
        "org_type": "social_group",
        "level": "city",
        "jurisdiction": "371100",
        "management_mode": "dual_management",
        "supervisory_unit": "EDU",
        "category": "sports",
        "legal_representative": "赵六",
        "domicile": "日照市东港区海曲路8号",
        "registered_funds": "30000.00",
        "established_on": "2009-04-20",
    }
    response = client.post(
        "/api/v1/organizations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert "组织机构代码" in response.json()["errors"]["uscc"][0]
    assert not Organization.objects.filter(uscc=BAD_ORG_CODE).exists()


def test_id4_the_model_refuses_it(city) -> None:
    org = Organization.objects.get(pk=city.city_org.pk)
    org.uscc = BAD_ORG_CODE
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "组织机构代码" in exc.value.message_dict["uscc"][0]


def test_id4_fixtures_and_factories_make_valid_codes(city) -> None:
    codes = Organization.objects.exclude(uscc=None).values_list("uscc", flat=True)
    assert codes and all(uscc_problem(code) is None for code in codes)
