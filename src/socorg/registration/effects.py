"""What the registration processes' transitions check and do: guards and effects, each a call
of a service. The processes (``processes.py``) name these functions; the services find a
process with ``workflow.get_process``, so processes, effects and services import in one
direction only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from socorg.core.models import User
from socorg.registration import access
from socorg.registration.models import Application, Opinion
from socorg.registration.services import applications, decisions, opinions, terms
from socorg.registry.models import PrincipalCandidateReview, TermTransition

# --- application ------------------------------------------------------------------------------


def submit_guard(app: Application, actor: User) -> str | None:
    return applications.application_submit_problem(application=app, actor=actor)


def applicant_guard(app: Application, actor: User) -> str | None:
    return applications.application_owner_problem(application=app, actor=actor)


def approve_guard(app: Application, actor: User) -> str | None:
    return decisions.application_approval_problem(application=app)


def decide_guard(app: Application, actor: User) -> str | None:
    return decisions.application_pre_review_problem(application=app)


def submitted(app: Application, actor: User, comment: str) -> None:
    applications.application_freeze(application=app)


def withdrawn(app: Application, actor: User, comment: str) -> None:
    decisions.application_record_withdrawal(application=app)


def accepted(app: Application, actor: User, comment: str) -> None:
    opinions.application_open_review(application=app)


def review_correction_requested(app: Application, actor: User, comment: str) -> None:
    opinions.application_pause_review(application=app)


def review_resubmitted(app: Application, actor: User, comment: str) -> None:
    opinions.application_resume_review(application=app, actor=actor)


def refused(app: Application, actor: User, comment: str) -> None:
    decisions.application_record_refusal(application=app, actor=actor, comment=comment)


def approved(app: Application, actor: User, comment: str) -> None:
    decisions.application_record_approval(application=app, actor=actor, comment=comment)


# --- opinion ----------------------------------------------------------------------------------


def opinion_guard(opinion: Opinion, actor: User) -> str | None:
    return opinions.opinion_problem(opinion=opinion, actor=actor)


def opinion_given(opinion: Opinion, actor: User, comment: str) -> None:
    opinions.opinion_record(opinion=opinion, actor=actor, comment=comment)


def opinion_reopened(opinion: Opinion, actor: User, comment: str) -> None:
    opinions.opinion_reset(opinion=opinion)


# --- principal candidate review (TT-4) --------------------------------------------------------


def party_guard(review: PrincipalCandidateReview, actor: User) -> str | None:
    return access.party_opinion_problem(review, actor)


def unit_guard(review: PrincipalCandidateReview, actor: User) -> str | None:
    return access.unit_opinion_problem(review, actor)


def withdraw_guard(review: PrincipalCandidateReview, actor: User) -> str | None:
    return access.review_withdraw_problem(review, actor)


def party_agree_guard(review: PrincipalCandidateReview, actor: User) -> str | None:
    return party_guard(review, actor) or _blocking(review)


def unit_agree_guard(review: PrincipalCandidateReview, actor: User) -> str | None:
    return unit_guard(review, actor) or _blocking(review)


def _blocking(review: PrincipalCandidateReview) -> str | None:
    """TT-2/TT-3/RG-4: a slate with a blocking finding cannot be agreed to."""
    if review.has_blocking:
        return _("候选人中有不符合任职条件的情形，不能同意，请出具不同意意见。")
    return None


# --- term transition (TT-1) -------------------------------------------------------------------


def transition_pre_review_guard(transition: TermTransition, actor: User) -> str | None:
    return terms.term_transition_pre_review_problem(transition=transition, actor=actor)


def transition_decide_guard(transition: TermTransition, actor: User) -> str | None:
    return terms.term_transition_decision_problem(transition=transition)


def transition_approved(transition: TermTransition, actor: User, comment: str) -> None:
    terms.term_transition_apply(transition=transition, actor=actor)
