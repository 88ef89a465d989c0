"""Working-day calendar for China (RG-3): statutory holidays and make-up working days.

Pure functions of dates; no ORM."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from socorg.core.models import DayUnit


@lru_cache(maxsize=64)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def is_working_day(day: date) -> bool:
    """A weekday that is not a holiday, or a weekend make-up working day (调休上班)."""
    return bool(_china(day.year).is_working_day(day))


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (the start day itself does not count)."""
    current, remaining = start, days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(n)))


def add_days(start: date, days: int, unit: str) -> date:
    if unit == DayUnit.WORKING:
        return add_working_days(start, days)
    return start + timedelta(days=days)


def due_date(start: date, days: int, unit: str) -> date:
    """Due date of a clock of ``days`` (calendar or working) started on ``start``. A calendar
    deadline falling on a non-working day moves to the next working day."""
    due = add_days(start, days, unit)
    if unit == DayUnit.CALENDAR:
        while not is_working_day(due):
            due += timedelta(days=1)
    return due


def resume_due_date(due: date, paused_on: date, resumed_on: date, unit: str) -> date:
    """After a pause (补正), the clock resumes with the time that was left when it stopped."""
    if unit == DayUnit.WORKING:
        left = working_days_between(paused_on, due)
        return add_working_days(resumed_on, max(left, 0))
    left = (due - paused_on).days
    return due_date(resumed_on, max(left, 0), unit)


def days_left(today: date, due: date, unit: str) -> int:
    if unit == DayUnit.WORKING:
        return working_days_between(today, due)
    return (due - today).days
