"""The credit-list rules as dates (CR-2 … CR-5): notice windows in working days around China's
holidays and make-up working days, earliest delisting dates, full years on the abnormal list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from socorg.supervision.models import CreditList, ListingGround
from socorg.supervision.rules import annual_reports as ar_rules
from socorg.supervision.rules import credit as rules

G = ListingGround


def test_cr2_every_ground_has_a_rule_and_a_list() -> None:
    assert set(rules.GROUND_RULES) == set(G.values)
    assert {g for g, lst in rules.GROUND_LIST.items() if lst == CreditList.ABNORMAL} == {
        G.ANNUAL_REPORT_NOT_FILED,
        G.RECTIFICATION_NOT_DONE,
        G.UNREACHABLE,
    }
    assert rules.rule_of(G.REVOKED) == "CR-4"
    assert rules.list_of(G.ABNORMAL_TWO_YEARS) == CreditList.SERIOUS


def test_cr2_notice_window_skips_national_day_and_counts_the_make_up_saturday() -> None:
    # 2026: 10-01..10-07 off; Saturday 10-10 is a make-up working day. Ten working days from
    # Monday 09-28: 09-29, 09-30, 10-08, 10-09, 10-10, 10-12 … 10-16.
    assert rules.respond_by(date(2026, 9, 28), 10) == date(2026, 10, 16)


def test_cr2_notice_window_over_a_weekend_without_holidays() -> None:
    # Friday 2026-11-06 + 10 working days = Friday 11-20.
    assert rules.respond_by(date(2026, 11, 6), 10) == date(2026, 11, 20)


def test_cr2_notice_window_over_spring_festival_2027() -> None:
    # 2027-02-05 .. 02-10 are off (eve, festival and observed days).
    assert rules.respond_by(date(2027, 2, 3), 3) == date(2027, 2, 12)


def test_cr2_listing_takes_effect_only_after_the_last_day_to_answer() -> None:
    last = date(2026, 10, 16)
    assert not rules.window_passed(last, date(2026, 10, 16))
    assert rules.window_passed(last, date(2026, 10, 17))


def test_cr3_unreachable_leaves_after_six_months_the_others_on_application() -> None:
    start = date(2026, 8, 31)
    assert rules.delist_earliest(
        ground=G.UNREACHABLE, clock_started_on=start, auto_months=6, clean_years=2
    ) == date(2027, 2, 28)
    for ground in (G.ANNUAL_REPORT_NOT_FILED, G.RECTIFICATION_NOT_DONE):
        assert (
            rules.delist_earliest(
                ground=ground, clock_started_on=start, auto_months=6, clean_years=2
            )
            is None
        )


def test_cr5_serious_list_two_full_years_but_revocation_waits_for_deregistration() -> None:
    start = date(2024, 2, 29)
    assert rules.delist_earliest(
        ground=G.LARGE_FINE, clock_started_on=start, auto_months=6, clean_years=2
    ) == date(2026, 2, 28)
    assert rules.delist_earliest(
        ground=G.ABNORMAL_TWO_YEARS,
        clock_started_on=date(2026, 10, 17),
        auto_months=6,
        clean_years=2,
    ) == date(2028, 10, 17)
    assert (
        rules.delist_earliest(
            ground=G.REVOKED, clock_started_on=start, auto_months=6, clean_years=2
        )
        is None
    )


def test_cr4_two_full_years_on_the_abnormal_list() -> None:
    since = date(2024, 10, 17)
    assert not rules.abnormal_full_years_reached(
        listed_since=since, as_of=date(2026, 10, 16), years=2
    )
    assert rules.abnormal_full_years_reached(listed_since=since, as_of=date(2026, 10, 17), years=2)


def test_cr3_a_new_ground_restarts_the_clock_never_backwards() -> None:
    assert rules.clock_restarted(date(2026, 10, 17), date(2027, 6, 16)) == date(2027, 6, 16)
    assert rules.clock_restarted(date(2027, 6, 16), date(2026, 10, 17)) == date(2027, 6, 16)
    assert rules.clock_restarted(None, date(2026, 10, 17)) == date(2026, 10, 17)


@pytest.mark.parametrize(
    ("first", "second", "ok"), [(0, 19, False), (0, 20, True), (0, 60, True), (0, 61, False)]
)
def test_cr2_two_letters_twenty_to_sixty_days_apart(first: int, second: int, ok: bool) -> None:
    day = date(2026, 3, 1)
    assert (
        rules.letters_unsigned(
            day + timedelta(first), day + timedelta(second), gap_min=20, gap_max=60
        )
        is ok
    )


@pytest.mark.parametrize("min_months", [0, 1, 6, 11, 12])
def test_ar2_founding_bound_agrees_with_must_file(min_months: int) -> None:
    for year in (2023, 2024):
        bound = rules.founded_by_for_year(year, min_months)
        for shift in range(-40, 40):
            day = bound + timedelta(days=shift)
            assert ar_rules.must_file(
                established_on=day, removed_on=None, year=year, min_months=min_months
            ) is (shift <= 0)


def test_cr2_report_years_checked_are_the_years_before_the_day() -> None:
    assert list(rules.report_years_checked(date(2026, 9, 28), 5)) == [2021, 2022, 2023, 2024, 2025]
