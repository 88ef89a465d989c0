"""Rule parameters: dated rows, jurisdiction overrides, and a clear failure when none applies."""

from __future__ import annotations

from datetime import date

import pytest

from socorg.core.models import RuleParameter
from socorg.core.params import MissingParameter, param, param_value, param_values_for_code

KEY = "CR-4.fine_threshold"


@pytest.fixture(autouse=True)
def empty_parameter_table(db) -> None:
    """Start from an empty table: migrations load the national defaults."""
    RuleParameter.objects.all().delete()


def row(value, start: date, *, end: date | None = None, where=None) -> RuleParameter:
    return RuleParameter.objects.create(
        rule_id="CR-4",
        key=KEY,
        value=value,
        jurisdiction=where,
        effective_from=start,
        effective_to=end,
        source="《社会组织登记管理条例》",
    )


def test_later_row_supersedes_from_its_date(db) -> None:
    row(50000, date(2020, 1, 1))
    row(100000, date(2026, 7, 1))
    assert param(KEY, on=date(2026, 6, 30)) == 50000
    assert param(KEY, on=date(2026, 7, 1)) == 100000


def test_ended_row_no_longer_applies(db) -> None:
    row(50000, date(2020, 1, 1))
    row(80000, date(2024, 1, 1), end=date(2024, 12, 31))
    assert param(KEY, on=date(2024, 12, 31)) == 80000
    assert param(KEY, on=date(2025, 1, 1)) == 50000


def test_county_row_overrides_the_national_default(city) -> None:
    row(50000, date(2025, 1, 1))
    row(30000, date(2020, 1, 1), where=city.donggang)
    assert param(KEY, on=date(2026, 1, 1), jurisdiction=city.donggang) == 30000
    assert param(KEY, on=date(2026, 1, 1), jurisdiction=city.lanshan) == 50000


def test_the_most_specific_jurisdiction_wins(city) -> None:
    row(50000, date(2020, 1, 1))
    row(40000, date(2020, 1, 1), where=city.city)
    row(30000, date(2020, 1, 1), where=city.donggang)
    on = date(2026, 1, 1)
    assert param(KEY, on=on, jurisdiction=city.donggang) == 30000
    assert param(KEY, on=on, jurisdiction=city.lanshan) == 40000


def test_without_a_jurisdiction_the_home_jurisdiction_applies(city, settings) -> None:
    settings.SOCORG_HOME_JURISDICTION = city.city.code
    row(50000, date(2020, 1, 1))
    row(40000, date(2020, 1, 1), where=city.city)
    assert param(KEY, on=date(2026, 1, 1)) == 40000
    settings.SOCORG_HOME_JURISDICTION = "110000"
    assert param(KEY, on=date(2026, 1, 1)) == 50000


def test_value_cites_its_rule_and_source(db) -> None:
    row({"ratio": 0.05}, date(2020, 1, 1))
    found = param_value(KEY, on=date(2026, 1, 1))
    assert found.value == {"ratio": 0.05}
    assert (found.rule_id, found.effective_from) == ("CR-4", date(2020, 1, 1))
    assert "条例" in found.source


def test_missing_parameter_is_a_clear_error(db) -> None:
    row(50000, date(2027, 1, 1))
    with pytest.raises(MissingParameter, match=KEY):
        param(KEY, on=date(2026, 1, 1))
    with pytest.raises(MissingParameter, match="没有有效取值"):
        param("RI-3.unknown", on=date(2026, 1, 1))


def test_values_for_a_code_follow_the_same_precedence_in_one_query(
    city, django_assert_num_queries
) -> None:
    row(50000, date(2020, 1, 1))
    row(40000, date(2020, 1, 1), where=city.city)
    row(30000, date(2020, 1, 1), where=city.donggang)
    row(20000, date(2027, 1, 1), where=city.donggang)  # not in force yet
    with django_assert_num_queries(1):
        found = param_values_for_code([KEY, "RG-13.unknown"], on=date(2026, 1, 1), code="371102")
    assert set(found) == {KEY}
    assert found[KEY].value == param(KEY, on=date(2026, 1, 1), jurisdiction=city.donggang)
    assert found[KEY].value == 30000
    lanshan = param_values_for_code([KEY], on=date(2026, 1, 1), code="371103001")
    assert lanshan[KEY].value == param(KEY, on=date(2026, 1, 1), jurisdiction=city.lanshan)
    assert lanshan[KEY].value == 40000
