"""Attack: the consents of a joint review survive a rewrite of the application.

After the division asked for 补正 during the review, the applicant replaces the name, the
purpose, the scope and the supervisory unit (or the industry regulator) and resubmits. The
consents given on the old content must not carry the new one (RG-14): the department no longer
concerned is withdrawn, the new one is asked, the others give a new opinion — through the
workflow engine, audited — and approval is refused until every one of them has consented."""

from __future__ import annotations

from typing import Any

import pytest

from socorg.core.models import AuditLog, Transition
from socorg.core.workflow import fire
from socorg.registration.models import Application, OpinionState
from socorg.registration.processes import APPLICATION
from socorg.registry.models import Organization
from tests.registration.conftest import establishment_data
from tests.security.review import give, in_review, opinion, states

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")

PENDING, CONSENTED, WITHDRAWN = OpinionState.PENDING, OpinionState.CONSENTED, OpinionState.WITHDRAWN
REWRITE = {
    "name": "日照市健康促进会",
    "purpose": "普及健康知识",
    "business_scope": "健康讲座、义诊咨询",
}


def _ask_correction(app: Application, head: Any) -> None:
    fire(
        process=APPLICATION,
        key=app.pk,
        action="request_review_correction",
        actor=head,
        comment="请补正章程",
    )


def _rewrite_and_resubmit(api: Any, founder: Any, app: Application, data: dict[str, Any]) -> None:
    applicant = api(founder)
    assert applicant.put(f"/applications/{app.pk}/data", {"data": data}).status_code == 200
    response = applicant.fire("application", app.pk, "resubmit_review")
    assert response.status_code == 200, response.json()


def _approve(api: Any, head: Any, app: Application) -> Any:
    return api(head).fire("application", app.pk, "approve", "准予登记")


def test_new_supervisory_unit_must_consent_before_approval(
    api,
    city,
    founder,
    approval_clerk,
    edu_liaison,
    health_liaison,
    party_reviewer,
    city_registrar,
    division_head,
    django_capture_on_commit_callbacks,
) -> None:
    app = in_review(founder, approval_clerk, establishment_data())
    give(app, "EDU", edu_liaison)
    give(app, "LXGW", party_reviewer)
    give(app, "MZJ-DJ", city_registrar)
    _ask_correction(app, division_head)

    rewritten = establishment_data(**REWRITE, supervisory_unit="WJW")
    _rewrite_and_resubmit(api, founder, app, rewritten)

    assert states(app) == {
        ("EDU", "supervisory_unit_consent"): WITHDRAWN,
        ("WJW", "supervisory_unit_consent"): PENDING,
        ("LXGW", "party_building"): WITHDRAWN,
        ("MZJ-DJ", "registration_division"): WITHDRAWN,
    }
    refused = _approve(api, division_head, app)
    assert refused.status_code == 422
    assert "日照市卫生健康委员会" in refused.json()["errors"]["__all__"][0]
    assert not Organization.objects.filter(name=REWRITE["name"]).exists()

    # The engine moved each opinion as a consequence of the applicant's resubmission, audited.
    moves = Transition.objects.filter(process="opinion", action="withdraw")
    assert moves.count() == 3 and {t.actor_id for t in moves} == {founder.pk}
    edu = opinion(app, "EDU")
    assert "不再征求日照市教育局的意见" in moves.get(object_id=str(edu.pk)).comment
    assert AuditLog.objects.filter(action="opinion.withdraw").count() == 3
    assert AuditLog.objects.filter(action="application.review_replan").count() == 1

    # The new unit consents: the later phase is asked again, on the new facts.
    give(app, "WJW", health_liaison)
    assert states(app)[("LXGW", "party_building")] == PENDING
    assert states(app)[("MZJ-DJ", "registration_division")] == PENDING
    assert opinion(app, "LXGW").decided_by is None
    assert _approve(api, division_head, app).status_code == 422

    give(app, "LXGW", party_reviewer)
    give(app, "MZJ-DJ", city_registrar)
    with django_capture_on_commit_callbacks(execute=True):
        approved = _approve(api, division_head, app)
    assert approved.status_code == 200, approved.json()
    org = Organization.objects.get(name=REWRITE["name"])
    assert org.supervisory_unit == health_liaison.department and org.purpose == "普及健康知识"


