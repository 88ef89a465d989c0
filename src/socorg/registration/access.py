"""Data scope of registration: which applications, opinions, principal candidate reviews and term
transitions a user may see, and who may give which opinion on a vetting.

Built on the roles and helpers of :mod:`socorg.core.access` and the organizations of
:mod:`socorg.registry.access`. Applicants see their own applications (an organization account
also those of its organization); bureau and approval staff see submitted applications in their
jurisdiction; a department's reviewers see only the applications their department was asked
about, and only their own department's opinions (the joint review's rule). Vettings and term
transitions follow their organization's scope.

Who sees what of an application's joint review (``scope_application_opinions``,
``opinion_view``; the API and the page read it the same way). RULES.md does not say what the
applicant is told of the opinions; the system's choice:

- the registration division and the bureau's leadership (registrar, reviewer, division head,
  director): every opinion, with its comment and who gave it, also the withdrawn ones;
- a reviewing department (liaison, supervisory-unit or party-building reviewer): only its own
  department's opinions, in full — never another department's opinion or comment;
- the applicant, and bureau staff outside the division (approval clerk, auditor, …): the
  outcome per department still asked — pending, consent or objection — and the reason of an
  objection (a decision the applicant may answer); not a consent's internal comment, nor the
  person who gave an opinion. What the applicant is asked to correct reaches them as the
  comment of the 补正 request in the application's history."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.attachments import attachment_owner_register
from socorg.core.models import DepartmentKind, Role, User
from socorg.registration.models import Application, ApplicationState, Opinion, OpinionState
from socorg.registry import access as registry_access
from socorg.registry.models import (
    Organization,
    PrincipalCandidateReview,
    Responsibility,
    ResponsibilityKind,
    TermTransition,
)

# Roles that give opinions in a joint review, for their own department.
REVIEW_ROLES = access.roles_with("registration.review")
# Owners of attachments: an application's materials, a filing's audit report, an
# organization's own files (its registration certificates).
APPLICATION_OWNER = "registration.application"
AUDIT_REPORT_OWNER = "registry.term_transition"
ORGANIZATION_OWNER = "registry.organization"


def _pk(key: int | str) -> int:
    text = str(key)
    return int(text) if text.isdigit() else 0


# --- applications and opinions ----------------------------------------------------------------


def scope_applications(user: User) -> QuerySet[Application]:
    """The applications ``user`` may see. Default: none."""
    qs = Application.objects.all()
    if not access.is_staff_user(user):
        return qs.none()
    if user.role == Role.ORGANIZATION:
        own = Q(applicant=user)
        if user.organization_id:
            own |= Q(organization_id=user.organization_id)
        return qs.filter(own)
    if user.role in access.JURISDICTION_ROLES:
        return qs.filter(jurisdiction_id__in=access.jurisdiction_ids_in_scope(user)).exclude(
            state=ApplicationState.DRAFT
        )
    if user.role in access.DEPARTMENT_ROLES and user.department_id:
        asked = Opinion.objects.filter(department_id=user.department_id).values("application_id")
        return qs.filter(id__in=asked)
    return qs.none()


def access_application(user: User, pk: int | str) -> Application:
    """The application if the user may see it; 404 otherwise."""
    app = (
        scope_applications(user)
        .select_related("jurisdiction", "supervisory_unit", "industry_regulator", "organization")
        .filter(pk=_pk(pk))
        .first()
    )
    if app is None:
        raise Http404(_("未找到该申请，或您无权查看。"))
    return app


def scope_opinions(user: User) -> QuerySet[Opinion]:
    """Opinions of the user's own department; the division head sees every opinion of the
    applications in the jurisdiction (to follow up escalations)."""
    qs = Opinion.objects.all()
    if not access.has_perm(user, "registration.view_opinions"):
        return qs.none()
    if user.role == Role.DIVISION_HEAD:
        return qs.filter(application__in=scope_applications(user))
    if user.role in REVIEW_ROLES and user.department_id:
        return qs.filter(department_id=user.department_id).exclude(
            application__state=ApplicationState.DRAFT
        )
    return qs.none()


def access_opinion(user: User, pk: int | str) -> Opinion:
    opinion = (
        scope_opinions(user).select_related("application", "department").filter(pk=_pk(pk)).first()
    )
    if opinion is None:
        raise Http404(_("未找到该审核意见，或您无权查看。"))
    return opinion


# --- the opinions of one application ---------------------------------------------------------

# The registration division and the bureau's leadership: every opinion of an application in
# their jurisdiction, with the comments and who gave them.
DIVISION_ROLES = frozenset({Role.REGISTRAR, Role.REVIEWER, Role.DIVISION_HEAD, Role.DIRECTOR})


class OpinionView(StrEnum):
    """How much of an application's joint review a user sees (see the module docstring)."""

    ALL = "all"  # every opinion, in full
    OWN_DEPARTMENT = "own_department"  # the department's own opinions, in full
    OUTCOME = "outcome"  # each department's outcome and the reason of a refusal
    NONE = "none"


