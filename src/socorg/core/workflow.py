"""The workflow engine: processes are declared as data and fired by plain code.

A process names its states and actions (who may fire each, from which states, to which state,
with which guard). :func:`fire` checks role and guard, moves the state with a conditional UPDATE
(``WHERE id = … AND state = …``) so that two concurrent clicks cannot both win, writes a
``Transition`` row and the audit row, and runs effects in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from socorg.core import calendar
from socorg.core.audit import AuditEntry, audit_record, audit_record_many
from socorg.core.models import Deadline, Jurisdiction, Transition, User
from socorg.core.params import param
from socorg.core.text import LONG_TEXT_MAX, control_problem

Guard = Callable[[Any, User], str | None]
Effect = Callable[[Any, User, str], None]
# The set-wise effect of an action fired on many items at once (:func:`fire_set`): the items
# moved (a queryset), the actor (None for the system), the comment and the day it happened.
BulkEffect = Callable[[models.QuerySet[Any], User | None, str, date], None]


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
    label: StrOrPromise
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    guard: Guard | None = None
    comment_required: bool = False
    effect: Effect | None = None
    style: str = "primary"
    # What ``effect`` does, for many items at once (:func:`fire_set`); an action with a
    # per-item effect and no set-wise one cannot be fired set-wise.
    bulk_effect: BulkEffect | None = None


@dataclass(frozen=True, kw_only=True)
class Clock:
    """A statutory clock that starts when an item enters ``state``.

    It stops when the item leaves ``state``, unless it moves into one of the states ``through``
    (the clock keeps running there and does not start again on the way back: RG-3 runs from
    acceptance to decision, also while the item waits for 补正). Its length is the rule
    parameter ``param`` in force on the day it starts, for the item's jurisdiction
    (``Process.jurisdiction``); its unit is ``unit``, or the rule parameter ``unit_param`` when
    the bureau sets the unit too."""

    state: str
    param: str
    unit: str
    rule_id: str = ""
    through: frozenset[str] = frozenset()
    unit_param: str = ""

    @property
    def span(self) -> frozenset[str]:
        return self.through | {self.state}


@dataclass(frozen=True)
class Process:
    name: str
    label: StrOrPromise
    model: type[models.Model]
    states: Mapping[str, StrOrPromise]
    initial: str
    actions: tuple[Action, ...]
    access: Callable[[User, Any], Any]
    clocks: tuple[Clock, ...] = ()
    final_states: frozenset[str] = field(default_factory=frozenset)
    # The items a user may see (a queryset of ``model``); lists of deadlines go through it.
    scope: Callable[[User], models.QuerySet[Any]] | None = None
    # The jurisdiction whose rule parameters apply to an item (its clocks' lengths).
    jurisdiction: Callable[[Any], Jurisdiction | None] | None = None

    def action(self, name: str) -> Action:
        for act in self.actions:
            if act.name == name:
                return act
        raise UnknownAction(_("未知的操作：%(name)s") % {"name": name})

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))


_PROCESSES: dict[str, Process] = {}


def register(process: Process) -> Process:
    _PROCESSES[process.name] = process
    return process


def _discover() -> None:
    """Import every installed app's ``processes`` module once, so each process is registered."""
    global _DISCOVERED
    if not _DISCOVERED:
        autodiscover_modules("processes")
        _DISCOVERED = True


_DISCOVERED = False


def get_process(name: str) -> Process:
    _discover()
    return _PROCESSES[name]


def all_processes() -> dict[str, Process]:
    _discover()
    return dict(_PROCESSES)


