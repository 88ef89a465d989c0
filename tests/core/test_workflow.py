"""The workflow engine, exercised with the data-correction process: who may fire what, guards,
comments, the Transition and audit rows, and the statutory clocks (RG-3)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from socorg.core import calendar, workflow
from socorg.core.audit import verify_chain
from socorg.core.models import AuditLog, DayUnit, Deadline, Role, Transition
from socorg.core.workflow import ActionRefused, StaleState, UnknownAction, available_actions, fire
from socorg.registry.models import CorrectionState, EventReason, OrganizationEvent
from socorg.registry.processes import DATA_CORRECTION
from tests import factories as f
from tests.core.conftest import NEW_DOMICILE


def approve(correction, actor, **kwargs):
    return fire(process=DATA_CORRECTION, key=correction.pk, action="approve", actor=actor, **kwargs)


def names(actions) -> list[str]:
    return [a.name for a in actions]


def test_registrar_may_not_approve_a_correction(correction, city_registrar) -> None:
    with pytest.raises(PermissionDenied, match="无权执行“批准”"):
        approve(correction, city_registrar)
    correction.refresh_from_db()
    assert correction.state == CorrectionState.PROPOSED


def test_correction_outside_scope_does_not_exist_for_the_caller(
    correction, lanshan_registrar
) -> None:
    with pytest.raises(Http404):
        fire(process=DATA_CORRECTION, key=correction.pk, action="withdraw", actor=lanshan_registrar)


def test_only_the_proposer_may_withdraw(city, correction) -> None:
    colleague = f.user("city_registrar_2", Role.REGISTRAR, jurisdiction=city.city)
    with pytest.raises(ActionRefused, match="只有提出人可以撤回"):
        fire(process=DATA_CORRECTION, key=correction.pk, action="withdraw", actor=colleague)
    assert not Transition.objects.exists()


def test_proposer_withdraws_and_the_clock_closes(correction, city_registrar) -> None:
    fire(process=DATA_CORRECTION, key=correction.pk, action="withdraw", actor=city_registrar)
    correction.refresh_from_db()
    assert correction.state == CorrectionState.WITHDRAWN
    assert not Deadline.objects.filter(closed_at__isnull=True).exists()


@pytest.mark.parametrize("comment", ["", "   "])
def test_rejection_needs_a_comment(correction, division_head, comment) -> None:
    with pytest.raises(ActionRefused, match="需要填写意见"):
        fire(
            process=DATA_CORRECTION,
            key=correction.pk,
            action="reject",
            actor=division_head,
            comment=comment,
        )
    correction.refresh_from_db()
    assert correction.state == CorrectionState.PROPOSED


def test_rejection_with_a_comment_records_it(correction, division_head) -> None:
    fire(
        process=DATA_CORRECTION,
        key=correction.pk,
        action="reject",
        actor=division_head,
        comment="  缺少住所证明材料  ",
    )
    transition = Transition.objects.get()
    assert transition.comment == "缺少住所证明材料"
    assert (
        AuditLog.objects.get(action="data_correction.reject").after["comment"] == "缺少住所证明材料"
    )


def test_unknown_action_is_refused(correction, division_head) -> None:
    with pytest.raises(UnknownAction, match="未知的操作"):
        fire(process=DATA_CORRECTION, key=correction.pk, action="publish", actor=division_head)


def test_available_actions_follow_role_and_state(
    correction, city_registrar, division_head, edu_liaison, org_account
) -> None:
    assert names(available_actions(DATA_CORRECTION, correction, city_registrar)) == ["withdraw"]
    assert names(available_actions(DATA_CORRECTION, correction, division_head)) == [
        "approve",
        "reject",
    ]
    assert available_actions(DATA_CORRECTION, correction, edu_liaison) == []
    assert available_actions(DATA_CORRECTION, correction, org_account) == []
    approve(correction, division_head)
    correction.refresh_from_db()
    assert available_actions(DATA_CORRECTION, correction, division_head) == []


def test_approval_writes_transition_audit_and_changes_the_record(
    city, correction, division_head
) -> None:
    approve(correction, division_head, comment="同意")
    transition = Transition.objects.get()
    assert (transition.process, transition.action) == ("data_correction", "approve")
    assert (transition.from_state, transition.to_state) == ("proposed", "approved")
    assert (transition.actor, transition.actor_role) == (division_head, Role.DIVISION_HEAD)
    fired = AuditLog.objects.get(action="data_correction.approve")
    assert fired.before == {"state": "proposed"}
    assert fired.after == {"state": "approved", "comment": "同意"}
    assert fired.object_id == str(correction.pk)
    city.city_org.refresh_from_db()
    assert city.city_org.domicile == NEW_DOMICILE
    assert AuditLog.objects.get(action="organization.correct").after == {"domicile": NEW_DOMICILE}
    assert verify_chain().ok


def test_second_approval_is_stale_with_a_clear_message(correction, division_head) -> None:
    approve(correction, division_head)
    with pytest.raises(StaleState, match="已批准") as refused:
        approve(correction, division_head)
    assert refused.value.status == 409
    assert OrganizationEvent.objects.filter(reason=EventReason.DATA_CORRECTION).count() == 1


def test_expected_state_guards_against_an_outdated_page(correction, division_head) -> None:
    with pytest.raises(StaleState, match="已被他人处理"):
        approve(correction, division_head, expected_state=CorrectionState.REJECTED)


def test_claim_refuses_an_item_moved_meanwhile(correction, division_head) -> None:
    """The conditional UPDATE (``WHERE state = …``) is what stops the second of two clerks who
    both read the item before either saved."""
    stale = DATA_CORRECTION.access(division_head, correction.pk)
    approve(correction, division_head)
    with pytest.raises(StaleState, match="当前状态为“已批准”"):
        workflow._claim(DATA_CORRECTION, DATA_CORRECTION.action("approve"), stale, "proposed")


def test_proposal_opens_a_clock_of_five_working_days(correction) -> None:
    deadline = Deadline.objects.get()
    today = timezone.localdate()
    assert (deadline.process, deadline.object_id) == ("data_correction", str(correction.pk))
    assert (deadline.rule_id, deadline.unit, deadline.days) == ("CR-1", DayUnit.WORKING, 5)
    assert deadline.started_on == today
    assert deadline.due_on == calendar.add_working_days(today, 5)
    assert deadline.closed_at is None


def test_final_state_closes_the_clock(correction, division_head) -> None:
    approve(correction, division_head)
    assert Deadline.objects.get().closed_at is not None


def test_pause_and_resume_keep_the_working_days_left(correction) -> None:
    """RG-3: 补正 stops the clock; it resumes with the days that were left."""
    Deadline.objects.update(started_on=date(2026, 9, 24), due_on=date(2026, 9, 30))
    assert (
        workflow.deadline_pause(process=DATA_CORRECTION, obj=correction, on=date(2026, 9, 28)) == 1
    )
    deadline = Deadline.objects.get()
    assert deadline.paused_on == date(2026, 9, 28)
    # 2 working days were left (29th, 30th); resumed on the last day of the National Day holiday.
    assert (
        workflow.deadline_resume(process=DATA_CORRECTION, obj=correction, on=date(2026, 10, 7)) == 1
    )
    deadline.refresh_from_db()
    assert deadline.paused_on is None
    assert deadline.due_on == date(2026, 10, 9)


def test_pausing_twice_keeps_the_first_pause_date(correction) -> None:
    workflow.deadline_pause(process=DATA_CORRECTION, obj=correction, on=date(2026, 3, 2))
    assert (
        workflow.deadline_pause(process=DATA_CORRECTION, obj=correction, on=date(2026, 3, 5)) == 0
    )
    assert Deadline.objects.get().paused_on == date(2026, 3, 2)


def test_resume_without_pause_changes_nothing(correction) -> None:
    due = Deadline.objects.get().due_on
    assert (
        workflow.deadline_resume(process=DATA_CORRECTION, obj=correction, on=date(2026, 3, 5)) == 0
    )
    assert Deadline.objects.get().due_on == due


def test_processes_are_discovered_from_installed_apps() -> None:
    assert workflow.get_process("data_correction") is DATA_CORRECTION
    assert "data_correction" in workflow.all_processes()
