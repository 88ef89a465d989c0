"""Rules of the instructors' work, as pure functions of plain values: an assignment's period,
a visit's record, and an instructor's workload figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

Period = tuple[date, date | None]


def overlaps(a: Period, b: Period) -> bool:
    """Two periods share a day (an open end runs on)."""
    a_end, b_end = a[1] or date.max, b[1] or date.max
    return a[0] <= b_end and b[0] <= a_end


def assignment_problem(
    *, started_on: date, ended_on: date | None, today: date, existing: Iterable[Period]
) -> str | None:
    """An assignment starts no later than today, ends no earlier than it starts, and does not
    overlap another period of the same instructor with the same organization."""
    if started_on > today:
        return _("选派日期不能晚于今天。")
    if ended_on is not None and ended_on < started_on:
        return _("结束日期不能早于选派日期。")
    if any(overlaps((started_on, ended_on), period) for period in existing):
        return _("该指导员在这段时间内已被选派到该社会组织，不能重复选派。")
    return None


def end_problem(
    *, started_on: date, ended_on: date | None, end_on: date, today: date
) -> str | None:
    """An assignment ends once, on a day between its start and today."""
    if ended_on is not None:
        return _("该选派已于 %(d)s 结束。") % {"d": ended_on.isoformat()}
    if end_on < started_on:
        return _("结束日期不能早于选派日期（%(d)s）。") % {"d": started_on.isoformat()}
    if end_on > today:
        return _("结束日期不能晚于今天。")
    return None


def visit_problem(
    *,
    visited_on: date,
    today: date,
    period: Period,
    topics: str,
    findings: str,
    follow_ups: str,
    follow_up_due: date | None,
) -> str | None:
    """A visit happened (not in the future), while the assignment ran, with its topics and
    findings; a follow-up has a due date on or after the visit, and a due date a follow-up."""
    if visited_on > today:
        return _("走访日期不能晚于今天。")
    started_on, ended_on = period
    if visited_on < started_on or (ended_on is not None and visited_on > ended_on):
        return _("走访日期须在选派期间内（%(a)s 至 %(b)s）。") % {
            "a": started_on.isoformat(),
            "b": ended_on.isoformat() if ended_on else _("今"),
        }
    if not topics.strip():
        return _("请填写指导内容。")
    if not findings.strip():
        return _("请填写发现的问题；没有问题请填写“无”。")
    if follow_ups.strip() and follow_up_due is None:
        return _("有跟进事项时请填写跟进期限。")
    if follow_up_due is not None and not follow_ups.strip():
        return _("填写了跟进期限，请同时写明跟进事项。")
    if follow_up_due is not None and follow_up_due < visited_on:
        return _("跟进期限不能早于走访日期。")
    return None


@dataclass(frozen=True)
class Workload:
    """One instructor's figures: organizations assigned now, visits this year, how many of the
    organizations were visited this year, and follow-ups open and overdue."""

    instructor_id: int
    name: str
    division: str
    organizations: int
    visits: int
    visited: int
    open_follow_ups: int
    overdue_follow_ups: int

    @property
    def unvisited(self) -> int:
        return max(0, self.organizations - self.visited)
