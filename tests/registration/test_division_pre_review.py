"""Division pre-review (前置审查): an application of an organization whose division holds the
pre-review duty in the responsibility map goes to that division from acceptance; its opinion is
part of the joint review, its deadline a clock of the engine, and the division head cannot decide
— approve or refuse — while it is outstanding (a Chinese refusal, nothing written)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from socorg.core.models import Deadline, DepartmentKind, Role, Transition
from socorg.registration.models import Application, ApplicationState, Opinion
from socorg.registry.models import Responsibility, ResponsibilityKind
from tests import factories as f

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")

CHANGE = {"domicile": "日照市东港区港口路8号", "reason": "会员大会决议"}


@pytest.fixture
def elderly_division(city):
    return f.department("MZJ-YL", "日照市民政局养老服务科", DepartmentKind.DIVISION, city.city)


@pytest.fixture
def division_reviewer(elderly_division):
    """The elderly-care division's reviewer (its liaison account)."""
    return f.user("yl_reviewer", Role.DEPARTMENT_LIAISON, department=elderly_division)


def _duty(org: Any, division: Any, **dates: Any) -> Responsibility:
    return Responsibility.objects.create(
        organization=org,
        department=division,
        kind=ResponsibilityKind.PRE_REVIEW,
        effective_from=dates.get("effective_from", date(2022, 2, 15)),
        effective_to=dates.get("effective_to"),
    )


def _accepted_change(api: Any, org_account: Any, clerk: Any) -> int:
    applicant = api(org_account)
    response = applicant.post(
        "/applications",
        {"kind": "change", "org_type": "social_group", "jurisdiction": "371100", "data": CHANGE},
    )
    assert response.status_code == 200, response.json()
    item = response.json()
    for material in item["materials"]:
        if material["required"]:
            assert applicant.upload(item["id"], material["key"]).status_code == 200
    assert applicant.fire("application", item["id"], "submit").status_code == 200
    accepted = api(clerk).fire("application", item["id"], "accept")
    assert accepted.status_code == 200, accepted.json()
    return int(item["id"])


def _opinions(api: Any, head: Any, app_id: int) -> dict[str, dict[str, Any]]:
    return {o["role"]: o for o in api(head).get(f"/application/{app_id}").json()["opinions"]}


def test_pre_review_goes_to_the_division_first_and_blocks_the_decision_until_given(
    api,
    city,
    org_account,
    approval_clerk,
    city_registrar,
    party_reviewer,
    division_head,
    elderly_division,
    division_reviewer,
) -> None:
    _duty(city.city_org, elderly_division)
    app_id = _accepted_change(api, org_account, approval_clerk)

    opinions = _opinions(api, division_head, app_id)
    assert "division_pre_review" in opinions
    pre = opinions["division_pre_review"]
    assert pre["department"] == "日照市民政局养老服务科" and pre["state"] == "pending"
    # Its deadline is a clock of the engine, and the opinion shows that clock's due date.
    clock = Deadline.objects.get(
        process="opinion", object_id=str(pre["id"]), closed_at__isnull=True
    )
    assert clock.rule_id == "RG-14" and pre["due_on"] == clock.due_on.isoformat()

    # Every other opinion is in; only the pre-review is outstanding.
    for role, opinion in opinions.items():
        if role == "registration_division":
            assert api(city_registrar).fire("opinion", opinion["id"], "consent").status_code == 200
        elif role == "party_building":
            assert api(party_reviewer).fire("opinion", opinion["id"], "consent").status_code == 200
    transitions = Transition.objects.filter(process="application", object_id=str(app_id)).count()

    early = api(division_head).fire("application", app_id, "approve", "准予变更")
    assert early.status_code == 422
    message = early.json()["errors"]["__all__"][0]
    assert "业务科室前置审查尚未完成" in message and "日照市民政局养老服务科" in message
    early_refusal = api(division_head).fire("application", app_id, "refuse", "材料不实")
    assert early_refusal.status_code == 422
    assert "业务科室前置审查尚未完成" in early_refusal.json()["errors"]["__all__"][0]
    # Nothing was written: same state, no transition, the registry unchanged.
    assert Application.objects.get(pk=app_id).state == ApplicationState.JOINT_REVIEW
    assert (
        Transition.objects.filter(process="application", object_id=str(app_id)).count()
        == transitions
    )
    city.city_org.refresh_from_db()
    assert city.city_org.domicile != CHANGE["domicile"]

    # The division sees the application it is asked about, and gives its opinion.
    assert api(division_reviewer).get(f"/application/{app_id}").status_code == 200
    given = api(division_reviewer).fire("opinion", pre["id"], "consent", "经审查，同意变更")
    assert given.status_code == 200, given.json()
    assert not Deadline.objects.filter(
        process="opinion", object_id=str(pre["id"]), closed_at__isnull=True
    ).exists()

    approved = api(division_head).fire("application", app_id, "approve", "准予变更")
    assert approved.status_code == 200, approved.json()
    city.city_org.refresh_from_db()
    assert city.city_org.domicile == CHANGE["domicile"]


def test_the_application_page_shows_the_pre_review_awaited(
    api, city, org_account, approval_clerk, division_head, elderly_division, division_reviewer
) -> None:
    _duty(city.city_org, elderly_division)
    app_id = _accepted_change(api, org_account, approval_clerk)
    client = Client()
    client.force_login(division_head)
    page = client.get(f"/registration/applications/{app_id}/").content.decode()
    assert "业务科室前置审查" in page and "日照市民政局养老服务科" in page
    # Both decisions are shown blocked, with the pre-review as the reason.
    assert 'data-blocked="approve"' in page and 'data-blocked="refuse"' in page


def test_another_division_cannot_give_the_pre_review(
    api, city, org_account, approval_clerk, division_head, elderly_division
) -> None:
    _duty(city.city_org, elderly_division)
    app_id = _accepted_change(api, org_account, approval_clerk)
    other = f.department("MZJ-ET", "日照市民政局儿童福利科", DepartmentKind.DIVISION, city.city)
    stranger = f.user("et_reviewer", Role.DEPARTMENT_LIAISON, department=other)
    pre = _opinions(api, division_head, app_id)["division_pre_review"]
    assert api(stranger).fire("opinion", pre["id"], "consent").status_code == 404
    assert Opinion.objects.get(pk=pre["id"]).state == "pending"


def test_no_pre_review_without_a_current_division_duty(
    api, city, org_account, approval_clerk, division_head, elderly_division
) -> None:
    """A duty that ended, or one held by a body that is not a division, asks no pre-review."""
    ended = timezone.localdate() - timedelta(days=1)
    _duty(city.city_org, elderly_division, effective_to=ended)
    _duty(city.city_org, city.party)
    app_id = _accepted_change(api, org_account, approval_clerk)
    assert "division_pre_review" not in _opinions(api, division_head, app_id)
