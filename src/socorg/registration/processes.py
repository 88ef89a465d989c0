"""Workflow processes of registration, declared as data: the application and its opinions.

Application: draft → submitted → (correction_requested ↔ submitted) → joint_review
(↔ review_correction, which pauses the RG-3 clock) → approved | refused. Opinion: pending →
consented | refused; two reviewers clicking at once are separated by the engine's conditional
UPDATE."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from socorg.core.models import DayUnit, Role, User
from socorg.core.workflow import Action, Clock, Process, register
from socorg.registration import selectors
from socorg.registration.models import (
    Application,
    ApplicationState,
    Opinion,
    OpinionState,
)

S = ApplicationState
APPLICANT = frozenset({Role.ORGANIZATION})
CLERK = frozenset({Role.APPROVAL_CLERK})
BUREAU = frozenset({Role.REGISTRAR, Role.DIVISION_HEAD})
DECIDERS = frozenset({Role.DIVISION_HEAD})


def _services() -> Any:
    from socorg.registration import services

    return services


def _submit_guard(app: Application, actor: User) -> str | None:
    return _services().application_submit_problem(application=app, actor=actor)


def _applicant_guard(app: Application, actor: User) -> str | None:
    return _services().application_owner_problem(application=app, actor=actor)


def _approve_guard(app: Application, actor: User) -> str | None:
    return _services().application_approval_problem(application=app)


APPLICATION = register(
    Process(
        name="application",
        label=_("登记申请"),
        model=Application,
        states={k: str(v) for k, v in ApplicationState.choices},
        initial=S.DRAFT,
        access=selectors.access_application,
        scope=selectors.scope_applications,
        final_states=frozenset({S.APPROVED, S.REFUSED, S.WITHDRAWN}),
        actions=(
            Action(
                name="submit",
                label=_("提交申请"),
                sources=(S.DRAFT,),
                target=S.SUBMITTED,
                roles=APPLICANT,
                guard=_submit_guard,
                effect=lambda app, actor, comment: _services().on_submitted(app, actor),
            ),
            Action(
                name="withdraw",
                label=_("撤回申请"),
                sources=(S.DRAFT, S.SUBMITTED, S.CORRECTION_REQUESTED),
                target=S.WITHDRAWN,
                roles=APPLICANT,
                guard=_applicant_guard,
                effect=lambda app, actor, comment: _services().on_withdrawn(app),
                style="secondary",
            ),
            Action(
                name="request_correction",
                label=_("退回补正"),
                sources=(S.SUBMITTED,),
                target=S.CORRECTION_REQUESTED,
                roles=CLERK,
                comment_required=True,
                style="warning",
            ),
            Action(
                name="resubmit",
                label=_("补正后重新提交"),
                sources=(S.CORRECTION_REQUESTED,),
                target=S.SUBMITTED,
                roles=APPLICANT,
                guard=_submit_guard,
                effect=lambda app, actor, comment: _services().on_submitted(app, actor),
            ),
            Action(
                name="accept",
                label=_("受理"),
                sources=(S.SUBMITTED,),
                target=S.JOINT_REVIEW,
                roles=CLERK,
                effect=lambda app, actor, comment: _services().on_accepted(app, actor),
                style="success",
            ),
            Action(
                name="refuse_acceptance",
                label=_("不予受理"),
                sources=(S.SUBMITTED,),
                target=S.REFUSED,
                roles=CLERK,
                comment_required=True,
                effect=lambda app, actor, comment: _services().on_refused(app, actor, comment),
                style="danger",
            ),
            Action(
                name="request_review_correction",
                label=_("审核中要求补正"),
                sources=(S.JOINT_REVIEW,),
                target=S.REVIEW_CORRECTION,
                roles=BUREAU,
                comment_required=True,
                effect=lambda app, actor, comment: _services().on_review_correction(app),
                style="warning",
            ),
            Action(
                name="resubmit_review",
                label=_("提交补正材料"),
                sources=(S.REVIEW_CORRECTION,),
                target=S.JOINT_REVIEW,
                roles=APPLICANT,
                guard=_submit_guard,
                effect=lambda app, actor, comment: _services().on_review_resubmitted(app),
            ),
            Action(
                name="approve",
                label=_("准予登记"),
                sources=(S.JOINT_REVIEW,),
                target=S.APPROVED,
                roles=DECIDERS,
                guard=_approve_guard,
                effect=lambda app, actor, comment: _services().on_approved(app, actor, comment),
                style="success",
            ),
            Action(
                name="refuse",
                label=_("不予登记"),
                sources=(S.JOINT_REVIEW,),
                target=S.REFUSED,
                roles=DECIDERS,
                comment_required=True,
                effect=lambda app, actor, comment: _services().on_refused(app, actor, comment),
                style="danger",
            ),
        ),
    )
)


def _opinion_guard(opinion: Opinion, actor: User) -> str | None:
    return _services().opinion_problem(opinion=opinion, actor=actor)


OPINION = register(
    Process(
        name="opinion",
        label=_("联合审核意见"),
        model=Opinion,
        states={k: str(v) for k, v in OpinionState.choices},
        initial=OpinionState.PENDING,
        access=selectors.access_opinion,
        scope=selectors.scope_opinions,
        clocks=(
            Clock(
                state=OpinionState.PENDING,
                param="RG-14.opinion_working_days",
                unit=DayUnit.WORKING,
                rule_id="RG-14",
                where=lambda opinion: opinion.application.jurisdiction,
            ),
        ),
        final_states=frozenset({OpinionState.CONSENTED, OpinionState.REFUSED}),
        actions=(
            Action(
                name="consent",
                label=_("同意"),
                sources=(OpinionState.PENDING,),
                target=OpinionState.CONSENTED,
                roles=selectors.REVIEW_ROLES,
                guard=_opinion_guard,
                effect=lambda op, actor, comment: _services().on_opinion_given(op, actor, comment),
                style="success",
            ),
            Action(
                name="refuse",
                label=_("不同意"),
                sources=(OpinionState.PENDING,),
                target=OpinionState.REFUSED,
                roles=selectors.REVIEW_ROLES,
                guard=_opinion_guard,
                comment_required=True,
                effect=lambda op, actor, comment: _services().on_opinion_given(op, actor, comment),
                style="danger",
            ),
        ),
    )
)
