"""Working-day calendar for China (RG-3): statutory holidays and make-up working days.

RG-3 counts calendar days where the law says 日 and working days where it says 工作日, with
China's statutory holidays and the weekend days worked in exchange (调休上班). Pure functions of
dates; no ORM."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from socorg.core.models import DayUnit


@lru_cache(maxsize=64)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def is_working_day(day: date) -> bool:
    """RG-3: a weekday that is not a statutory holiday, or a weekend make-up working day."""
    return bool(_china(day.year).is_working_day(day))


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, days: int) -> date:
    """RG-3: the date ``days`` working days after ``start`` (the start day itself does not
    count). Zero days gives the first working day on or after ``start``, so the result is always
    a working day."""
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return next_working_day(start)
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
    """RG-3: due date of a clock of ``days`` (calendar or working) started on ``start``. A
    calendar deadline falling on a holiday or weekend moves to the next working day."""
    due = add_days(start, days, unit)
    if unit == DayUnit.CALENDAR:
        due = next_working_day(due)
    return due


def resume_due_date(due: date, paused_on: date, resumed_on: date, unit: str) -> date:
    """RG-3: after a pause (补正) the clock resumes with the time that was left when it stopped,
    counted in its own unit. A clock already overdue when paused keeps its due date."""
    if paused_on > due:
        return due
    if unit == DayUnit.WORKING:
        return add_working_days(resumed_on, working_days_between(paused_on, due))
    return due_date(resumed_on, (due - paused_on).days, unit)


def days_left(today: date, due: date, unit: str) -> int:
    if unit == DayUnit.WORKING:
        return working_days_between(today, due)
    return (due - today).days