def available_actions(process: Process, obj: Any, user: User) -> list[Action]:
    """Actions the user could fire on the item in its current state."""
    return [act for act in process.actions if obj.state in act.sources and user.role in act.roles]


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

    Raises ``Http404`` (outside scope), ``PermissionDenied`` (role), ``UnknownAction``,
    ``StaleState`` (moved meanwhile), ``ActionRefused`` (guard or missing comment). The state
    moves with a conditional UPDATE, so of two concurrent clicks exactly one wins."""
    with transaction.atomic():
        obj = process.access(actor, key)
        act = process.action(action)
        current = obj.state
        comment = comment.strip()
        _check(process, act, obj, actor, comment, expected_state)
        _move(process, act, obj, current, actor, comment)
    return obj


def follow(*, process: Process, obj: Any, action: str, actor: User, comment: str = "") -> Any:
    """Fire ``action`` on ``obj`` as the consequence of a transition that ``actor`` is firing
    on another item (call from that transition's effect, inside its transaction).

    ``obj`` was reached through that item, which passed the access and role checks, so they
    are not made again: such an action is declared with no role, and nobody fires it by hand.
    The source state, the conditional UPDATE, the ``Transition`` row, the audit row, the
    clocks and the effect are those of :func:`fire`."""
    act = process.action(action)
    current = obj.state
    if current not in act.sources:
        raise StaleState(
            _("该事项当前状态为“%(state)s”，不能执行“%(label)s”，可能已被他人处理。")
            % {"state": process.state_label(current), "label": act.label}
        )
    with transaction.atomic():
        _move(process, act, obj, current, actor, comment.strip())
    return obj


def _move(process: Process, act: Action, obj: Any, current: str, actor: User, comment: str) -> None:
    """Claim the move, record it (transition and audit rows), move the clocks, run the effect."""
    _claim(process, act, obj, current)
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


SET_BATCH = 5000


def fire_set(
    *,
    process: Process,
    ids: Iterable[Any],
    action: str,
    actor: User | None,
    comment: str = "",
    on: date | None = None,
    values: Mapping[str, Any] | None = None,
    batch_size: int = SET_BATCH,
    consequence: bool = False,
) -> list[Any]:
    """Fire ``action`` on many items of ``process`` at once (the compliance sweep's notices,
    listings and delistings); returns the keys of the items that moved.

    Set-wise and with the guarantees of :func:`fire`: per batch of keys and per source state,
    one conditional UPDATE ``WHERE id IN (…) AND state = source`` (an item that moved meanwhile
    is left out, so firing twice moves nothing the second time), the ``Transition`` rows and the
    audit rows in bulk (one chain-head lock per batch, ``audit_record_many``), the clocks, and
    the action's ``bulk_effect`` on the moved items. ``values`` are columns set by the same
    UPDATE. ``actor`` None is the system (the sweep): the role check is skipped; a person must
    hold one of the action's roles, unless the items move as the ``consequence`` of a
    transition that person is firing (as with :func:`follow`). Actions with a per-item guard, or a per-item effect without a
    set-wise one, are refused (a programming error), as is a missing required comment."""
    act = process.action(action)
    comment = comment.strip()
    if actor is not None and not consequence and actor.role not in act.roles:
        raise PermissionDenied(_("您的角色无权执行“%(label)s”。") % {"label": act.label})
    if act.guard is not None or (act.effect is not None and act.bulk_effect is None):
        raise ValueError(f"{process.name}.{act.name} cannot be fired set-wise")
    if act.comment_required and not comment:
        raise ActionRefused(_("执行“%(label)s”需要填写意见。") % {"label": act.label})
    if problem := comment_problem(comment):
        raise ActionRefused(problem)
    day = on or timezone.localdate()
    keys = list(dict.fromkeys(ids))
    moved: list[Any] = []
    with transaction.atomic():
        for start_at in range(0, len(keys), batch_size):
            chunk = keys[start_at : start_at + batch_size]
            for source in act.sources:
                moved.extend(_move_set(process, act, chunk, source, actor, comment, day, values))
    return moved


def _move_set(
    process: Process,
    act: Action,
    chunk: list[Any],
    source: str,
    actor: User | None,
    comment: str,
    day: date,
    values: Mapping[str, Any] | None,
) -> list[Any]:
    manager = process.model._default_manager
    claimed = list(
        manager.filter(pk__in=chunk, state=source)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not claimed:
        return []
    update: dict[str, Any] = {"state": act.target, **(values or {})}
    if any(f.name == "updated_at" for f in process.model._meta.concrete_fields):
        update.setdefault("updated_at", timezone.now())
    manager.filter(pk__in=claimed, state=source).update(**update)
    role = actor.role if actor is not None else ""
    Transition.objects.bulk_create(
        [
            Transition(
                process=process.name,
                object_id=str(pk),
                action=act.name,
                from_state=source,
                to_state=act.target,
                actor=actor,
                actor_role=role,
                comment=comment,
            )
            for pk in claimed
        ]
    )
    label = process.model._meta.label_lower
    audit_record_many(
        actor=actor,
        entries=(
            AuditEntry(
                action=f"{process.name}.{act.name}",
                object_type=label,
                object_id=pk,
                before={"state": source},
                after={"state": act.target, "comment": comment},
            )
            for pk in claimed
        ),
    )
    _move_clocks_set(process, claimed, source, act.target)
    if act.bulk_effect is not None:
        act.bulk_effect(manager.filter(pk__in=claimed), actor, comment, day)
    return claimed


def _move_clocks_set(process: Process, pks: list[Any], source: str, target: str) -> None:
    """:func:`_move_clocks` for many items."""
    leaving = Deadline.objects.filter(
        process=process.name, object_id__in=[str(pk) for pk in pks], closed_at__isnull=True
    )
    if target not in process.final_states:
        leaving = leaving.filter(state__in=_stopping(process, source, target))
    leaving.update(closed_at=timezone.now())
    opening = [c for c in process.clocks if c.state == target and source not in c.through]
    if opening:
        objs = process.model._default_manager.filter(pk__in=pks)
        for obj in objs:
            for clock in opening:
                _open_clock(process, obj, clock)


def _check(
    process: Process, act: Action, obj: Any, actor: User, comment: str, expected: str | None
) -> None:
    """Role, state, comment and guard, in that order; raises the first refusal."""
    if actor.role not in act.roles:
        raise PermissionDenied(_("您的角色无权执行“%(label)s”。") % {"label": act.label})
    current = obj.state
    if expected is not None and expected != current:
        raise StaleState(
            _("该事项已被他人处理，当前状态为“%(state)s”，请刷新后查看。")
            % {"state": process.state_label(current)}
        )
    if current not in act.sources:
        raise StaleState(
            _("该事项当前状态为“%(state)s”，不能执行“%(label)s”，可能已被他人处理。")
            % {"state": process.state_label(current), "label": act.label}
        )
    if act.comment_required and not (comment or "").strip():
        raise ActionRefused(_("执行“%(label)s”需要填写意见。") % {"label": act.label})
    if problem := comment_problem(comment):
        raise ActionRefused(problem)
    if act.guard is not None and (refusal := act.guard(obj, actor)):
        raise ActionRefused(refusal)


def comment_problem(comment: str) -> str | None:
    """Every comment is stored in the item's history and the audit log: bounded and clean."""
    if len(comment) > LONG_TEXT_MAX:
        return _("意见不能超过 %(n)s 个字符（当前 %(len)s 个）。") % {
            "n": LONG_TEXT_MAX,
            "len": len(comment),
        }
    return control_problem(comment)


def _claim(process: Process, act: Action, obj: Any, current: str) -> None:
    """Move the state only if nobody moved it meanwhile (``WHERE state = current``)."""
    manager = type(obj)._default_manager
    if manager.filter(pk=obj.pk, state=current).update(state=act.target) == 1:
        obj.state = act.target
        return
    now = manager.filter(pk=obj.pk).values_list("state", flat=True).first()
    raise StaleState(
        _("该事项已被他人处理（当前状态为“%(state)s”），您的“%(label)s”未执行，请刷新后查看。")
        % {"state": process.state_label(now or ""), "label": act.label}
    )


def start(*, process: Process, obj: Any) -> list[Deadline]:
    """Open the clocks of a newly created item (call inside the creating service); returns the
    clocks opened."""
    return _move_clocks(process, obj, "", obj.state)


def _move_clocks(process: Process, obj: Any, source: str, target: str) -> list[Deadline]:
    """Close the clocks of the state left (all of them on reaching a final state) and open the
    clocks of the state entered (RG-3 due dates); a clock moving within its span runs on."""
    leaving = _open_deadlines(process, obj)
    if target not in process.final_states:
        leaving = leaving.filter(state__in=_stopping(process, source, target))
    leaving.update(closed_at=timezone.now())
    return [
        _open_clock(process, obj, clock)
        for clock in process.clocks
        if clock.state == target and source not in clock.through
    ]


def _stopping(process: Process, source: str, target: str) -> set[str]:
    """States whose clocks stop on the move ``source`` → ``target``: the state left, and the
    state of a clock whose span the item leaves from one of its ``through`` states; not a clock
    moving between the states of its span."""
    stopping = {source}
    for clock in process.clocks:
        if source in clock.span and target in clock.span and clock.through:
            stopping.discard(clock.state)
        elif source in clock.through and target not in clock.span:
            stopping.add(clock.state)
    return stopping


def _open_clock(process: Process, obj: Any, clock: Clock) -> Deadline:
    today = timezone.localdate()
    days, unit = clock_terms(process, obj, clock)
    return Deadline.objects.create(
        process=process.name,
        object_id=str(obj.pk),
        state=clock.state,
        rule_id=clock.rule_id,
        unit=unit,
        days=days,
        started_on=today,
        due_on=calendar.due_date(today, days, unit),
    )


def clock_terms(process: Process, obj: Any, clock: Clock) -> tuple[int, str]:
    """The clock's days and unit for ``obj``, from the rule parameters in force today for the
    item's jurisdiction (a missing parameter fails loudly: see ``core.params``)."""
    where = process.jurisdiction(obj) if process.jurisdiction is not None else None
    today = timezone.localdate()
    days = int(param(clock.param, on=today, jurisdiction=where))
    unit = (
        str(param(clock.unit_param, on=today, jurisdiction=where))
        if clock.unit_param
        else clock.unit
    )
    return days, unit


def _open_deadlines(process: Process, obj: Any) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        process=process.name, object_id=str(obj.pk), closed_at__isnull=True
    )


