"""Writes of the joint review (联合审核): acceptance with the departments a direct registration
consults (RG-14), the opinions each department gives, the RG-3 clocks paused for 补正, and the
escalation of overdue opinions. Keyword-only, audited; the functions the process's effects call
run inside the engine's transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, workflow
from socorg.core.audit import audit_record
from socorg.core.models import Department, User
from socorg.registration import access as registration_access
from socorg.registration.kinds import KIND_FORMS
from socorg.registration.models import (
    Application,
    ApplicationState,
    Opinion,
    OpinionRole,
    OpinionState,
)
from socorg.registration.rules import applications as rules
from socorg.registration.selectors import applications as selectors
from socorg.registration.services.applications import application_freeze

APPLICATION_PROCESS = "application"
OPINION_PROCESS = "opinion"


# --- acceptance (RG-14) -----------------------------------------------------------------------


def application_set_consulted_departments(
    *, actor: User, application: Application, codes: list[str]
) -> Application:
    """RG-14: the bureau chooses, at acceptance (受理), the departments a direct registration
    consults; every one of them must consent. Only consultable departments of the
    application's jurisdiction are accepted; an unknown code refuses the whole choice."""
    access.require_perm(actor, "registration.accept")
    if not selectors.is_direct(application):
        raise ValidationError(_("双重管理的申请无需选择征求意见部门。"))
    if application.state != ApplicationState.SUBMITTED:
        raise ValidationError(_("只有待受理的申请可以选择征求意见部门。"))
    consultable = selectors.consultable_departments(application.jurisdiction_id)
    known = set(consultable.values_list("code", flat=True))
    unknown = rules.unknown_consulted_codes(codes, known)
    if unknown:
        raise ValidationError(
            _("未知的征求意见部门：%(c)s，请重新选择。") % {"c": "、".join(unknown)}
        )
    chosen = list(dict.fromkeys(codes))
    with transaction.atomic():
        before = application.data.get("consulted_departments")
        application.data = {**application.data, "consulted_departments": chosen}
        application.save(update_fields=["data", "updated_at"])
        audit_record(
            actor=actor,
            action="application.consulted_departments",
            obj=application,
            before={"consulted_departments": before},
            after={"consulted_departments": chosen},
        )
    return application


