"""The random-inspection pages: a division head commits and draws a plan with confirmation, the
drawn organizations show with their inspectors, the bundle downloads as JSON and verifies, and
an inspector records a finding per matter on their own page."""

from __future__ import annotations

import json

from django.test import Client

from socorg.core.models import Role
from socorg.supervision import draw
from socorg.supervision.models import InspectionFinding, PlanAssignment, PlanState
from socorg.supervision.services import inspections as services
from tests import factories as f
from tests.supervision.inspection_fixtures import *  # noqa: F403


def test_ri2_plan_is_committed_and_drawn_from_its_page_after_confirmation(
    plan, division_head
) -> None:
    client = f.login(Client(), division_head)
    url = f"/supervision/inspections/{plan.pk}/"
    page = client.get(url).content.decode()
    assert "锁定名录库并公布承诺值" in page and "我已核对计划内容" in page
    transition = f"/supervision/inspections/{plan.pk}/transition/"
    client.post(transition, {"action": "commit", "expected_state": "draft", "comment": ""})
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT  # not confirmed: nothing happens
    client.post(
        transition, {"action": "commit", "expected_state": "draft", "comment": "", "confirmed": "1"}
    )
    client.post(
        transition,
        {"action": "draw", "expected_state": "committed", "comment": "", "confirmed": "1"},
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN
    page = client.get(url).content.decode()
    assert plan.seed in page and "抽中组织及检查人员" in page
    bundle = json.loads(client.get(f"{url}bundle.json").content)
    assert draw.verify_bundle(bundle) == []
    assert client.get("/supervision/inspections/").status_code == 200


def test_ri6_inspector_records_a_finding_on_the_phone_page(plan, division_head) -> None:
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    services.plan_draw(actor=division_head, plan_id=plan.pk)
    assignment = PlanAssignment.objects.select_related("inspector__user").first()
    client = f.login(Client(), assignment.inspector.user)
    page = client.get("/supervision/inspections/mine/").content.decode()
    assert "记录结果" in page and "财务管理" in page
    matter = plan.matter_list.matters.get(code="governance")
    response = client.post(
        "/supervision/inspections/mine/finding/",
        {
            "subject": assignment.subject_id,
            "matter": matter.pk,
            "result": "issues",
            "description": "",
        },
    )
    assert response.status_code == 400 and "发现问题时请写明情况说明" in response.content.decode()
    client.post(
        "/supervision/inspections/mine/finding/",
        {
            "subject": assignment.subject_id,
            "matter": matter.pk,
            "result": "compliant",
            "description": "",
        },
    )
    assert InspectionFinding.objects.filter(subject_id=assignment.subject_id).count() == 1
    outsider = f.login(
        Client(), f.user("org", Role.ORGANIZATION, organization=assignment.subject.organization)
    )
    assert outsider.get("/supervision/inspections/mine/").status_code == 403
