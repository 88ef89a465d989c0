"""Pure rules of terms (TT-1, RG-11): how long a term may last and where a term stands seen
from a day (current, expiring, overdue, overdue by more than a year). Plain dates in; no ORM,
no request."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from socorg.core.rule_defaults import national_default
from socorg.registry.rules.organizations import term_end


class TermStatus(StrEnum):
    CURRENT = "current"
    EXPIRING = "expiring"
    OVERDUE = "overdue"
    OVERDUE_LONG = "overdue_long"


TERM_STATUS_LABELS = {
    TermStatus.CURRENT: _("任期内"),
    TermStatus.EXPIRING: _("即将届满"),
    TermStatus.OVERDUE: _("已届满未换届"),
    TermStatus.OVERDUE_LONG: _("逾期超过一年"),
}


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months; the day of month is clamped (31 May − 3
    months = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class TermWindows:
    """Cut-off dates of TT-1 seen from ``today``:

    - expiring: ``today <= ends_on <= expiring_until`` (preparation starts 3 months before expiry);
    - overdue: ``overdue_since <= ends_on < today`` (expired, delay at most 1 year);
    - overdue by more than a year: ``ends_on < overdue_since``."""

    today: date
    expiring_until: date
    overdue_since: date


def term_windows(
    today: date, *, preparation_months: int | None = None, max_delay_years: int | None = None
) -> TermWindows:
    """The windows seen from ``today``; the parameters TT-1.preparation_months and
    TT-1.max_delay_years as the caller read them (their national defaults when not given)."""
    if preparation_months is None:
        preparation_months = int(national_default("TT-1.preparation_months"))
    if max_delay_years is None:
        max_delay_years = int(national_default("TT-1.max_delay_years"))
    return TermWindows(
        today=today,
        expiring_until=add_months(today, preparation_months),
        overdue_since=add_years(today, -max_delay_years),
    )


def term_status(ends_on: date, windows: TermWindows) -> TermStatus:
    """TT-1 status of a term that ends on ``ends_on`` (its last day)."""
    if ends_on < windows.overdue_since:
        return TermStatus.OVERDUE_LONG
    if ends_on < windows.today:
        return TermStatus.OVERDUE
    if ends_on <= windows.expiring_until:
        return TermStatus.EXPIRING
    return TermStatus.CURRENT


def term_length_problem(starts_on: date, ends_on: date, *, max_years: int) -> str | None:
    """TT-1 / RG-11: a term lasts at most ``max_years`` years and ends at the latest the day
    before its anniversary (``registry.rules.organizations.term_end``: a term from 1 July 2026
    ends on 30 June 2031 at the latest, one from 29 February 2028 on 28 February 2033). The
    first term that registration creates ends exactly then."""
    if ends_on <= starts_on:
        return gettext("届满日期须晚于起始日期。")
    latest = term_end(starts_on, max_years)
    if ends_on > latest:
        return gettext("每届任期不得超过%(n)s年（自%(start)s起最迟至%(latest)s）。") % {
            "n": max_years,
            "start": f"{starts_on:%Y-%m-%d}",
            "latest": f"{latest:%Y-%m-%d}",
        }
    return None
