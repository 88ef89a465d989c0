"""Workflow processes of registration, declared as data: the application and its opinions, the
principal candidate review (TT-4) and the term transition (TT-1). Who may fire each action comes
from the permission table (``core.access.roles_with``); what an action checks and does is in
``effects.py``.

Term transition: a filing of an organization whose division holds the pre-review duty waits for
that division (``pre_review``, its clock RG-14's working days) before the registrar's decision.

Application: draft → submitted → (correction_requested ↔ submitted) → joint_review
(↔ review_correction, which pauses the RG-3 clock) → approved | refused. Opinion: pending →
consented | refused; two reviewers clicking at once are separated by the engine's conditional
UPDATE. After 补正 during the review the applicant's resubmission re-plans the opinions from the
corrected content (RG-14): ``withdraw`` and ``reopen`` follow from it through the engine
(``workflow.follow``) and are fired by no role.

The vetting needs two opinions, in either order: the party-building body's and the supervisory
unit's. Each "agree" exists twice (first opinion → waiting for the other; second opinion →
approved) so that every transition keeps a fixed target; only the one valid in the current state
is offered. Either body's refusal ends the review."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socorg.core.access import roles_with
from socorg.core.models import DayUnit
from socorg.core.workflow import Action, Clock, Process, register
from socorg.registration import access, effects
from socorg.registration.models import Application, ApplicationState, Opinion, OpinionState
from socorg.registry.models import (
    PrincipalCandidateReview,
    PrincipalReviewState,
    TermTransition,
    TermTransitionState,
)

S = ApplicationState


APPLICATION = register(
    Process(
        name="application",
        label=_("登记申请"),
        model=Application,
        states=dict(ApplicationState.choices),
        initial=S.DRAFT,
        access=access.access_application,
        scope=access.scope_applications,
        jurisdiction=lambda app: app.jurisdiction,
        # RG-3: the decision is due within 60 days of 受理, paused while waiting for 补正.
        clocks=(
            Clock(
                state=S.JOINT_REVIEW,
                through=frozenset({S.REVIEW_CORRECTION}),
                param="RG-3.decision_days",
                unit=DayUnit.CALENDAR,
                rule_id="RG-3",
                unit_param="RG-3.decision_day_unit",
            ),
        ),
        final_states=frozenset({S.APPROVED, S.REFUSED, S.WITHDRAWN}),
        actions=(
            Action(
                name="submit",
                label=_("提交申请"),
                sources=(S.DRAFT,),
                target=S.SUBMITTED,
                roles=roles_with("registration.apply"),
                guard=effects.submit_guard,
                effect=effects.submitted,
            ),
            Action(
                name="withdraw",
                label=_("撤回申请"),
                sources=(S.DRAFT, S.SUBMITTED, S.CORRECTION_REQUESTED),
                target=S.WITHDRAWN,
                roles=roles_with("registration.withdraw"),
                guard=effects.applicant_guard,
                effect=effects.withdrawn,
                style="secondary",
            ),
            Action(
                name="request_correction",
                label=_("退回补正"),
                sources=(S.SUBMITTED,),
                target=S.CORRECTION_REQUESTED,
                roles=roles_with("registration.accept"),
                comment_required=True,
                style="warning",
            ),
            Action(
                name="resubmit",
                label=_("补正后重新提交"),
                sources=(S.CORRECTION_REQUESTED,),
                target=S.SUBMITTED,
                roles=roles_with("registration.apply"),
                guard=effects.submit_guard,
                effect=effects.submitted,
            ),
            Action(
                name="accept",
                label=_("受理"),
                sources=(S.SUBMITTED,),
                target=S.JOINT_REVIEW,
                roles=roles_with("registration.accept"),
                effect=effects.accepted,
                style="success",
            ),
            Action(
                name="refuse_acceptance",
                label=_("不予受理"),
                sources=(S.SUBMITTED,),
                target=S.REFUSED,
                roles=roles_with("registration.accept"),
                comment_required=True,
                effect=effects.refused,
                style="danger",
            ),
            Action(
                name="request_review_correction",
                label=_("审核中要求补正"),
                sources=(S.JOINT_REVIEW,),
                target=S.REVIEW_CORRECTION,
                roles=roles_with("registration.review_correction"),
                comment_required=True,
                effect=effects.review_correction_requested,
                style="warning",
            ),
            Action(
                name="resubmit_review",
                label=_("提交补正材料"),
                sources=(S.REVIEW_CORRECTION,),
                target=S.JOINT_REVIEW,
                roles=roles_with("registration.apply"),
                guard=effects.submit_guard,
                effect=effects.review_resubmitted,
            ),
            Action(
                name="approve",
                label=_("准予登记"),
                sources=(S.JOINT_REVIEW,),
                target=S.APPROVED,
                roles=roles_with("registration.decide"),
                guard=effects.approve_guard,
                effect=effects.approved,
                style="success",
            ),
            Action(
                name="refuse",
                label=_("不予登记"),
                sources=(S.JOINT_REVIEW,),
                target=S.REFUSED,
                roles=roles_with("registration.decide"),
                guard=effects.decide_guard,
                comment_required=True,
                effect=effects.refused,
                style="danger",
            ),
        ),
    )
)

OPINION = register(
    Process(
        name="opinion",
        label=_("联合审核意见"),
        model=Opinion,
        states=dict(OpinionState.choices),
        initial=OpinionState.PENDING,
        access=access.access_opinion,
        scope=access.scope_opinions,
        jurisdiction=lambda opinion: opinion.application.jurisdiction,
        clocks=(
            Clock(
                state=OpinionState.PENDING,
                param="RG-14.opinion_working_days",
                unit=DayUnit.WORKING,
                rule_id="RG-14",
            ),
        ),
        final_states=frozenset({OpinionState.CONSENTED, OpinionState.REFUSED}),
        actions=(
            Action(
                name="consent",
                label=_("同意"),
                sources=(OpinionState.PENDING,),
                target=OpinionState.CONSENTED,
                roles=roles_with("registration.review"),
                guard=effects.opinion_guard,
                effect=effects.opinion_given,
                style="success",
            ),
            Action(
                name="refuse",
                label=_("不同意"),
                sources=(OpinionState.PENDING,),
                target=OpinionState.REFUSED,
                roles=roles_with("registration.review"),
                guard=effects.opinion_guard,
                comment_required=True,
                effect=effects.opinion_given,
                style="danger",
            ),
            # RG-14 after 补正: the corrected application no longer concerns the department (or
            # its opinion waits for the supervisory unit's new consent) …
            Action(
                name="withdraw",
                label=_("撤销征求意见"),
                sources=(OpinionState.PENDING, OpinionState.CONSENTED, OpinionState.REFUSED),
                target=OpinionState.WITHDRAWN,
                roles=roles_with("registration.replan_review"),
                style="secondary",
            ),
            # … or the facts it reviewed changed, or it is asked again: a new opinion is due.
            Action(
                name="reopen",
                label=_("重新征求意见"),
                sources=(OpinionState.CONSENTED, OpinionState.REFUSED, OpinionState.WITHDRAWN),
                target=OpinionState.PENDING,
                roles=roles_with("registration.replan_review"),
                effect=effects.opinion_reopened,
                style="secondary",
            ),
        ),
    )
)

R = PrincipalReviewState
_PARTY = roles_with("principals.party_opinion")
_UNIT = roles_with("principals.unit_opinion")
_PARTY_AGREE = _("党建意见：同意")
_PARTY_REFUSE = _("党建意见：不同意")
_UNIT_AGREE = _("主管单位意见：同意")
_UNIT_REFUSE = _("主管单位意见：不同意")

PRINCIPAL_REVIEW = register(
    Process(
        name="principal_candidate_review",
        label=_("负责人候选人审核"),
        model=PrincipalCandidateReview,
        states=dict(R.choices),
        initial=R.SUBMITTED,
        access=access.access_principal_review,
        scope=access.scope_principal_reviews,
        final_states=frozenset({R.APPROVED, R.REFUSED, R.WITHDRAWN}),
        actions=(
            Action(
                name="party_agree",
                label=_PARTY_AGREE,
                sources=(R.SUBMITTED,),
                target=R.PARTY_AGREED,
                roles=_PARTY,
                guard=effects.party_agree_guard,
                style="success",
            ),
            Action(
                name="party_agree_final",
                label=_PARTY_AGREE,
                sources=(R.UNIT_AGREED,),
                target=R.APPROVED,
                roles=_PARTY,
                guard=effects.party_agree_guard,
                style="success",
            ),
            Action(
                name="party_refuse",
                label=_PARTY_REFUSE,
                sources=(R.SUBMITTED, R.UNIT_AGREED),
                target=R.REFUSED,
                roles=_PARTY,
                guard=effects.party_guard,
                comment_required=True,
                style="danger",
            ),
            Action(
                name="unit_agree",
                label=_UNIT_AGREE,
                sources=(R.SUBMITTED,),
                target=R.UNIT_AGREED,
                roles=_UNIT,
                guard=effects.unit_agree_guard,
                style="success",
            ),
            Action(
                name="unit_agree_final",
                label=_UNIT_AGREE,
                sources=(R.PARTY_AGREED,),
                target=R.APPROVED,
                roles=_UNIT,
                guard=effects.unit_agree_guard,
                style="success",
            ),
            Action(
                name="unit_refuse",
                label=_UNIT_REFUSE,
                sources=(R.SUBMITTED, R.PARTY_AGREED),
                target=R.REFUSED,
                roles=_UNIT,
                guard=effects.unit_guard,
                comment_required=True,
                style="danger",
            ),
            Action(
                name="withdraw",
                label=_("撤回"),
                sources=(R.SUBMITTED,),
                target=R.WITHDRAWN,
                roles=roles_with("principals.submit"),
                guard=effects.withdraw_guard,
                style="secondary",
            ),
        ),
    )
)

T = TermTransitionState

TERM_TRANSITION = register(
    Process(
        name="term_transition",
        label=_("换届备案"),
        model=TermTransition,
        states=dict(T.choices),
        initial=T.SUBMITTED,
        access=access.access_term_transition,
        scope=access.scope_term_transitions,
        jurisdiction=lambda transition: transition.organization.jurisdiction,
        # The division's pre-review (前置审查) is due within RG-14's working days.
        clocks=(
            Clock(
                state=T.PRE_REVIEW,
                param="RG-14.opinion_working_days",
                unit=DayUnit.WORKING,
                rule_id="RG-14",
            ),
        ),
        final_states=frozenset({T.APPROVED, T.RETURNED}),
        actions=(
            Action(
                name="pre_review_consent",
                label=_("前置审查：同意"),
                sources=(T.PRE_REVIEW,),
                target=T.SUBMITTED,
                roles=roles_with("terms.pre_review"),
                guard=effects.transition_pre_review_guard,
                style="success",
            ),
            Action(
                name="pre_review_refuse",
                label=_("前置审查：不同意"),
                sources=(T.PRE_REVIEW,),
                target=T.RETURNED,
                roles=roles_with("terms.pre_review"),
                guard=effects.transition_pre_review_guard,
                comment_required=True,
                style="danger",
            ),
            # Offered during the pre-review too, so that an early decision is refused with
            # its reason (the guard) rather than hidden.
            Action(
                name="approve",
                label=_("准予备案"),
                sources=(T.PRE_REVIEW, T.SUBMITTED),
                target=T.APPROVED,
                roles=roles_with("terms.approve"),
                guard=effects.transition_decide_guard,
                effect=effects.transition_approved,
                style="success",
            ),
            Action(
                name="return",
                label=_("退回"),
                sources=(T.PRE_REVIEW, T.SUBMITTED),
                target=T.RETURNED,
                roles=roles_with("terms.approve"),
                guard=effects.transition_decide_guard,
                comment_required=True,
                style="danger",
            ),
        ),
    )
)
