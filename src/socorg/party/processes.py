"""Workflow processes of party building, declared as data.

Instructor visit (走访记录): a visit with follow-ups waits (``follow_up_open``) until its
instructor reports them done (``follow_up_done``, the result as the transition's comment); a
visit without follow-ups needs nothing (``no_follow_up``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socorg.core.access import roles_with
from socorg.core.workflow import Action, Process, register
from socorg.party import access, effects
from socorg.party.models import InstructorVisit, VisitState

V = VisitState

INSTRUCTOR_VISIT = register(
    Process(
        name="instructor_visit",
        label=_("指导员走访跟进"),
        model=InstructorVisit,
        states=dict(V.choices),
        initial=V.NO_FOLLOW_UP,
        access=access.access_visit,
        scope=access.scope_visits,
        jurisdiction=lambda visit: visit.assignment.organization.jurisdiction,
        final_states=frozenset({V.NO_FOLLOW_UP, V.FOLLOW_UP_DONE}),
        actions=(
            Action(
                name="close_follow_up",
                label=_("跟进办结"),
                sources=(V.FOLLOW_UP_OPEN,),
                target=V.FOLLOW_UP_DONE,
                roles=roles_with("instructors.visit"),
                guard=effects.follow_up_guard,
                comment_required=True,
                effect=effects.follow_up_closed,
                style="success",
            ),
        ),
    )
)
