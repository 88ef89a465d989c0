"""The registration work waiting for each user, for the home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.models import Role, User
from socorg.core.worklist import WorkCount
from socorg.registration.models import ApplicationState
from socorg.registration.selectors import applications as selectors

OPEN_STATES: list[str] = [
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.CORRECTION_REQUESTED,
    ApplicationState.JOINT_REVIEW,
    ApplicationState.REVIEW_CORRECTION,
]


def registration_work(user: User) -> list[WorkCount]:
    if not access.has_perm(user, "registration.view"):
        return []
    url = reverse("registration:home")
    return [
        WorkCount(
            _("待出具的联合审核意见"),
            selectors.opinions_to_give(user).count(),
            url,
            "chat-square-text",
        ),
        WorkCount(
            _("待受理的登记申请"), selectors.applications_to_accept(user).count(), url, "inbox"
        ),
        WorkCount(
            _("逾期未出具意见（已督办）"), selectors.opinions_escalated(user).count(), url, "alarm"
        ),
        WorkCount(
            _("办理中的登记申请"),
            selectors.applications_in_state(user, OPEN_STATES).count()
            if user.role == Role.ORGANIZATION
            else 0,
            url,
            "file-earmark-text",
        ),
    ]
