"""Overdue and due-soon lists (RG-3): running clocks by due date, through the caller's scope."""

from __future__ import annotations

from datetime import date

from socorg.core import workflow
from socorg.core.models import Deadline
from socorg.core.selectors import deadlines_due_soon, deadlines_overdue
from socorg.registry.processes import DATA_CORRECTION
from socorg.registry.services import correction_propose

# The eve of the National Day holiday (10-01..10-07): the next working days are 10-08 and 10-09.
TODAY = date(2026, 9, 30)


def propose(city, registrar, org, domicile: str):
    return correction_propose(
        actor=registrar, organization=org, changes={"domicile": domicile}, reason="住所更正"
    )


def due_on(correction, day: date) -> None:
    Deadline.objects.filter(object_id=str(correction.pk)).update(due_on=day)


def ids(deadlines) -> list[str]:
    return [d.object_id for d in deadlines]


def test_overdue_lists_running_clocks_past_due_earliest_first(
    city, city_registrar, division_head
) -> None:
    late = propose(city, city_registrar, city.city_org, "住所甲")
    later = propose(city, city_registrar, city.edu_org, "住所乙")
    on_time = propose(city, city_registrar, city.donggang_org, "住所丙")
    due_on(late, date(2026, 9, 25))
    due_on(later, date(2026, 9, 28))
    due_on(on_time, TODAY)
    assert ids(deadlines_overdue(user=division_head, today=TODAY)) == [str(late.pk), str(later.pk)]


def test_due_soon_counts_working_days_across_the_holiday(
    city, city_registrar, division_head
) -> None:
    today = propose(city, city_registrar, city.city_org, "住所甲")
    after_holiday = propose(city, city_registrar, city.edu_org, "住所乙")
    too_far = propose(city, city_registrar, city.donggang_org, "住所丙")
    due_on(today, TODAY)
    due_on(after_holiday, date(2026, 10, 9))
    due_on(too_far, date(2026, 10, 10))  # a make-up working Saturday, the third working day
    soon = ids(deadlines_due_soon(user=division_head, today=TODAY, days=2))
    assert soon == [str(today.pk), str(after_holiday.pk)]


def test_paused_and_closed_clocks_are_not_listed(city, city_registrar, division_head) -> None:
    paused = propose(city, city_registrar, city.city_org, "住所甲")
    closed = propose(city, city_registrar, city.edu_org, "住所乙")
    due_on(paused, date(2026, 9, 1))
    due_on(closed, date(2026, 9, 1))
    workflow.deadline_pause(process=DATA_CORRECTION, obj=paused, on=date(2026, 8, 30))
    workflow.fire(process=DATA_CORRECTION, key=closed.pk, action="approve", actor=division_head)
    assert list(deadlines_overdue(user=division_head, today=TODAY)) == []


def test_deadlines_follow_the_callers_scope(
    city, city_registrar, lanshan_registrar, edu_liaison, org_account
) -> None:
    mine = propose(city, city_registrar, city.lanshan_org, "住所甲")
    theirs = propose(city, city_registrar, city.city_org, "住所乙")
    due_on(mine, date(2026, 9, 1))
    due_on(theirs, date(2026, 9, 1))
    assert ids(deadlines_overdue(user=lanshan_registrar, today=TODAY)) == [str(mine.pk)]
    assert len(deadlines_overdue(user=city_registrar, today=TODAY)) == 2
    assert list(deadlines_overdue(user=edu_liaison, today=TODAY)) == []
    assert list(deadlines_overdue(user=org_account, today=TODAY)) == []
