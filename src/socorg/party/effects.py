"""What the party processes' transitions check and do, each a call of a service."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.models import User
from socorg.party.models import InstructorVisit
from socorg.party.services import instructors


def follow_up_guard(visit: InstructorVisit, actor: User) -> str | None:
    return instructors.visit_follow_up_problem(visit=visit, actor=actor)


def follow_up_closed(visit: InstructorVisit, actor: User, comment: str) -> None:
    instructors.visit_follow_up_record(visit=visit, comment=comment)


def activity_held_guard(activity: Any, actor: User) -> str | None:
    """A brand activity is reported held once it has started, with the people it reached."""
    if activity.starts_on > timezone.localdate():
        return _("活动尚未开始（%(day)s），不能登记为已开展。") % {"day": activity.starts_on}
    if not activity.participants:
        return _("请填写参与人次后再登记为已开展。")
    return None
