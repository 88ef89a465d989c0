"""The workflow engine: processes are declared as data and fired by plain code.

A process names its states and actions (who may fire each, from which states, to which state,
with which guard). :func:`fire` checks role and guard, moves the state with a conditional UPDATE
(``WHERE id = … AND state = …``) so that two concurrent clicks cannot both win, writes a
``Transition`` row and the audit row, and runs effects in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import calendar
from socorg.core.audit import audit_record
from socorg.core.models import Deadline, Transition, User

Guard = Callable[[Any, User], str | None]
Effect = Callable[[Any, User, str], None]


class WorkflowError(Exception):
    """Base of the engine's refusals; the message is for the user, in Chinese."""

    status = 400


class StaleState(WorkflowError):
    """The item moved meanwhile (someone else handled it)."""

    status = 409


class ActionRefused(WorkflowError):
    """A guard refused the action (e.g. a missing comment or an invalid record)."""

    status = 422


class UnknownAction(WorkflowError):
    status = 400


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    guard: Guard | None = None
    comment_required: bool = False
    effect: Effect | None = None
    style: str = "primary"


@dataclass(frozen=True)
class Clock:
    """A statutory clock that starts when an item enters ``state``."""

    state: str
    days: int
    unit: str
    rule_id: str = ""


@dataclass(frozen=True)
class Process:
    name: str
    label: str
    model: type[models.Model]
    states: dict[str, str]
    initial: str
    actions: tuple[Action, ...]
    access: Callable[[User, Any], Any]
    clocks: tuple[Clock, ...] = ()
    final_states: frozenset[str] = field(default_factory=frozenset)

    def action(self, name: str) -> Action:
        for act in self.actions:
            if act.name == name:
                return act
        raise UnknownAction(_("未知的操作：%(name)s") % {"name": name})

    def state_label(self, state: str) -> str:
        return self.states.get(state, state)


_PROCESSES: dict[str, Process] = {}


def register(process: Process) -> Process:
    _PROCESSES[process.name] = process
    return process


def get_process(name: str) -> Process:
    return _PROCESSES[name]


def all_processes() -> dict[str, Process]:
    return dict(_PROCESSES)


def available_actions(process: Process, obj: Any, user: User) -> list[Action]:
    """Actions the user could fire on the item in its current state."""
    return [
        act
        for act in process.actions
        if obj.state in act.sources and user.role in act.roles
    ]


def fire(
    *,
    process: Process,
    key: Any,
    action: str,
    actor: User,
    comment: str = "",
    expected_state: str | None = None,
) -> Any:
    """Fire ``action`` on the item ``key`` of ``process`` as ``actor``.

    Raises ``Http404`` (outside scope), ``PermissionDenied`` (role), ``StaleState`` (moved
    meanwhile), ``ActionRefused`` (guard)."""
    with transaction.atomic():
        obj = process.access(actor, key)
        act = process.action(action)
        if actor.role not in act.roles:
            raise PermissionDenied(_("您的角色无权执行“%(label)s”。") % {"label": act.label})
        current = obj.state
        if expected_state is not None and expected_state != current:
            raise StaleState(_("该事项已被他人处理，当前状态为“%(state)s”。") % {"state": process.state_label(current)})
        if current not in act.sources:
            raise StaleState(
                _("该事项当前状态为“%(state)s”，不能执行“%(label)s”，可能已被他人处理。")
                % {"state": process.state_label(current), "label": act.label}
            )
        comment = comment.strip()
        if act.comment_required and not comment:
            raise ActionRefused(_("执行“%(label)s”需要填写意见。") % {"label": act.label})
        if act.guard is not None and (refusal := act.guard(obj, actor)):
            raise ActionRefused(refusal)
        claimed = type(obj).objects.filter(pk=obj.pk, state=current).update(state=act.target)
        if claimed != 1:
            raise StaleState(_("该事项已被他人处理，请刷新后查看。"))
        obj.state = act.target
        Transition.objects.create(
            process=process.name,
            object_id=str(obj.pk),
            action=act.name,
            from_state=current,
            to_state=act.target,
            actor=actor,
            actor_role=actor.role,
            comment=comment,
        )
        audit_record(
            actor=actor,
            action=f"{process.name}.{act.name}",
            obj=obj,
            before={"state": current},
            after={"state": act.target, "comment": comment},
        )
        _move_clocks(process, obj, current, act.target)
        if act.effect is not None:
            act.effect(obj, actor, comment)
    return obj


def start(*, process: Process, obj: Any) -> None:
    """Open the clocks of a newly created item (call inside the creating service)."""
    _move_clocks(process, obj, "", obj.state)


def _move_clocks(process: Process, obj: Any, source: str, target: str) -> None:
    today = timezone.localdate()
    Deadline.objects.filter(
        process=process.name, object_id=str(obj.pk), state=source, closed_at__isnull=True
    ).update(closed_at=timezone.now())
    for clock in process.clocks:
        if clock.state == target:
            Deadline.objects.create(
                process=process.name,
                object_id=str(obj.pk),
                state=target,
                rule_id=clock.rule_id,
                unit=clock.unit,
                days=clock.days,
                started_on=today,
                due_on=calendar.due_date(today, clock.days, clock.unit),
            )


def history(process: Process, obj: Any) -> models.QuerySet[Transition]:
    return Transition.objects.filter(process=process.name, object_id=str(obj.pk)).select_related("actor")
