"""The registration work waiting for each user, for the home page; and for an organization
account, what comes after approval (its next steps) or, before any application, how to start."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.liaison_sections import LiaisonSection
from socorg.core.models import Role, User
from socorg.core.worklist import Section, WorkCount, reverse_or_none
from socorg.registration.models import ApplicationKind, ApplicationState
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


@dataclass(frozen=True)
class StartGuide:
    """How an organization account without an organization or an application begins."""

    new_application: str | None
    registration_home: str | None


def registration_sections(user: User) -> list[Section]:
    """For an organization account: the next steps of each establishment approved for it,
    until its first annual report is due (AR-1); or, when it has neither an organization nor
    any application, how to apply for one."""
    if user.role != Role.ORGANIZATION or not access.has_perm(user, "registration.apply"):
        return []
    steps = founders_next_steps(user)
    if steps:
        return [Section("next_steps", "registration/home/_next_steps.html", steps)]
    if user.organization_id is None and not selectors.applications_of_applicant(user).exists():
        guide = StartGuide(
            new_application=reverse_or_none("registration:application_new"),
            registration_home=reverse_or_none("registration:home"),
        )
        return [Section("start_application", "registration/home/_start.html", guide)]
    return []


def founders_next_steps(user: User) -> list[selectors.NextSteps]:
    """The next steps of the applicant's approved establishments whose first annual report is
    not yet due."""
    approved = selectors.applications_of_applicant(user).filter(
        state=ApplicationState.APPROVED, kind=ApplicationKind.ESTABLISHMENT
    )
    today = timezone.localdate()
    return [
        steps
        for app in approved.select_related("organization", "jurisdiction")[:5]
        if (steps := selectors.next_steps(app)) and steps.first_report_due >= today
    ]


# --- the liaison's page -------------------------------------------------------------------

LIAISON_SHOWN = 10


def liaison_opinions_section(user: User) -> LiaisonSection | None:
    """On a department liaison's page: the joint-review opinions their department owes,
    earliest due first."""
    if user.role != Role.DEPARTMENT_LIAISON or not access.has_perm(user, "registration.review"):
        return None
    pending = selectors.opinions_to_give(user).select_related("application")
    return LiaisonSection(
        key="opinions",
        label=_("联合审核待出具意见"),
        template="registration/liaison/_opinions.html",
        data={"rows": list(pending[:LIAISON_SHOWN]), "today": timezone.localdate()},
        count=pending.count(),
        url=_list("opinions"),
        order=10,
    )
