"""The demo's figures are computed by the registry's own list selector, as the city registrar
sees them: "since 2020" counts removals dated from 2020-01-01, not every removal."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest

from socorg.demo.loader import figures
from socorg.demo.management.commands.demo import Command
from socorg.registry.models import Level, OrgStatus
from tests import factories as f


@pytest.fixture
def removals(city, city_registrar) -> None:
    for day, status, where in (
        (date(2019, 12, 31), OrgStatus.DEREGISTERED, city.city),  # before 2020: not counted
        (date(2020, 1, 1), OrgStatus.DEREGISTERED, city.city),
        (date(2024, 5, 1), OrgStatus.DEREGISTERED, city.donggang),
        (date(2019, 6, 1), OrgStatus.REVOKED, city.lanshan),  # before 2020: not counted
        (date(2022, 2, 15), OrgStatus.REVOKED, city.city),
    ):
        f.organization(where=where, status=status, removed_on=day)


def test_since_2020_figures_count_removals_dated_from_2020(removals) -> None:
    found = figures()
    assert (found["deregistered"], found["revoked"]) == (2, 1)
    assert (found["deregistered_city"], found["revoked_city"]) == (1, 1)


def test_registered_figures_are_the_lists_counts(city, removals) -> None:
    f.organization(where=city.city, level=Level.CITY)
    found = figures()
    assert found["registered"] == 5  # the city fixture's four and this one
    assert found["registered_city"] == 3


def test_the_summary_prints_the_figures_next_to_the_seed(removals) -> None:
    out = StringIO()
    command = Command(stdout=out)
    command.summary()
    lines = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines() if line}
    assert lines["2020年以来注销登记"] == ["2", "315", "≠"]
    assert lines["2020年以来撤销登记"] == ["1", "89", "≠"]
