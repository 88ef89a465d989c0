"""Attack: a reviewer reads the other departments' opinions of a joint review.

The application's detail, in the API and on the page, shows each reader what
``registration.access`` lets them see: a reviewing department only its own opinion; the
division (registrar, division head, director) every opinion with its comment and who gave it;
the applicant and other bureau staff the outcome per department and the reason of an
objection, never a consent's internal comment nor the reviewer's name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from socorg.core.models import Role, User
from socorg.registration.models import Application
from tests import factories as f
from tests.registration.conftest import establishment_data
from tests.security.review import give, in_review, opinion

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")

OBJECTION = "业务范围超出本部门监管范围"
INTERNAL = "内部提示：拟任负责人曾有投诉记录"
PARTY_NOTE = "党建内部备注：暂未建立党组织"
ALL = {"EDU", "WJW", "LXGW", "MZJ-DJ"}


@pytest.fixture
def reviewed(
    city, founder, approval_clerk, edu_liaison, health_liaison, party_reviewer
) -> Application:
    """A direct registration: 市教育局 objects, 卫健委 (consulted) and 两新工委 consent with
    internal comments, the division's own opinion is pending."""
    data = establishment_data(
        name="日照市科技创新促进会",
        category="science",
        direct_category="科技类",
        supervisory_unit="",
        industry_regulator="EDU",
    )
    app = in_review(founder, approval_clerk, data, consulted=["WJW"])
    give(app, "EDU", edu_liaison, "refuse", OBJECTION)
    give(app, "WJW", health_liaison, "consent", INTERNAL)
    give(app, "LXGW", party_reviewer, "consent", PARTY_NOTE)
    return app


def _api_opinions(api: Any, user: User, app: Application) -> dict[str, dict[str, Any]]:
    response = api(user).get(f"/application/{app.pk}")
    assert response.status_code == 200
    by_code = {"日照市教育局": "EDU", "日照市卫生健康委员会": "WJW", "日照市两新工委": "LXGW"}
    return {by_code.get(o["department"], "MZJ-DJ"): o for o in response.json()["opinions"]}


def _page(user: User, app: Application) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("registration:application_detail", args=[app.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _page_departments(page: str) -> set[str]:
    return {code for code in ALL if f'data-department="{code}"' in page}


@pytest.mark.parametrize(
    ("reviewer", "code", "comment"),
    [
        ("edu_liaison", "EDU", OBJECTION),
        ("health_liaison", "WJW", INTERNAL),
        ("party_reviewer", "LXGW", PARTY_NOTE),
    ],
)
def test_reviewer_sees_only_their_own_departments_opinion(
    request, api, reviewed, reviewer, code, comment
) -> None:
    user = request.getfixturevalue(reviewer)
    opinions = _api_opinions(api, user, reviewed)
    assert set(opinions) == {code} and opinions[code]["comment"] == comment
    page = _page(user, reviewed)
    assert _page_departments(page) == {code}
    for other in {OBJECTION, INTERNAL, PARTY_NOTE} - {comment}:
        assert other not in page
    assert comment in page


def test_reviewer_cannot_open_another_departments_opinion(
    api, reviewed, edu_liaison, health_liaison
) -> None:
    other = opinion(reviewed, "WJW")
    assert api(edu_liaison).get(f"/opinion/{other.pk}").status_code == 404
    assert api(health_liaison).get(f"/opinion/{other.pk}").json()["comment"] == INTERNAL


@pytest.mark.parametrize("who", ["city_registrar", "division_head", "director"])
def test_division_sees_every_opinion_with_comment_and_reviewer(
    request, api, city, reviewed, health_liaison, who
) -> None:
    if who == "director":
        user = f.user("director", Role.DIRECTOR, jurisdiction=city.city)
    else:
        user = request.getfixturevalue(who)
    opinions = _api_opinions(api, user, reviewed)
    assert set(opinions) == ALL
    assert opinions["WJW"]["comment"] == INTERNAL
    assert opinions["LXGW"]["comment"] == PARTY_NOTE
    page = _page(user, reviewed)
    assert _page_departments(page) == ALL
    assert INTERNAL in page and PARTY_NOTE in page and OBJECTION in page
    assert f"{INTERNAL} — {health_liaison}" in page


@pytest.mark.parametrize("who", ["founder", "approval_clerk"])
def test_applicant_sees_outcomes_and_the_reason_of_an_objection_only(
    request, api, reviewed, health_liaison, edu_liaison, who
) -> None:
    user = request.getfixturevalue(who)
    opinions = _api_opinions(api, user, reviewed)
    assert set(opinions) == ALL
    assert opinions["EDU"]["state"] == "refused" and opinions["EDU"]["comment"] == OBJECTION
    assert opinions["WJW"]["state"] == "consented" and opinions["WJW"]["comment"] == ""
    assert opinions["LXGW"]["comment"] == "" and opinions["MZJ-DJ"]["state"] == "pending"
    page = _page(user, reviewed)
    assert _page_departments(page) == ALL
    assert OBJECTION in page and INTERNAL not in page and PARTY_NOTE not in page
    assert f"— {edu_liaison}" not in page and f"— {health_liaison}" not in page


def test_another_founder_sees_nothing(api, reviewed) -> None:
    stranger = f.user("founder2", Role.ORGANIZATION)
    assert api(stranger).get(f"/application/{reviewed.pk}").status_code == 404
    client = Client()
    client.force_login(stranger)
    url = reverse("registration:application_detail", args=[reviewed.pk])
    assert client.get(url).status_code == 404
