"""Reads of the core mechanisms, always through the caller's data scope.

Deadlines (RG-3) belong to items of many processes; a user sees the deadline of an item only
when the item's process declares a ``scope`` and the item lies in it (default deny)."""

from __future__ import annotations

from datetime import date

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from socorg.core import calendar
from socorg.core.models import Deadline, User
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
