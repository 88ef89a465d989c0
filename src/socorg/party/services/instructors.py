"""Writes of the instructors' work: assigning an instructor to an organization and ending the
assignment (the division head), recording a visit and closing its follow-up (the instructor).
Keyword-only, each one transaction with its audit row; the follow-up's closure is a transition
of the ``instructor_visit`` process."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, workflow
from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.core.text import LONG_TEXT_MAX, control_problem
from socorg.party import access as party_access
from socorg.party.models import InstructorAssignment, InstructorVisit, VisitState
from socorg.party.models.instructors import NOTE_MAX, TOPICS_MAX
from socorg.party.rules import instructors as rules
from socorg.registry import access as registry_access

VISIT_PROCESS = "instructor_visit"


def _text(value: str, limit: int, label: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(
            _("%(f)s不能超过 %(n)s 个字符（当前 %(len)s 个）。")
            % {"f": label, "n": limit, "len": len(value)}
        )
    if problem := control_problem(value):
        raise ValidationError(problem)
    return value


def assignment_start(
    *, actor: User, instructor_id: int, organization: str, started_on: date, note: str = ""
) -> InstructorAssignment:
    """Assign an instructor to an organization (by credit code) from ``started_on``: both in
    the actor's scope, the instructor attached to a division, no overlapping period."""
    access.require_perm(actor, "instructors.assign")
    note = _text(note, NOTE_MAX, _("备注"))
    with transaction.atomic():
        instructor = party_access.access_instructor(actor, instructor_id)
        if instructor.department_id is None:
            raise ValidationError(_("该指导员尚未登记所在业务科室，请先维护其账号。"))
        org = registry_access.access_organization(actor, organization.strip())
        existing = InstructorAssignment.objects.filter(
            instructor=instructor, organization=org
        ).values_list("started_on", "ended_on")
        problem = rules.assignment_problem(
            started_on=started_on, ended_on=None, today=timezone.localdate(), existing=existing
        )
        if problem:
            raise ValidationError(problem)
        assignment = InstructorAssignment.objects.create(
            instructor=instructor,
            organization=org,
            division_id=instructor.department_id,
            started_on=started_on,
            note=note,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="instructor_assignment.start",
            obj=assignment,
            after={
                "instructor": instructor.pk,
                "organization": org.uscc,
                "division": instructor.department_id,
                "started_on": started_on.isoformat(),
            },
        )
    return assignment


def assignment_end(*, actor: User, pk: int, end_on: date, reason: str = "") -> InstructorAssignment:
    """End a running assignment on ``end_on`` (its history stays)."""
    access.require_perm(actor, "instructors.assign")
    reason = _text(reason, NOTE_MAX, _("结束原因"))
    with transaction.atomic():
        assignment = party_access.access_assignment(actor, pk)
        locked = InstructorAssignment.objects.select_for_update().get(pk=assignment.pk)
        problem = rules.end_problem(
            started_on=locked.started_on,
            ended_on=locked.ended_on,
            end_on=end_on,
            today=timezone.localdate(),
        )
        if problem:
            raise ValidationError(problem)
        locked.ended_on = end_on
        locked.end_reason = reason
        locked.save(update_fields=["ended_on", "end_reason"])
        audit_record(
            actor=actor,
            action="instructor_assignment.end",
            obj=locked,
            before={"ended_on": None},
            after={"ended_on": end_on.isoformat(), "reason": reason},
        )
    return locked


def visit_record(
    *,
    actor: User,
    assignment_pk: int,
    visited_on: date,
    topics: str,
    findings: str,
    follow_ups: str = "",
    follow_up_due: date | None = None,
) -> InstructorVisit:
    """An instructor records a visit to an organization of their own assignment; a visit with
    follow-ups waits for them (``follow_up_open``) until closed."""
    access.require_perm(actor, "instructors.visit")
    topics = _text(topics, TOPICS_MAX, _("指导内容"))
    findings = _text(findings, LONG_TEXT_MAX, _("发现的问题"))
    follow_ups = _text(follow_ups, LONG_TEXT_MAX, _("跟进事项"))
    with transaction.atomic():
        assignment = party_access.access_assignment(actor, assignment_pk)
        if assignment.instructor_id != actor.pk:
            raise ValidationError(_("只能为本人的选派记录走访情况。"))
        problem = rules.visit_problem(
            visited_on=visited_on,
            today=timezone.localdate(),
            period=(assignment.started_on, assignment.ended_on),
            topics=topics,
            findings=findings,
            follow_ups=follow_ups,
            follow_up_due=follow_up_due,
        )
        if problem:
            raise ValidationError(problem)
        state = VisitState.FOLLOW_UP_OPEN if follow_ups else VisitState.NO_FOLLOW_UP
        visit = InstructorVisit.objects.create(
            assignment=assignment,
            visited_on=visited_on,
            topics=topics,
            findings=findings,
            follow_ups=follow_ups,
            follow_up_due=follow_up_due,
            state=state,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="instructor_visit.record",
            obj=visit,
            after={
                "assignment": assignment.pk,
                "visited_on": visited_on.isoformat(),
                "state": state,
                "follow_up_due": follow_up_due.isoformat() if follow_up_due else None,
            },
        )
    return visit


def visit_follow_up_close(*, actor: User, pk: int, result: str) -> InstructorVisit:
    """The instructor reports the follow-up done (the engine's ``close_follow_up``)."""
    visit: InstructorVisit = workflow.fire(
        process=workflow.get_process(VISIT_PROCESS),
        key=pk,
        action="close_follow_up",
        actor=actor,
        comment=result,
    )
    return visit


def visit_follow_up_problem(*, visit: InstructorVisit, actor: User) -> str | None:
    if visit.assignment.instructor_id != actor.pk:
        return _("只有该走访的指导员本人可以办结跟进事项。")
    return None


def visit_follow_up_record(*, visit: InstructorVisit, comment: str) -> None:
    """The closure's effect: the day and the result, in the transition's transaction."""
    visit.follow_up_done_on = timezone.localdate()
    visit.follow_up_result = comment
    visit.save(update_fields=["follow_up_done_on", "follow_up_result"])
