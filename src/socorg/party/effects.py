"""What the party processes' transitions check and do, each a call of a service."""

from __future__ import annotations

from socorg.core.models import User
from socorg.party.models import InstructorVisit
from socorg.party.services import instructors


def follow_up_guard(visit: InstructorVisit, actor: User) -> str | None:
    return instructors.visit_follow_up_problem(visit=visit, actor=actor)


def follow_up_closed(visit: InstructorVisit, actor: User, comment: str) -> None:
    instructors.visit_follow_up_record(visit=visit, comment=comment)