def opinion_view(user: User) -> OpinionView:
    if user.role in DIVISION_ROLES:
        return OpinionView.ALL
    if user.role in access.DEPARTMENT_ROLES:
        return OpinionView.OWN_DEPARTMENT if user.department_id else OpinionView.NONE
    if user.role == Role.ORGANIZATION or user.role in access.JURISDICTION_ROLES:
        return OpinionView.OUTCOME
    return OpinionView.NONE


def scope_application_opinions(user: User, application: Application) -> QuerySet[Opinion]:
    """The opinions of ``application`` (already passed ``access_application``) that ``user``
    may see: all of them for the division; a reviewing department only its own; the
    applicant and the other bureau staff those still asked (not the withdrawn ones). What of
    each opinion they see is :func:`opinion_view`'s."""
    qs = Opinion.objects.filter(application=application)
    view = opinion_view(user)
    if view == OpinionView.ALL:
        return qs
    if view == OpinionView.OWN_DEPARTMENT and user.department_id is not None:
        return qs.filter(department_id=user.department_id)
    if view == OpinionView.OUTCOME:
        return qs.exclude(state=OpinionState.WITHDRAWN)
    return qs.none()


# --- principal candidate reviews and term transitions -----------------------------------------


def scope_principal_reviews(user: User) -> QuerySet[PrincipalCandidateReview]:
    if not access.has_perm(user, "principals.view"):
        return PrincipalCandidateReview.objects.none()
    return PrincipalCandidateReview.objects.filter(
        organization__in=registry_access.scope_organizations(user)
    )


def access_principal_review(user: User, pk: int | str) -> PrincipalCandidateReview:
    """The review if its organization lies in the user's scope; 404 otherwise."""
    review = (
        scope_principal_reviews(user)
        .select_related("organization", "submitted_by")
        .filter(pk=_pk(pk))
        .first()
    )
    if review is None:
        raise Http404(_("未找到该负责人候选人审核。"))
    return review


def scope_term_transitions(user: User) -> QuerySet[TermTransition]:
    if not access.has_perm(user, "terms.view"):
        return TermTransition.objects.none()
    return TermTransition.objects.filter(organization__in=registry_access.scope_organizations(user))


def access_term_transition(user: User, pk: int | str) -> TermTransition:
    transition = (
        scope_term_transitions(user)
        .select_related("organization", "review", "audit_report", "previous_term", "new_term")
        .filter(pk=_pk(pk))
        .first()
    )
    if transition is None:
        raise Http404(_("未找到该换届备案。"))
    return transition


# --- who gives which opinion on a vetting (TT-4) ----------------------------------------------


def is_party_body_of(user: User, organization: Organization, on: date | None = None) -> bool:
    """The user's department manages the organization's party building, or is a party-building
    body (两新工委, 行业党委) holding any current responsibility for it."""
    if not user.department_id:
        return False
    current = Responsibility.objects.current(on).filter(
        organization=organization, department_id=user.department_id
    )
    party_body = Q(department__kind=DepartmentKind.PARTY_BUILDING_BODY)
    return current.filter(
        party_body | Q(kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT)
    ).exists()


def is_supervisory_unit_of(user: User, organization: Organization) -> bool:
    """The user's department is the organization's supervisory unit; for a directly registered
    organization without one, its industry regulator."""
    if not user.department_id:
        return False
    unit = organization.supervisory_unit_id or organization.industry_regulator_id
    return unit is not None and unit == user.department_id


def party_opinion_problem(review: PrincipalCandidateReview, actor: User) -> str | None:
    if is_party_body_of(actor, review.organization):
        return None
    return _("您所在的部门不负责该组织的党建工作，不能出具党建意见。")


def unit_opinion_problem(review: PrincipalCandidateReview, actor: User) -> str | None:
    if is_supervisory_unit_of(actor, review.organization):
        return None
    return _("您所在的部门不是该组织的业务主管单位，不能出具业务主管单位意见。")


def review_withdraw_problem(review: PrincipalCandidateReview, actor: User) -> str | None:
    if actor.role == Role.REGISTRAR or actor.organization_id == review.organization_id:
        return None
    return _("只有提交的社会组织或登记机关可以撤回。")


# Who may take each action of a vetting, before its content is looked at (the detail page
# offers only the actions the user passes).
_REVIEW_ACTORS = {
    "party_agree": party_opinion_problem,
    "party_agree_final": party_opinion_problem,
    "party_refuse": party_opinion_problem,
    "unit_agree": unit_opinion_problem,
    "unit_agree_final": unit_opinion_problem,
    "unit_refuse": unit_opinion_problem,
    "withdraw": review_withdraw_problem,
}


def review_actor_problem(action: str, review: PrincipalCandidateReview, actor: User) -> str | None:
    """Why ``actor`` may not take the vetting's ``action`` (their department's part in it)."""
    check = _REVIEW_ACTORS.get(action)
    return check(review, actor) if check is not None else None


# --- attachments ------------------------------------------------------------------------------

attachment_owner_register(APPLICATION_OWNER, access_application)
attachment_owner_register(AUDIT_REPORT_OWNER, access_term_transition)
attachment_owner_register(ORGANIZATION_OWNER, registry_access.access_organization)
