"""Numbering: every series of numbers the system gives (credit-code serials per authority area,
certificate numbers per registration authority …) is one ``Counter`` row.

:func:`next_number` raises the row's value with a conditional UPDATE inside the caller's
transaction: the row stays locked until that transaction ends, so two callers of the same series
take turns and never share a number (PostgreSQL), and a rolled-back transaction gives its number
back. Callers of different series never wait for each other."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F

from socorg.core.models import Counter


def next_number(key: str, *, after: Callable[[], int] | None = None) -> int:
    """The next number of the series ``key``: 1, 2, 3 … A new series continues after
    ``after()`` when given (numbers already in use before the series had a row)."""
    with transaction.atomic():
        if not _raise(key):
            _create(key, (after() if after is not None else 0) + 1)
        return Counter.objects.values_list("value", flat=True).get(key=key)


def _raise(key: str) -> bool:
    return Counter.objects.filter(key=key).update(value=F("value") + 1) == 1


def _create(key: str, first: int) -> None:
    """Insert the series' first row; when a concurrent caller inserted it first (the unique key
    makes this insert wait for that caller and then fail), take the next number instead."""
    try:
        with transaction.atomic():
            Counter.objects.create(key=key, value=first)
    except IntegrityError:
        _raise(key)