def test_changed_purpose_needs_a_new_opinion_from_every_department(
    api, city, founder, approval_clerk, edu_liaison, party_reviewer, city_registrar, division_head
) -> None:
    app = in_review(founder, approval_clerk, establishment_data())
    give(app, "EDU", edu_liaison)
    give(app, "LXGW", party_reviewer)
    give(app, "MZJ-DJ", city_registrar)
    _ask_correction(app, division_head)

    _rewrite_and_resubmit(api, founder, app, establishment_data(purpose="开展营利性培训"))

    assert states(app) == {
        ("EDU", "supervisory_unit_consent"): PENDING,
        ("LXGW", "party_building"): WITHDRAWN,
        ("MZJ-DJ", "registration_division"): WITHDRAWN,
    }
    reopened = Transition.objects.get(process="opinion", action="reopen")
    assert "宗旨" in reopened.comment
    assert _approve(api, division_head, app).status_code == 422
    give(app, "EDU", edu_liaison)
    give(app, "LXGW", party_reviewer)
    give(app, "MZJ-DJ", city_registrar)
    assert _approve(api, division_head, app).status_code == 200


def test_replaced_regulator_of_a_direct_registration_is_asked_and_the_old_one_withdrawn(
    api,
    city,
    founder,
    approval_clerk,
    edu_liaison,
    health_liaison,
    party_reviewer,
    city_registrar,
    division_head,
) -> None:
    direct = {
        "name": "日照市科技创新促进会",
        "category": "science",
        "direct_category": "科技类",
        "supervisory_unit": "",
        "industry_regulator": "EDU",
    }
    app = in_review(founder, approval_clerk, establishment_data(**direct), consulted=[])
    for code, actor in (("EDU", edu_liaison), ("LXGW", party_reviewer)):
        give(app, code, actor)
    give(app, "MZJ-DJ", city_registrar)
    _ask_correction(app, division_head)

    rewritten = establishment_data(**{**direct, **REWRITE, "industry_regulator": "WJW"})
    _rewrite_and_resubmit(api, founder, app, rewritten)

    assert states(app) == {
        ("EDU", "opinion_request"): WITHDRAWN,
        ("WJW", "opinion_request"): PENDING,
        ("LXGW", "party_building"): PENDING,
        ("MZJ-DJ", "registration_division"): PENDING,
    }
    give(app, "LXGW", party_reviewer)
    give(app, "MZJ-DJ", city_registrar)
    refused = _approve(api, division_head, app)
    assert refused.status_code == 422
    assert "日照市卫生健康委员会（征求意见）" in refused.json()["errors"]["__all__"][0]
    give(app, "WJW", health_liaison)
    assert _approve(api, division_head, app).status_code == 200


def test_applicant_cannot_drop_a_consulted_department(
    api, city, founder, approval_clerk, health, division_head
) -> None:
    direct = {
        "name": "日照市科技创新促进会",
        "category": "science",
        "direct_category": "科技类",
        "supervisory_unit": "",
        "industry_regulator": "EDU",
    }
    app = in_review(founder, approval_clerk, establishment_data(**direct), consulted=["WJW"])
    _ask_correction(app, division_head)
    sneaky = {**establishment_data(**direct), "consulted_departments": []}
    _rewrite_and_resubmit(api, founder, app, sneaky)

    app.refresh_from_db()
    assert app.data["consulted_departments"] == ["WJW"]
    assert states(app)[("WJW", "opinion_request")] == PENDING


def test_a_new_contact_phone_keeps_the_consents(
    api, city, founder, approval_clerk, edu_liaison, party_reviewer, city_registrar, division_head
) -> None:
    app = in_review(founder, approval_clerk, establishment_data())
    give(app, "EDU", edu_liaison)
    give(app, "LXGW", party_reviewer)
    give(app, "MZJ-DJ", city_registrar)
    _ask_correction(app, division_head)

    _rewrite_and_resubmit(api, founder, app, establishment_data(contact_phone="0633-8888888"))

    assert set(states(app).values()) == {CONSENTED}
    assert not Transition.objects.filter(process="opinion", action__in=["withdraw", "reopen"])
    assert _approve(api, division_head, app).status_code == 200


@pytest.mark.parametrize("action", ["withdraw", "reopen"])
def test_nobody_withdraws_or_reopens_an_opinion_by_hand(
    api, city, founder, approval_clerk, edu_liaison, division_head, action
) -> None:
    """Only the applicant's resubmission re-plans the review: a department cannot shed its
    refusal, nor the division reopen a consent it dislikes."""
    app = in_review(founder, approval_clerk, establishment_data())
    give(app, "EDU", edu_liaison, "refuse", "不同意设立")
    edu = opinion(app, "EDU")
    for user in (edu_liaison, division_head):
        response = api(user).fire("opinion", edu.pk, action, "手工操作")
        assert response.status_code == 403
    edu.refresh_from_db()
    assert edu.state == OpinionState.REFUSED
