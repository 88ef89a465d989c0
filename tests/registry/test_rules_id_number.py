"""Resident identity numbers (GB 11643): the check character and the date of birth are checked;
a region code that was valid in any period is accepted. The region code is where the number was
issued, not where (or when) the person was born."""

from __future__ import annotations

from datetime import date

from socorg.registration.kinds import PrincipalsField
from socorg.registry.models import Person
from socorg.registry.rules.organizations import (
    birth_date_from_id,
    id_number_problem,
    id_region,
    sex_from_id,
)

# 东港区 (371102) has existed since 1992; this person was born in 1970.
DONGGANG_BORN_1970 = "371102197005010000"


def test_id_number_donggang_number_of_someone_born_before_1992_is_accepted() -> None:
    assert id_number_problem(DONGGANG_BORN_1970) is None
    assert id_region(DONGGANG_BORN_1970) == "东港区"
    assert birth_date_from_id(DONGGANG_BORN_1970) == date(1970, 5, 1)


def test_id_number_a_principal_given_as_a_line_with_a_valid_number_is_accepted() -> None:
    field = PrincipalsField()
    rows = field.clean("张三 371102198001011238 会长")
    assert rows == [{"name": "张三", "id_number": "371102198001011238", "post": "chair"}]
    assert id_number_problem(rows[0]["id_number"]) is None


def test_id_number_region_code_of_any_period_is_accepted() -> None:
    """372802 was 日照市's code from 1985 to 1989; a number issued then stays valid, whatever
    the birth year it carries."""
    assert id_number_problem("372802199503150020") is None
    assert id_region("372802199503150020") == "日照市"


def test_id_number_unknown_region_is_refused() -> None:
    assert (
        id_number_problem("990101198001010014") == "身份证号前6位“990101”不是有效的行政区划代码。"
    )


def test_id_number_wrong_check_character_names_the_expected_one() -> None:
    assert id_number_problem("371102198001011234") == (
        "身份证号校验位错误：第18位应为“8”，而不是“4”。"
    )
    assert id_number_problem("37110219800101018x") is None  # X, lower case accepted
    assert id_number_problem("371102198001010180") is not None


def test_id_number_date_of_birth_must_exist_and_be_past() -> None:
    assert "不是有效的出生日期" in (id_number_problem("37110219800231123X") or "")
    assert "不合理" in (id_number_problem("371102203001011230", today=date(2026, 12, 2)) or "")
    assert "不合理" in (id_number_problem("371102189912311236") or "")


def test_id_number_shape() -> None:
    assert id_number_problem("37110219800101123") == "身份证号应为18位，当前为17位。"
    assert id_number_problem("3711021980010112A8") == "身份证号前17位应为数字，第18位为数字或X。"


def test_id_number_sex_from_the_17th_digit() -> None:
    assert sex_from_id("371102198001011238") == "M"
    assert sex_from_id(DONGGANG_BORN_1970) == "F"


def test_id_number_person_record_accepts_the_donggang_number(db) -> None:
    person = Person(name="李新", id_number=DONGGANG_BORN_1970)
    person.full_clean(exclude=["birth_date", "sex"])
