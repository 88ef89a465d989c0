"""The demo's instructors: 19 division party members guiding the 69 organizations whose
pre-review the divisions hold — figures the workload page and the API compute from the
assignments, never constants; and an application awaiting its division's pre-review."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from socorg.core.models import DepartmentKind, Role
from socorg.core.rule_defaults import load_rule_defaults
from socorg.demo.party_instructors import ensure_demo_instructors, instructor_shares
from socorg.demo.reference import PRE_REVIEW_DIVISIONS
from socorg.party.selectors.instructors import instructor_workloads
from socorg.registration.models import Opinion, OpinionRole, OpinionState
from socorg.registry.models import Responsibility, ResponsibilityKind
from tests import factories as f

# Pre-reviewed organizations per division, as many as the seed's 69.
DUTIES = (20, 15, 12, 10, 7, 5)


@pytest.fixture
def pre_reviewed(city, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    load_rule_defaults()
    f.user(
        "division_head", Role.DIVISION_HEAD, jurisdiction=city.city, department=city.civil_affairs
    )
    f.user("approval_clerk", Role.APPROVAL_CLERK, jurisdiction=city.city, department=city.approval)
    for code, n in zip(PRE_REVIEW_DIVISIONS, DUTIES, strict=True):
        division = f.department(code, f"民政局{code}科", DepartmentKind.DIVISION, city.city)
        for org in f.make_orgs(city.city, n):
            Responsibility.objects.create(
                organization=org,
                department=division,
                kind=ResponsibilityKind.PRE_REVIEW,
                effective_from=date(2022, 2, 15),
            )


def test_instructor_shares_give_every_division_one_and_the_rest_by_size() -> None:
    shares = instructor_shares(dict(zip("ABCDEF", DUTIES, strict=True)), 19)
    assert sum(shares.values()) == 19 and min(shares.values()) >= 1
    assert shares["A"] >= shares["B"] >= shares["F"]


def test_the_demo_has_19_instructors_for_69_organizations_computed(
    pre_reviewed, city_registrar
) -> None:
    assert ensure_demo_instructors("demo-password") == 69
    report = instructor_workloads(city_registrar)
    assert (report.instructors, report.organizations) == (19, 69)

    client = Client()
    client.force_login(city_registrar)
    items = client.get("/api/v1/party/instructors").json()["items"]
    assert len(items) == 19
    assert len({uscc for item in items for uscc in item["organizations"]}) == 69
    page = client.get("/party/instructors/").content.decode()
    assert 'id="figure-instructors">19<' in page and 'id="figure-organizations">69<' in page

    pending = Opinion.objects.get(role=OpinionRole.DIVISION_PRE_REVIEW)
    assert pending.state == OpinionState.PENDING

    assert ensure_demo_instructors("demo-password") == 0, "a second run adds nothing"
