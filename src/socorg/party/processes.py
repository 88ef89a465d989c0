"""Workflow processes of party building, declared as data.

Instructor visit (走访记录): a visit with follow-ups waits (``follow_up_open``) until its
instructor reports them done (``follow_up_done``, the result as the transition's comment); a
visit without follow-ups needs nothing (``no_follow_up``).

Brand activity (日出初光 暖益港城): planned → held (reported with the number of people it
reached, once it has started) or → cancelled (with the reason)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socorg.core.access import roles_with
from socorg.core.workflow import Action, Process, register
from socorg.party import access, effects
from socorg.party.models import ActivityState, BrandActivity, InstructorVisit, VisitState

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

A = ActivityState

BRAND_ACTIVITY = register(
    Process(
        name="brand_activity",
        label=_("党建品牌活动"),
        model=BrandActivity,
        states=dict(ActivityState.choices),
        initial=A.PLANNED,
        access=lambda user, key: access.access_brand_activity(user, key),
        scope=access.scope_brand_activities,
        jurisdiction=lambda activity: activity.program.jurisdiction,
        final_states=frozenset({A.HELD, A.CANCELLED}),
        actions=(
            Action(
                name="hold",
                label=_("登记为已开展"),
                sources=(A.PLANNED,),
                target=A.HELD,
                roles=roles_with("brand.manage"),
                guard=effects.activity_held_guard,
                style="success",
            ),
            Action(
                name="cancel",
                label=_("取消活动"),
                sources=(A.PLANNED,),
                target=A.CANCELLED,
                roles=roles_with("brand.manage"),
                comment_required=True,
                style="secondary",
            ),
        ),
    )
)
