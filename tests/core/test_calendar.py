"""RG-3: deadlines in calendar or working days, with China's statutory holidays and make-up
working days (调休上班)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socorg.core import calendar
from socorg.core.models import DayUnit

# Years whose holiday arrangements the calendar knows.
DAYS = st.dates(min_value=date(2021, 1, 1), max_value=date(2027, 6, 30))
COUNTS = st.integers(min_value=0, max_value=70)
UNITS = st.sampled_from([DayUnit.WORKING, DayUnit.CALENDAR])


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)],
)
def test_make_up_weekend_days_are_working_days(day) -> None:
    assert day.weekday() >= 5
    assert calendar.is_working_day(day)


@pytest.mark.parametrize("offset", range(7))
def test_national_day_holiday_is_not_worked(offset) -> None:
    assert not calendar.is_working_day(date(2026, 10, 1) + timedelta(offset))


def test_spring_festival_weekdays_are_not_worked() -> None:
    assert not calendar.is_working_day(date(2026, 2, 17))
    assert calendar.is_working_day(date(2026, 3, 2))


def test_working_days_skip_the_national_day_holiday() -> None:
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_zero_working_days_is_the_next_working_day() -> None:
    assert calendar.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 9, 30), 0) == date(2026, 9, 30)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 9, 30), -1)


def test_calendar_deadline_on_a_holiday_moves_to_the_next_working_day() -> None:
    # 60 days (RG-3) from 2026-08-02 end on 2026-10-01, National Day.
    assert calendar.due_date(date(2026, 8, 2), 60, DayUnit.CALENDAR) == date(2026, 10, 8)
    # A calendar deadline ending on a plain Sunday moves to Monday.
    assert calendar.due_date(date(2026, 3, 1), 7, DayUnit.CALENDAR) == date(2026, 3, 9)


def test_calendar_deadline_on_a_make_up_saturday_stays() -> None:
    assert calendar.due_date(date(2026, 2, 4), 10, DayUnit.CALENDAR) == date(2026, 2, 14)


def test_working_deadline_counts_only_working_days() -> None:
    assert calendar.due_date(date(2026, 9, 25), 5, DayUnit.WORKING) == date(2026, 10, 9)


def test_resume_after_the_holiday_keeps_the_days_left() -> None:
    # Paused on 09-28 with 2 working days left (29th, 30th); resumed on 10-07.
    assert calendar.resume_due_date(
        date(2026, 9, 30), date(2026, 9, 28), date(2026, 10, 7), DayUnit.WORKING
    ) == date(2026, 10, 9)
    assert calendar.resume_due_date(
        date(2026, 9, 30), date(2026, 9, 28), date(2026, 10, 12), DayUnit.CALENDAR
    ) == date(2026, 10, 14)


def test_clock_overdue_when_paused_keeps_its_due_date() -> None:
    due = date(2026, 9, 1)
    assert (
        calendar.resume_due_date(due, date(2026, 9, 5), date(2026, 9, 20), DayUnit.WORKING) == due
    )


def test_days_left_in_each_unit() -> None:
    assert calendar.days_left(date(2026, 9, 30), date(2026, 10, 9), DayUnit.WORKING) == 2
    assert calendar.days_left(date(2026, 9, 30), date(2026, 10, 9), DayUnit.CALENDAR) == 9
    assert calendar.days_left(date(2026, 10, 9), date(2026, 9, 30), DayUnit.WORKING) == -2


@settings(max_examples=300, deadline=None)
@given(start=DAYS, days=COUNTS)
def test_add_working_days_never_lands_on_a_non_working_day(start, days) -> None:
    due = calendar.add_working_days(start, days)
    assert calendar.is_working_day(due)
    assert due >= start
    if days:
        assert calendar.working_days_between(start, due) == days
        assert calendar.working_days_between(start, due - timedelta(1)) == days - 1


@settings(max_examples=300, deadline=None)
@given(start=DAYS, days=COUNTS, unit=UNITS)
def test_due_date_is_the_first_working_day_on_or_after_the_term(start, days, unit) -> None:
    due = calendar.due_date(start, days, unit)
    assert calendar.is_working_day(due)
    if unit == DayUnit.CALENDAR:
        term = start + timedelta(days)
        assert due >= term
        assert all(
            not calendar.is_working_day(term + timedelta(n)) for n in range((due - term).days)
        )


@settings(max_examples=300, deadline=None)
@given(
    start=DAYS,
    days=st.integers(min_value=1, max_value=60),
    paused_after=st.integers(min_value=0, max_value=90),
    pause_length=st.integers(min_value=0, max_value=120),
    unit=UNITS,
)
def test_pause_and_resume_keep_the_time_left(start, days, paused_after, pause_length, unit) -> None:
    due = calendar.due_date(start, days, unit)
    paused_on = start + timedelta(paused_after)
    resumed_on = paused_on + timedelta(pause_length)
    new_due = calendar.resume_due_date(due, paused_on, resumed_on, unit)
    if paused_on > due:
        assert new_due == due
        return
    assert calendar.is_working_day(new_due)
    assert new_due >= due
    if unit == DayUnit.WORKING:
        left = calendar.working_days_between(paused_on, due)
        if left:
            assert calendar.working_days_between(resumed_on, new_due) == left
        else:  # paused on its last day: due on the first working day back
            assert new_due == calendar.next_working_day(resumed_on)
    else:
        left = (due - paused_on).days
        assert new_due == calendar.next_working_day(resumed_on + timedelta(left))


def test_working_days_between_is_antisymmetric() -> None:
    a, b = date(2026, 9, 25), date(2026, 10, 12)
    assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)
    assert calendar.working_days_between(a, a) == 0
