"""The generic workflow API, shown on the data-correction process: propose (201), view the item
with the caller's actions, history and deadline, fire transitions (403 role, 409 moved
meanwhile, 422 guard), and 404 outside the caller's scope."""

from __future__ import annotations

from typing import Any

import pytest

from socorg.api import api
from socorg.core.models import AuditLog, Transition
from socorg.core.workflow import all_processes
from socorg.registry.models import (
    CorrectionState,
    DataCorrection,
    EventKind,
    EventReason,
    FormerName,
)
from socorg.registry.processes import DATA_CORRECTION


def propose(
    client, org, changes: dict[str, Any] | None = None, reason: str = "登记时名称录入错误"
) -> Any:
    body = {
        "organization": org.uscc,
        "changes": changes or {"name": "日照市东港区书法协会"},
        "reason": reason,
    }
    return client.post("/data_correction", body)


@pytest.fixture
def correction(city, donggang_registrar, as_user) -> dict[str, Any]:
    response = propose(as_user(donggang_registrar), city.donggang_org)
    assert response.status_code == 201, response.content
    return response.json()


def test_registrar_proposes_a_correction(city, correction, donggang_registrar) -> None:
    assert correction["process"] == "data_correction"
    assert (correction["state"], correction["state_label"]) == (CorrectionState.PROPOSED, "待审批")
    assert correction["organization"] == {
        "uscc": city.donggang_org.uscc,
        "name": "日照市东港区书法家协会",
    }
    assert correction["changes"] == {"name": "日照市东港区书法协会"}
    assert correction["original"] == {"name": "日照市东港区书法家协会"}
    assert correction["proposed_by"] == "donggang_registrar"
    assert [a["name"] for a in correction["available_actions"]] == ["withdraw"]
    assert AuditLog.objects.filter(action="data_correction.propose").count() == 1
    city.donggang_org.refresh_from_db()
    assert city.donggang_org.name == "日照市东港区书法家协会"


def test_item_shows_the_statutory_deadline(correction) -> None:
    deadline = correction["deadline"]
    assert (deadline["rule_id"], deadline["unit"], deadline["days"], deadline["is_open"]) == (
        "CR-1",
        "working",
        5,
        True,
    )
    assert deadline["unit_label"] == "工作日"
    assert deadline["days_left"] == 5


def test_division_head_sees_approve_and_reject(correction, division_head, as_user) -> None:
    item = as_user(division_head).get(f"/data_correction/{correction['id']}").json()
    assert [(a["name"], a["label"], a["comment_required"]) for a in item["available_actions"]] == [
        ("approve", "批准", False),
        ("reject", "驳回", True),
    ]


def test_division_head_approves_and_the_registry_changes(
    city, correction, division_head, as_user
) -> None:
    response = as_user(division_head).post(
        f"/data_correction/{correction['id']}/transitions",
        {"action": "approve", "comment": "核对档案无误", "expected_state": "proposed"},
    )
    assert response.status_code == 200, response.content
    item = response.json()
    assert (item["state"], item["state_label"], item["is_final"]) == ("approved", "已批准", True)
    assert item["available_actions"] == []
    assert item["organization"]["name"] == "日照市东港区书法协会"
    assert [
        (h["action"], h["action_label"], h["actor"], h["comment"]) for h in item["history"]
    ] == [("approve", "批准", "division_head", "核对档案无误")]
    assert item["deadline"]["is_open"] is False and item["deadline"]["days_left"] is None
    org = city.donggang_org
    org.refresh_from_db()
    assert org.name == "日照市东港区书法协会"
    assert FormerName.objects.filter(organization=org, name="日照市东港区书法家协会").exists()
    event = org.events.get(kind=EventKind.RENAMED)
    assert event.reason == EventReason.DATA_CORRECTION
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"data_correction.approve", "organization.correct"} <= actions


def test_approved_correction_shows_in_the_organizations_public_events(
    city, correction, division_head, as_user
) -> None:
    client = as_user(division_head)
    client.post(f"/data_correction/{correction['id']}/transitions", {"action": "approve"})
    events = client.get(f"/organizations/{city.donggang_org.uscc}").json()["events"]
    assert ("renamed", "名称变更", "data_correction", "登记数据更正") in {
        (e["kind"], e["kind_label"], e["reason"], e["reason_label"]) for e in events
    }


def test_registrar_may_not_approve(city, correction, donggang_registrar, as_user) -> None:
    response = as_user(donggang_registrar).post(
        f"/data_correction/{correction['id']}/transitions", {"action": "approve"}
    )
    assert response.status_code == 403
    assert "批准" in response.json()["detail"]
    assert DataCorrection.objects.get(pk=correction["id"]).state == CorrectionState.PROPOSED


def test_approving_twice_is_a_conflict(correction, division_head, as_user) -> None:
    client = as_user(division_head)
    url = f"/data_correction/{correction['id']}/transitions"
    assert client.post(url, {"action": "approve"}).status_code == 200
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 409
    assert "已被他人处理" in response.json()["detail"]
    assert Transition.objects.filter(process="data_correction").count() == 1


