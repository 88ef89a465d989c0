"""The registration work waiting for each user, for the home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.models import User
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


def _list(anchor: str) -> str:
    """The list on the registration worklist page that a count counts."""
    return f"{reverse('registration:home')}#{anchor}"


def registration_work(user: User) -> list[WorkCount]:
    """Each count only for the roles that can open the list behind it, and each a link to that
    list: opinions for reviewers, acceptance for the approval bureau, decisions and escalations
    for the deciding division, open applications for applicants."""
    if not access.has_perm(user, "registration.view"):
        return []
    work = []
    if access.has_perm(user, "registration.review"):
        opinions = selectors.opinions_to_give(user).count()
        work.append(
            WorkCount(_("待出具的联合审核意见"), opinions, _list("opinions"), "chat-square-text")
        )
    if access.has_perm(user, "registration.accept"):
        to_accept = selectors.applications_to_accept(user).count()
        work.append(WorkCount(_("待受理的登记申请"), to_accept, _list("to-accept"), "inbox"))
    if access.has_perm(user, "registration.decide"):
        to_decide = selectors.applications_to_decide(user).count()
        work.append(
            WorkCount(_("待决定的登记申请"), to_decide, _list("to-decide"), "check2-square")
        )
        escalated = selectors.opinions_escalated(user).count()
        work.append(
            WorkCount(_("逾期未出具意见（已督办）"), escalated, _list("escalated"), "alarm")
        )
    if access.has_perm(user, "registration.apply"):
        mine = selectors.applications_in_state(user, OPEN_STATES).count()
        work.append(WorkCount(_("办理中的登记申请"), mine, _list("mine"), "file-earmark-text"))
    return work
