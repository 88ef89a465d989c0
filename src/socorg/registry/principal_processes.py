"""Workflow processes of principal candidate review (TT-4) and term transitions (TT-1), as data.

The review needs two opinions, in either order: the party-building body's and the supervisory
unit's. Each "agree" exists twice (first opinion → waiting for the other; second opinion →
approved) so that every transition keeps a fixed target; only the one valid in the current state
is offered. Either body's refusal ends the review."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from socorg.core.models import Role, User
from socorg.core.workflow import Action, Process, register
from socorg.registry import principal_selectors as ps
from socorg.registry.models import (
    PrincipalCandidateReview,
    PrincipalReviewState,
    TermTransition,
    TermTransitionState,
)

S = PrincipalReviewState
PARTY_ROLES = frozenset({Role.PARTY_BUILDING_REVIEWER})
UNIT_ROLES = frozenset({Role.DEPARTMENT_LIAISON, Role.SUPERVISORY_UNIT_REVIEWER})


def _party_problem(review: PrincipalCandidateReview, actor: User) -> str | None:
    if ps.is_party_body_of(actor, review.organization):
        return None
    return str(_("您所在的部门不负责该组织的党建工作，不能出具党建意见。"))


def _unit_problem(review: PrincipalCandidateReview, actor: User) -> str | None:
    if ps.is_supervisory_unit_of(actor, review.organization):
        return None
    return str(_("您所在的部门不是该组织的业务主管单位，不能出具业务主管单位意见。"))


def _submitter_problem(review: PrincipalCandidateReview, actor: User) -> str | None:
    if actor.role == Role.REGISTRAR or actor.organization_id == review.organization_id:
        return None
    return str(_("只有提交的社会组织或登记机关可以撤回。"))


def _no_blocking(
    who: Callable[[PrincipalCandidateReview, User], str | None],
) -> Callable[[PrincipalCandidateReview, User], str | None]:
    """The body's own check, then TT-2/TT-3/RG-4: a slate with a blocking finding cannot be
    agreed to."""

    def guard(review: PrincipalCandidateReview, actor: User) -> str | None:
        if problem := who(review, actor):
            return problem
        if review.has_blocking:
            return str(_("候选人中有不符合任职条件的情形，不能同意，请出具不同意意见。"))
        return None

    return guard


# Who may act, without the content check: the detail page offers only these actions.
ACTOR_CHECKS: dict[str, Callable[[PrincipalCandidateReview, User], str | None]] = {
    "party_agree": _party_problem,
    "party_agree_final": _party_problem,
    "party_refuse": _party_problem,
    "unit_agree": _unit_problem,
    "unit_agree_final": _unit_problem,
    "unit_refuse": _unit_problem,
    "withdraw": _submitter_problem,
}


def may_act(act: Action, review: PrincipalCandidateReview, user: User) -> bool:
    check = ACTOR_CHECKS.get(act.name)
    return check is None or check(review, user) is None


_PARTY_AGREE = _("党建意见：同意")
_PARTY_REFUSE = _("党建意见：不同意")
_UNIT_AGREE = _("主管单位意见：同意")
_UNIT_REFUSE = _("主管单位意见：不同意")

PRINCIPAL_REVIEW = register(
    Process(
        name="principal_candidate_review",
        label=_("负责人候选人审核"),
        model=PrincipalCandidateReview,
        states={value: str(label) for value, label in S.choices},
        initial=S.SUBMITTED,
        access=ps.access_principal_review,
        scope=ps.scope_principal_reviews,
        final_states=frozenset({S.APPROVED, S.REFUSED, S.WITHDRAWN}),
        actions=(
            Action("party_agree", _PARTY_AGREE, (S.SUBMITTED,), S.PARTY_AGREED, PARTY_ROLES,
                   guard=_no_blocking(_party_problem), style="success"),
            Action("party_agree_final", _PARTY_AGREE, (S.UNIT_AGREED,), S.APPROVED, PARTY_ROLES,
                   guard=_no_blocking(_party_problem), style="success"),
            Action("party_refuse", _PARTY_REFUSE, (S.SUBMITTED, S.UNIT_AGREED), S.REFUSED,
                   PARTY_ROLES, guard=_party_problem, comment_required=True, style="danger"),
            Action("unit_agree", _UNIT_AGREE, (S.SUBMITTED,), S.UNIT_AGREED, UNIT_ROLES,
                   guard=_no_blocking(_unit_problem), style="success"),
            Action("unit_agree_final", _UNIT_AGREE, (S.PARTY_AGREED,), S.APPROVED, UNIT_ROLES,
                   guard=_no_blocking(_unit_problem), style="success"),
            Action("unit_refuse", _UNIT_REFUSE, (S.SUBMITTED, S.PARTY_AGREED), S.REFUSED,
                   UNIT_ROLES, guard=_unit_problem, comment_required=True, style="danger"),
            Action("withdraw", _("撤回"), (S.SUBMITTED,), S.WITHDRAWN,
                   frozenset({Role.REGISTRAR, Role.ORGANIZATION}), guard=_submitter_problem,
                   style="secondary"),
        ),
    )
)  # fmt: skip


def _apply_transition(transition: TermTransition, actor: User, comment: str) -> None:
    from socorg.registry.principal_services import term_transition_apply

    term_transition_apply(transition=transition, actor=actor)


T = TermTransitionState

TERM_TRANSITION = register(
    Process(
        name="term_transition",
        label=_("换届备案"),
        model=TermTransition,
        states={value: str(label) for value, label in T.choices},
        initial=T.SUBMITTED,
        access=ps.access_term_transition,
        scope=ps.scope_term_transitions,
        final_states=frozenset({T.APPROVED, T.RETURNED}),
        actions=(
            Action("approve", _("准予备案"), (T.SUBMITTED,), T.APPROVED,
                   frozenset({Role.REGISTRAR}), effect=_apply_transition, style="success"),
            Action("return", _("退回"), (T.SUBMITTED,), T.RETURNED,
                   frozenset({Role.REGISTRAR}), comment_required=True, style="danger"),
        ),
    )
)  # fmt: skip