def test_stale_expected_state_is_a_conflict(
    correction, division_head, donggang_registrar, as_user
) -> None:
    url = f"/data_correction/{correction['id']}/transitions"
    assert as_user(donggang_registrar).post(url, {"action": "withdraw"}).status_code == 200
    response = as_user(division_head).post(
        url, {"action": "reject", "comment": "x", "expected_state": "proposed"}
    )
    assert response.status_code == 409
    assert "已被他人处理" in response.json()["detail"]


def test_reject_without_comment_is_refused(correction, division_head, as_user) -> None:
    response = as_user(division_head).post(
        f"/data_correction/{correction['id']}/transitions", {"action": "reject", "comment": "  "}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["__all__"] == ["执行“驳回”需要填写意见。"]
    assert DataCorrection.objects.get(pk=correction["id"]).state == CorrectionState.PROPOSED


def test_reject_with_comment_leaves_the_registry_alone(
    city, correction, division_head, as_user
) -> None:
    response = as_user(division_head).post(
        f"/data_correction/{correction['id']}/transitions",
        {"action": "reject", "comment": "与档案不符"},
    )
    assert response.json()["state"] == "rejected"
    city.donggang_org.refresh_from_db()
    assert city.donggang_org.name == "日照市东港区书法家协会"


def test_only_the_proposer_may_withdraw(city, correction, city_registrar, as_user) -> None:
    response = as_user(city_registrar).post(
        f"/data_correction/{correction['id']}/transitions", {"action": "withdraw"}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["__all__"] == ["只有提出人可以撤回更正申请。"]


def test_unknown_action_is_refused_listing_the_actions(correction, division_head, as_user) -> None:
    response = as_user(division_head).post(
        f"/data_correction/{correction['id']}/transitions", {"action": "burn"}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["action"] == [
        "取值无效，可选值为：approve、reject、withdraw。"
    ]


def test_correction_outside_the_callers_scope_does_not_exist(correction, as_user, request) -> None:
    client = as_user(request.getfixturevalue("lanshan_registrar"))
    assert client.get(f"/data_correction/{correction['id']}").status_code == 404
    response = client.post(
        f"/data_correction/{correction['id']}/transitions", {"action": "approve"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["edu_liaison", "org_account"])
def test_roles_without_the_corrections_permission_are_refused_before_any_lookup(
    correction, as_user, request, who
) -> None:
    client = as_user(request.getfixturevalue(who))
    assert client.get(f"/data_correction/{correction['id']}").status_code == 403
    response = client.post(
        f"/data_correction/{correction['id']}/transitions", {"action": "approve"}
    )
    assert response.status_code == 403


def test_anonymous_gets_401_on_workflow_routes(correction, as_user) -> None:
    assert as_user().get(f"/data_correction/{correction['id']}").status_code == 401
    assert (
        as_user()
        .post(f"/data_correction/{correction['id']}/transitions", {"action": "approve"})
        .status_code
        == 401
    )


def test_proposing_for_an_organization_outside_scope_is_404(
    city, lanshan_registrar, as_user
) -> None:
    assert propose(as_user(lanshan_registrar), city.donggang_org).status_code == 404


def test_only_registrars_may_propose(city, edu_liaison, as_user) -> None:
    assert propose(as_user(edu_liaison), city.edu_org).status_code == 403


def test_proposal_without_reason_is_refused(city, donggang_registrar, as_user) -> None:
    response = propose(as_user(donggang_registrar), city.donggang_org, reason=" ")
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": ["请填写更正理由。"]}
    assert not DataCorrection.objects.exists()


def test_proposal_of_a_protected_field_is_refused(city, donggang_registrar, as_user) -> None:
    response = propose(as_user(donggang_registrar), city.donggang_org, {"uscc": "x"})
    assert response.status_code == 422
    assert "uscc" in response.json()["errors"]["changes"][0]


def test_proposal_with_invalid_value_is_refused(city, donggang_registrar, as_user) -> None:
    response = propose(
        as_user(donggang_registrar), city.donggang_org, {"established_on": "2015-02-30"}
    )
    assert response.status_code == 422
    assert "established_on" in response.json()["errors"]
    assert not DataCorrection.objects.exists()


def test_proposal_values_must_be_text_or_numbers(city, donggang_registrar, as_user) -> None:
    response = propose(as_user(donggang_registrar), city.donggang_org, {"name": None})
    assert response.status_code == 422
    assert response.json()["errors"] == {"changes": ["字段“name”的更正值应为文本或数字。"]}


def test_every_registered_process_gets_its_routes() -> None:
    paths = api.get_openapi_schema()["paths"]
    for name in all_processes():
        assert f"/api/v1/{name}/{{id}}" in paths
        assert f"/api/v1/{name}/{{id}}/transitions" in paths


def test_process_without_declared_fields_shows_all_its_fields(
    correction, donggang_registrar
) -> None:
    from dataclasses import replace

    from socorg.core.api import workflow_item

    undeclared = replace(DATA_CORRECTION, name="undeclared_probe")
    obj = DataCorrection.objects.get(pk=correction["id"])
    item = workflow_item(undeclared, obj, donggang_registrar)
    assert item["process"] == "undeclared_probe"
    assert item["fields"]["reason"] == "登记时名称录入错误"
    assert item["fields"]["organization"] == obj.organization_id
