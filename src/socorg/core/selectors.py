"""Reads of the core mechanisms, always through the caller's data scope.

Deadlines (RG-3) belong to items of many processes; a user sees the deadline of an item only
when the item's process declares a ``scope`` and the item lies in it (default deny)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from socorg.core import access, calendar
from socorg.core.models import AuditLog, Deadline, User
from socorg.core.workflow import all_processes


def deadlines_in_scope(*, user: User, process: str | None = None) -> QuerySet[Deadline]:
    """Running clocks (open and not paused) of the items ``user`` may see, earliest due first."""
    visible = Q(pk__in=[])
    for name, proc in all_processes().items():
        if proc.scope is None or (process is not None and name != process):
            continue
        ids = proc.scope(user).annotate(key=Cast("pk", CharField())).values("key")
        visible |= Q(process=name, object_id__in=ids)
    return Deadline.objects.filter(
        visible, closed_at__isnull=True, paused_on__isnull=True
    ).order_by("due_on", "id")


# More running clocks than this due by the horizon, and the home page reads them the general way.
DUE_CANDIDATES_BOUND = 2000


def deadlines_due_by(*, user: User, horizon: date, limit: int) -> list[Deadline]:
    """The first ``limit`` running clocks due by ``horizon`` that ``user`` may see, as
    ``deadlines_in_scope(...).filter(due_on__lte=horizon)[:limit]`` would give them.

    Clocks due soon are few: they are read first (by the due-date index), then each process's
    scope is asked about just their items, instead of every process's scope being built in full
    for all clocks (which on a registrar's home page cost more than the rest of the page)."""
    candidates = list(
        Deadline.objects.filter(
            closed_at__isnull=True, paused_on__isnull=True, due_on__lte=horizon
        ).order_by("due_on", "id")[: DUE_CANDIDATES_BOUND + 1]
    )
    if len(candidates) > DUE_CANDIDATES_BOUND:
        return list(deadlines_in_scope(user=user).filter(due_on__lte=horizon)[:limit])
    processes = all_processes()
    wanted: dict[str, set[int]] = {}
    for clock in candidates:
        if clock.object_id.isdigit():
            wanted.setdefault(clock.process, set()).add(int(clock.object_id))
    visible: set[tuple[str, str]] = set()
    for name, pks in wanted.items():
        proc = processes.get(name)
        if proc is None or proc.scope is None:
            continue
        found = proc.scope(user).filter(pk__in=pks).values_list("pk", flat=True)
        visible |= {(name, str(pk)) for pk in found}
    return [c for c in candidates if (c.process, c.object_id) in visible][:limit]


def deadlines_overdue(
    *, user: User, today: date | None = None, process: str | None = None
) -> QuerySet[Deadline]:
    """Running clocks whose due date has passed, most overdue first."""
    today = today or timezone.localdate()
    return deadlines_in_scope(user=user, process=process).filter(due_on__lt=today)


def deadlines_due_soon(
    *, user: User, days: int = 2, today: date | None = None, process: str | None = None
) -> QuerySet[Deadline]:
    """Running clocks due today or within the next ``days`` working days (RG-3)."""
    today = today or timezone.localdate()
    horizon = calendar.add_working_days(today, days)
    return deadlines_in_scope(user=user, process=process).filter(
        due_on__gte=today, due_on__lte=horizon
    )


# --- The audit log (audit administrator) ------------------------------------------------------

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    user: str = ""
    object: str = ""
    # ``act:<process>.<action>`` (one workflow action) or ``verb:<verb>`` (any ``*.<verb>``).
    action: str = ""
    result: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _action_filter(action: str) -> Q:
    kind, _sep, code = action.partition(":")
    if kind == "act":
        return Q(action=code)
    if kind == "verb":
        matched = Q(pk__in=[])
        for verb in code.split(","):
            matched |= Q(action__endswith=f".{verb}")
        return matched
    return Q()


def audit_search(*, user: User, filters: AuditFilters) -> QuerySet[AuditLog]:
    """Audit rows matching ``filters``, newest first. The audit administrator sees the whole
    log: it is the record of everyone's acts, whatever their scope."""
    access.require_perm(user, "audit.view")
    rows = AuditLog.objects.order_by("-seq")
    if filters.user:
        rows = rows.filter(actor_name__icontains=filters.user)
    if filters.object:
        term = filters.object
        rows = rows.filter(Q(object_repr__icontains=term) | Q(object_id=term) | Q(object_type=term))
    if filters.action:
        rows = rows.filter(_action_filter(filters.action))
    if filters.result:
        rows = rows.filter(result=filters.result)
    if filters.date_from:
        rows = rows.filter(created_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        rows = rows.filter(created_at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    return rows


def audit_page(*, user: User, filters: AuditFilters, page: str | int | None) -> Page[AuditLog]:
    return Paginator(audit_search(user=user, filters=filters), AUDIT_PAGE_SIZE).get_page(page)


def audit_export_rows(*, user: User, filters: AuditFilters) -> QuerySet[AuditLog]:
    access.require_perm(user, "audit.export")
    return audit_search(user=user, filters=filters)
