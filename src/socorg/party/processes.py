"""Workflow processes of party building, declared as data.

Brand activity (日出初光 暖益港城): planned → held (reported with the number of people it
reached, once it has started) or → cancelled (with the reason). Who may fire each action
comes from the permission table (``core.access.roles_with``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socorg.core.access import roles_with
from socorg.core.models import User
from socorg.core.workflow import Action, Process, register
from socorg.party import access
from socorg.party.models import ActivityState, BrandActivity


def activity_held_guard(activity: Any, actor: User) -> str | None:
    """An activity is reported held once it has started, with the people it reached."""
    if activity.starts_on > timezone.localdate():
        return _("活动尚未开始（%(day)s），不能登记为已开展。") % {"day": activity.starts_on}
    if not activity.participants:
        return _("请填写参与人次后再登记为已开展。")
    return None


A = ActivityState

BRAND_ACTIVITY = register(
    Process(
        name="brand_activity",
        label=gettext_lazy("党建品牌活动"),
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
                label=gettext_lazy("登记为已开展"),
                sources=(A.PLANNED,),
                target=A.HELD,
                roles=roles_with("brand.manage"),
                guard=activity_held_guard,
                style="success",
            ),
            Action(
                name="cancel",
                label=gettext_lazy("取消活动"),
                sources=(A.PLANNED,),
                target=A.CANCELLED,
                roles=roles_with("brand.manage"),
                comment_required=True,
                style="secondary",
            ),
        ),
    )
)