def application_accept(
    *,
    actor: User,
    pk: int,
    codes: list[str] | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Any:
    """受理, with the departments to consult when ``codes`` is given (RG-14): the choice and the
    transition commit together or not at all."""
    with transaction.atomic():
        if codes is not None:
            app = registration_access.access_application(actor, pk)
            if app.state == ApplicationState.SUBMITTED:
                application_set_consulted_departments(actor=actor, application=app, codes=codes)
        return workflow.fire(
            process=workflow.get_process(APPLICATION_PROCESS),
            key=pk,
            action="accept",
            actor=actor,
            comment=comment,
            expected_state=expected_state,
        )


def application_open_review(*, application: Application) -> None:
    """受理: the materials are complete (the engine starts the RG-3 clock); the joint review
    opens, for dual management with the supervisory unit's consent first."""
    application.complete_on = timezone.localdate()
    application.save(update_fields=["complete_on", "updated_at"])
    _open_opinions(application, phase=1)


# --- opinions ---------------------------------------------------------------------------------


def review_plan(app: Application) -> list[rules.OpinionPlan]:
    """The joint review the application's current content calls for (RG-14)."""
    return _plan(app)


def _plan(app: Application) -> list[rules.OpinionPlan]:
    division = selectors.registration_division(app.jurisdiction_id)
    if division is None:
        raise ValidationError(_("未找到该登记管理机关的登记科室，请先维护部门信息。"))
    party = selectors.party_building_body(app.jurisdiction)
    consulted = [d.pk for d in _consulted(app)]
    pre_review = selectors.pre_review_division(app)
    return rules.opinion_plan(
        pre_review_division_id=pre_review.pk if pre_review else None,
        dual_management=selectors.is_dual(app),
        supervisory_unit_id=app.supervisory_unit_id,
        industry_regulator_id=app.industry_regulator_id,
        party_body_id=party.pk if party else None,
        division_id=division.pk,
        consulted_ids=consulted,
    )


def _consulted(app: Application) -> list[Department]:
    codes = app.data.get("consulted_departments") or []
    return list(Department.objects.filter(code__in=codes)) if isinstance(codes, list) else []


def _open_opinions(app: Application, *, phase: int, actor: User | None = None) -> list[Opinion]:
    """Ask the departments of ``phase`` for their opinions; each opinion's clock (RG-14's working
    days, a rule parameter of the application's jurisdiction) gives its due date. An opinion
    withdrawn while it waited for the supervisory unit's new consent is asked again (by
    ``actor``, whose transition opens the phase)."""
    opened = []
    facts = rules.reviewed_facts(app.data)
    for item in _plan(app):
        if item.phase != phase:
            continue
        opinion = Opinion.objects.filter(
            application=app, department_id=item.department_id, role=item.role
        ).first()
        if opinion is None:
            opened.append(_new_opinion(app, item))
        elif actor is not None and _outdated(opinion, facts):
            _follow(opinion, "reopen", actor, _("业务主管单位已同意，请出具意见。"))
            opened.append(opinion)
    return opened


def _new_opinion(app: Application, item: rules.OpinionPlan) -> Opinion:
    today = timezone.localdate()
    opinion = Opinion.objects.create(
        application=app, department_id=item.department_id, role=item.role, due_on=today
    )
    clocks = workflow.start(process=workflow.get_process(OPINION_PROCESS), obj=opinion)
    opinion.due_on = min((c.due_on for c in clocks), default=today)
    opinion.save(update_fields=["due_on"])
    return opinion


def _outdated(opinion: Opinion, facts: dict[str, Any]) -> bool:
    """Withdrawn, or given on other facts than the application's current ones."""
    if opinion.state == OpinionState.WITHDRAWN:
        return True
    return opinion.state != OpinionState.PENDING and opinion.basis != facts


def _follow(opinion: Opinion, action: str, actor: User, comment: str) -> None:
    workflow.follow(
        process=workflow.get_process(OPINION_PROCESS),
        obj=opinion,
        action=action,
        actor=actor,
        comment=comment,
    )


def opinion_reset(*, opinion: Opinion) -> None:
    """A reopened opinion waits for a new decision on the current facts: the earlier one stays
    in its history (the transition rows); its due date follows the new clock."""
    clock = workflow.item_deadline(workflow.get_process(OPINION_PROCESS), opinion)
    opinion.comment = ""
    opinion.decided_by = None
    opinion.decided_at = None
    opinion.escalated_at = None
    opinion.basis = {}
    if clock is not None:
        opinion.due_on = clock.due_on
    opinion.save(
        update_fields=["comment", "decided_by", "decided_at", "escalated_at", "basis", "due_on"]
    )


def opinion_problem(*, opinion: Opinion, actor: User) -> str | None:
    """Only the opinion's own department acts, and only while the review runs."""
    if actor.department_id != opinion.department_id:
        return _("该意见应由%(d)s出具，您所在部门无权办理。") % {"d": opinion.department}
    if opinion.application.state != ApplicationState.JOINT_REVIEW:
        return _("申请当前状态为“%(s)s”，暂不能出具意见。") % {
            "s": opinion.application.get_state_display()
        }
    return None


def opinion_record(*, opinion: Opinion, actor: User, comment: str) -> None:
    """Record who decided and on which facts (a correction that changes them reopens the
    opinion); the supervisory unit's consent opens the other opinions (前置)."""
    opinion.comment = comment
    opinion.decided_by = actor
    opinion.decided_at = timezone.now()
    opinion.basis = rules.reviewed_facts(opinion.application.data)
    opinion.save(update_fields=["comment", "decided_by", "decided_at", "basis"])
    if (
        opinion.role == OpinionRole.SUPERVISORY_UNIT_CONSENT
        and opinion.state == OpinionState.CONSENTED
    ):
        _open_opinions(opinion.application, phase=2, actor=actor)


def opinions_close(*, application: Application) -> None:
    """A decided application's pending opinions are no longer awaited: their clocks stop."""
    pending = application.opinions.filter(state=OpinionState.PENDING).values_list("pk", flat=True)
    workflow.deadlines_close(process=workflow.get_process(OPINION_PROCESS), pks=list(pending))


# --- 补正 during the review (RG-3) ------------------------------------------------------------


def application_pause_review(*, application: Application) -> None:
    """补正 during the review pauses the RG-3 clock and the opinions' clocks."""
    today = timezone.localdate()
    workflow.deadline_pause(
        process=workflow.get_process(APPLICATION_PROCESS), obj=application, on=today
    )
    opinions = workflow.get_process(OPINION_PROCESS)
    for opinion in application.opinions.filter(state=OpinionState.PENDING):
        workflow.deadline_pause(process=opinions, obj=opinion, on=today)


def application_resume_review(*, application: Application, actor: User) -> None:
    """The corrected materials are in: the content is frozen again and the clocks run on with
    the days they had left; each pending opinion's due date follows its clock. The joint
    review is then re-planned from the corrected content (:func:`review_replan`)."""
    today = timezone.localdate()
    application_freeze(application=application)
    workflow.deadline_resume(
        process=workflow.get_process(APPLICATION_PROCESS), obj=application, on=today
    )
    opinions = workflow.get_process(OPINION_PROCESS)
    for opinion in application.opinions.filter(state=OpinionState.PENDING):
        workflow.deadline_resume(process=opinions, obj=opinion, on=today)
        clock = workflow.item_deadline(opinions, opinion)
        if clock is not None:
            Opinion.objects.filter(pk=opinion.pk).update(due_on=clock.due_on)
    review_replan(application=application, actor=actor)


def review_replan(*, application: Application, actor: User) -> None:
    """RG-14 after 补正: the consents given stand only for the facts they were given on. The
    departments the corrected application no longer concerns are withdrawn, new ones are
    asked, and those whose reviewed facts changed must give a new opinion (with the later
    phase waiting for the supervisory unit's new consent). Each move goes through the engine
    (``withdraw`` / ``reopen``, fired as a consequence of ``actor``'s resubmission) and is
    audited; the plan itself is audited as ``application.review_replan``."""
    app = application
    facts = rules.reviewed_facts(app.data)
    current = {o.pk: o for o in app.opinions.select_related("department").order_by("id")}
    given = [
        rules.GivenOpinion(o.pk, o.role, o.department_id, o.state, o.basis)
        for o in current.values()
    ]
    plan = _plan(app)
    replan = rules.review_replan(plan=plan, given=given, facts=facts)
    planned = {(p.role, p.department_id) for p in plan}
    for pk in replan.withdraw:
        _follow(current[pk], "withdraw", actor, _withdraw_reason(current[pk], planned))
    for pk in replan.reopen:
        _follow(current[pk], "reopen", actor, _reopen_reason(app, current[pk], facts))
    opened = [_new_opinion(app, item) for item in replan.open]
    if replan.withdraw or replan.reopen or opened:
        audit_record(
            actor=actor,
            action="application.review_replan",
            obj=app,
            after={
                "withdrawn": list(replan.withdraw),
                "reopened": list(replan.reopen),
                "opened": [o.pk for o in opened],
                "facts": facts,
            },
        )


def _withdraw_reason(opinion: Opinion, planned: set[tuple[str, int]]) -> str:
    if (opinion.role, opinion.department_id) in planned:
        return _("补正后的申请须先经业务主管单位重新同意，本部门意见待其同意后再行征求。")
    return _("补正后的申请不再征求%(d)s的意见。") % {"d": opinion.department}


def _reopen_reason(app: Application, opinion: Opinion, facts: dict[str, Any]) -> str:
    if opinion.state == OpinionState.WITHDRAWN or not opinion.basis:
        return _("补正后的申请须征求%(d)s的意见。") % {"d": opinion.department}
    changed = rules.changed_facts(opinion.basis, facts)
    labels = "、".join(_fact_label(app.kind, key) for key in changed)
    return _("申请人补正后变更了审核内容（%(items)s），请重新出具意见。") % {"items": labels}


def _fact_label(kind: str, key: str) -> str:
    field = KIND_FORMS[kind].base_fields.get(key)
    return str(field.label) if field is not None and field.label else key


# --- escalation -------------------------------------------------------------------------------


def opinion_escalate_overdue(*, today: Any = None) -> int:
    """Flag pending opinions past their due date to the division head (督办 worklist), once
    each, audited. Returns how many were flagged."""
    today = today or timezone.localdate()
    flagged = 0
    with transaction.atomic():
        overdue = Opinion.objects.select_for_update().filter(
            state=OpinionState.PENDING,
            escalated_at__isnull=True,
            due_on__lt=today,
            application__state=ApplicationState.JOINT_REVIEW,
        )
        for opinion in overdue:
            opinion.escalated_at = timezone.now()
            opinion.save(update_fields=["escalated_at"])
            audit_record(
                actor=None,
                action="opinion.escalate",
                obj=opinion,
                after={"due_on": opinion.due_on.isoformat(), "department": opinion.department_id},
            )
            flagged += 1
    return flagged
