"""TT-1 / RG-11: a term lasts the parameter's years and ends the day before its anniversary;
the anniversary of 29 February in a common year is 1 March. The term that registration creates
and the check of a filed term (``term_length_problem``) agree."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from socorg.core.models import RuleParameter
from socorg.registration.rules import terms as pr
from socorg.registration.selectors.terms import term_max_years
from socorg.registry import services
from socorg.registry.models import OrgType
from socorg.registry.rules.organizations import anniversary, make_uscc, term_end, term_years


def test_tt1_a_term_ends_the_day_before_its_anniversary() -> None:
    assert term_end(date(2026, 7, 1), 5) == date(2031, 6, 30)
    assert term_end(date(2026, 1, 1), 5) == date(2030, 12, 31)


def test_tt1_a_term_from_29_february_ends_on_28_february() -> None:
    assert anniversary(date(2028, 2, 29), 5) == date(2033, 3, 1)
    assert term_end(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert term_end(date(2028, 2, 29), 4) == date(2032, 2, 28)  # 2032 is a leap year
    assert pr.term_length_problem(date(2028, 2, 29), date(2033, 2, 28), max_years=5) is None
    assert pr.term_length_problem(date(2028, 2, 29), date(2033, 3, 1), max_years=5)


def test_tt1_term_length_problem_accepts_exactly_the_term_end() -> None:
    start = date(2026, 7, 1)
    assert pr.term_length_problem(start, term_end(start, 5), max_years=5) is None
    assert pr.term_length_problem(start, term_end(start, 5) + timedelta(days=1), max_years=5)


def test_rg11_a_foundation_board_term_is_at_most_rg11s() -> None:
    assert term_years(OrgType.FOUNDATION, term_years=6, foundation_max_years=5) == 5
    assert term_years(OrgType.SOCIAL_GROUP, term_years=6, foundation_max_years=5) == 6


def register(city, actor, *, established_on: date, org_type: str = OrgType.SOCIAL_GROUP):
    values = {
        "uscc": make_uscc(org_type=org_type, area_code="371100", serial="MJ777001"),
        "name": "日照市围棋协会",
        "org_type": org_type,
        "level": "city",
        "jurisdiction": city.city,
        "management_mode": "dual_management",
        "supervisory_unit": city.edu,
        "category": "sports",
        "purpose": "推广围棋",
        "business_scope": "围棋比赛、培训",
        "domicile": "日照市东港区海曲路8号",
        "legal_representative": "赵六",
        "registered_funds": "30000.00",
        "established_on": established_on,
    }
    return services.organization_register(
        actor=actor,
        values=values,
        principals=[{"name": "赵六", "id_number": "371102198001011238", "post": "chair"}],
        legal_representative_id="371102198001011238",
        application_id=1,
    )


@pytest.mark.parametrize("day", [date(2026, 12, 2), date(2024, 2, 29), date(2026, 3, 1)])
def test_tt1_registration_creates_a_term_the_term_check_accepts(city, division_head, day) -> None:
    org = register(city, division_head, established_on=day)
    term = org.terms.get()
    years = term_max_years(org.org_type, day)
    assert (term.number, term.starts_on, term.ends_on) == (1, day, term_end(day, years))
    assert pr.term_length_problem(term.starts_on, term.ends_on, max_years=years) is None


def test_tt1_registration_takes_the_term_length_from_the_parameter(city, division_head) -> None:
    RuleParameter.objects.create(
        rule_id="TT-1",
        key="TT-1.term_years",
        value=4,
        jurisdiction=city.city,
        effective_from=date(2020, 1, 1),
        source="本市社会团体章程示范文本（测试值）",
    )
    org = register(city, division_head, established_on=date(2026, 7, 1))
    assert org.terms.get().ends_on == date(2030, 6, 30)
