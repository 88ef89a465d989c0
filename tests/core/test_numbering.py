"""One numbering mechanism (``core.numbering``): each series is a counter row, raised in the
caller's transaction, so numbers are never shared and a rolled-back transaction gives its number
back; on PostgreSQL, callers at the same instant take different numbers."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from socorg.core.models import Counter
from socorg.core.numbering import next_number
from tests.concurrency import at_once


def test_a_series_counts_from_one_and_series_are_independent(db) -> None:
    assert [next_number("test:a") for _ in range(3)] == [1, 2, 3]
    assert next_number("test:b") == 1
    assert Counter.objects.get(key="test:a").value == 3


def test_a_new_series_continues_after_the_numbers_already_in_use(db) -> None:
    assert next_number("test:a", after=lambda: 41) == 42
    # Once the series has its row, ``after`` is not asked again.
    assert next_number("test:a", after=lambda: 1000) == 43


def test_a_rolled_back_transaction_gives_its_number_back(db) -> None:
    next_number("test:a")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("test:a") == 2
        raise RuntimeError("the approval failed")
    assert next_number("test:a") == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.parametrize("existing", [False, True])
def test_callers_at_the_same_instant_take_different_numbers(existing) -> None:
    if existing:
        next_number("test:a")
    start = 1 if existing else 0
    results = at_once([lambda: next_number("test:a") for _ in range(6)])
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(results) == list(range(start + 1, start + 7))