def deadline_pause(*, process: Process, obj: Any, on: date) -> int:
    """Stop the item's running clocks on ``on`` (补正: waiting for the applicant, RG-3).

    Call inside the transition that asks for the materials; returns how many clocks stopped."""
    return _open_deadlines(process, obj).filter(paused_on__isnull=True).update(paused_on=on)


def deadline_resume(*, process: Process, obj: Any, on: date) -> int:
    """Restart the item's paused clocks on ``on`` with the days that were left when they
    stopped (``calendar.resume_due_date``, RG-3); returns how many clocks restarted."""
    resumed = 0
    with transaction.atomic():
        for deadline in _open_deadlines(process, obj).filter(paused_on__isnull=False):
            paused_on = deadline.paused_on or on
            deadline.due_on = calendar.resume_due_date(
                deadline.due_on, paused_on, on, deadline.unit
            )
            deadline.paused_on = None
            deadline.save(update_fields=["due_on", "paused_on"])
            resumed += 1
    return resumed


def deadlines_close(*, process: Process, pks: Iterable[Any]) -> int:
    """Stop the running clocks of the items ``pks`` (items ended by another item's decision,
    e.g. the pending opinions of a refused application); returns how many stopped."""
    return Deadline.objects.filter(
        process=process.name, object_id__in=[str(pk) for pk in pks], closed_at__isnull=True
    ).update(closed_at=timezone.now())


def history(process: Process, obj: Any) -> models.QuerySet[Transition]:
    return Transition.objects.filter(process=process.name, object_id=str(obj.pk)).select_related(
        "actor"
    )


def open_deadlines(process: Process, pks: Iterable[Any]) -> dict[str, Deadline]:
    """Running clocks of many items (already read through the caller's scope), by object id;
    where an item has several, the one due first."""
    rows = Deadline.objects.filter(
        process=process.name, object_id__in=[str(pk) for pk in pks], closed_at__isnull=True
    ).order_by("-due_on")
    return {row.object_id: row for row in rows}


def item_deadline(process: Process, obj: Any) -> Deadline | None:
    """The item's latest statutory clock (open or closed), or None."""
    return (
        Deadline.objects.filter(process=process.name, object_id=str(obj.pk))
        .order_by("-started_on", "-id")
        .first()
    )
