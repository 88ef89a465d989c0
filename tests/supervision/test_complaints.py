"""Complaints and tips: filed anonymously, routed through the responsibility map to the
department that answers for the organization, verified within the CP-1 clock, answered, and
tracked by code; the complainant's identity read only by the assigned handlers, audited."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from socorg.core.models import AuditLog, Deadline, Role, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.registry.models import Organization, Responsibility, ResponsibilityKind
from socorg.supervision.models import (
    ComplainantIdentity,
    Complaint,
    ComplaintResult,
    ComplaintState,
)
from socorg.supervision.rules import complaints as rules
from socorg.supervision.selectors.complaints import organizations_with_verified_complaint
from socorg.supervision.selectors.inspections import risk_facts
from tests import factories as f
from tests.supervision.conftest import Api

ANONYMOUS_BODY = {
    "subject": "违规收费",
    "content": "该学会以培训名义向会员收取费用，未开具票据。",
}


def public_post(body: dict[str, Any], address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/complaints", json.dumps(body), content_type="application/json"
    )


def track(code: str) -> Any:
    return Client().get(f"/api/v1/complaints/track/{code}")


@pytest.fixture
def officer(city) -> User:
    return f.user(
        "officer", Role.ENFORCEMENT_OFFICER, jurisdiction=city.city, department=city.civil_affairs
    )


@pytest.fixture
def rules_loaded(db) -> None:
    load_rule_defaults()


def file_anonymously(org: Any, **extra: Any) -> str:
    response = public_post({"organization": org.uscc, **ANONYMOUS_BODY, **extra})
    assert response.status_code == 200, response.content
    return response.json()["tracking_code"]


def test_tracking_codes_are_twelve_unambiguous_characters_and_read_back_as_typed() -> None:
    codes = {rules.tracking_code_new() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 12 and set(code) <= set(rules.TRACKING_ALPHABET)
        assert not set(code) & set("01ILO")
        typed = rules.tracking_code_display(code).lower().replace("-", " ")
        assert rules.tracking_code_normalize(typed) == code
    assert rules.tracking_code_normalize("ABCD") is None
    assert rules.tracking_code_normalize("0" * 12) is None


def test_complaint_journey_anonymous_routed_verified_replied_tracked(
    city, officer, edu_liaison, rules_loaded
) -> None:
    """The public files anonymously; the officer triages and routes; the responsibility map
    names 市教育局 (the supervisory unit is the fallback, here overridden by the map); its
    liaison verifies within the CP-1 clock; the reply shows by tracking code, the findings
    never do."""
    other = f.department("HEALTH", "日照市卫生健康委员会", "government", city.city)
    Responsibility.objects.create(
        organization=city.edu_org,
        department=city.edu,
        kind=ResponsibilityKind.COMPREHENSIVE_SUPERVISION,
        effective_from=date(2020, 1, 1),
    )
    Responsibility.objects.create(
        organization=city.edu_org,
        department=other,
        kind=ResponsibilityKind.COMPREHENSIVE_SUPERVISION,
        effective_from=date(2019, 1, 1),
        effective_to=date(2019, 12, 31),
    )
    code = file_anonymously(city.edu_org)
    complaint = Complaint.objects.get()
    assert complaint.state == ComplaintState.RECEIVED and complaint.source == "web"
    assert ComplainantIdentity.objects.get(complaint=complaint).is_anonymous
    assert track(code).json()["state"] == ComplaintState.RECEIVED

    staff = Api(officer)
    assert (
        staff.post(f"/complaint/{complaint.pk}/transitions", {"action": "triage"}).status_code
        == 200
    )
    routed = staff.post(f"/complaint/{complaint.pk}/transitions", {"action": "route"}).json()
    assert routed["state"] == ComplaintState.ROUTED
    assert routed["department"] == "日照市教育局"
    deadline = Deadline.objects.get(process="complaint", object_id=str(complaint.pk))
    assert deadline.rule_id == "CP-1" and deadline.unit == "working" and deadline.days == 15

    liaison = Api(edu_liaison)
    done = liaison.post(
        f"/complaint/{complaint.pk}/transitions",
        {"action": "confirm", "comment": "经查，该学会确有收费未开票据情况，已责令整改。"},
    )
    assert done.status_code == 200, done.content
    assert Deadline.objects.get(pk=deadline.pk).closed_at is not None
    staff.post(
        f"/complaint/{complaint.pk}/transitions",
        {"action": "reply", "comment": "您反映的问题经核查属实，已责令该组织整改。"},
    )
    public = track(code).json()
    assert public["state"] == ComplaintState.REPLIED
    assert public["reply"] == "您反映的问题经核查属实，已责令该组织整改。"
    assert public["received_on"] == str(date.today())
    assert "已责令整改" not in json.dumps(public, ensure_ascii=False).replace(public["reply"], "")
    assert set(public) == {
        "tracking_code",
        "state",
        "state_label",
        "organization",
        "subject",
        "received_on",
        "triaged_on",
        "routed_on",
        "replied_on",
        "closed_on",
        "reply",
    }
    staff.post(f"/complaint/{complaint.pk}/transitions", {"action": "close"})
    assert track(code.replace("-", "").lower()).json()["state"] == ComplaintState.CLOSED
    complaint.refresh_from_db()
    assert complaint.result == ComplaintResult.VERIFIED
    assert organizations_with_verified_complaint(date.today() - timedelta(days=365)) == {
        city.edu_org.pk
    }


def test_routing_falls_back_to_the_supervisory_unit_then_the_bureau(
    city, officer, rules_loaded
) -> None:
    staff = Api(officer)
    for org, expected in ((city.edu_org, "日照市教育局"), (city.city_org, None)):
        file_anonymously(org)
        pk = Complaint.objects.get(organization=org).pk
        staff.post(f"/complaint/{pk}/transitions", {"action": "triage"})
        item = staff.post(f"/complaint/{pk}/transitions", {"action": "route"}).json()
        assert item["department"] == expected


def test_a_verification_by_the_wrong_department_is_refused_and_changes_nothing(
    city, officer, rules_loaded
) -> None:
    other = f.department("HEALTH", "日照市卫生健康委员会", "government", city.city)
    outsider = f.user("health_liaison", Role.DEPARTMENT_LIAISON, department=other)
    file_anonymously(city.edu_org)
    pk = Complaint.objects.get().pk
    staff = Api(officer)
    staff.post(f"/complaint/{pk}/transitions", {"action": "triage"})
    staff.post(f"/complaint/{pk}/transitions", {"action": "route"})
    # Another department's liaison does not even see it.
    assert (
        Api(outsider)
        .post(f"/complaint/{pk}/transitions", {"action": "confirm", "comment": "属实"})
        .status_code
        == 404
    )
    # The bureau's officer may verify only what no department answers for.
    refused = staff.post(f"/complaint/{pk}/transitions", {"action": "confirm", "comment": "属实"})
    assert refused.status_code == 422
    assert (
        "已转 日照市教育局 核查，只有该部门可以反馈核查结果"
        in refused.json()["errors"]["__all__"][0]
    )
    complaint = Complaint.objects.get()
    assert complaint.state == ComplaintState.ROUTED and complaint.result == ""


def test_a_stale_click_is_refused_with_the_current_state(city, officer, rules_loaded) -> None:
    file_anonymously(city.edu_org)
    pk = Complaint.objects.get().pk
    staff = Api(officer)
    staff.post(f"/complaint/{pk}/transitions", {"action": "triage", "expected_state": "received"})
    again = staff.post(
        f"/complaint/{pk}/transitions", {"action": "triage", "expected_state": "received"}
    )
    assert again.status_code == 409
    assert "已被他人处理" in again.json()["detail"] and "已受理" in again.json()["detail"]


def test_public_filing_refuses_an_unknown_organization_and_a_bad_id_number_writing_nothing(
    city, rules_loaded
) -> None:
    unknown = public_post({"organization": "不存在的协会", **ANONYMOUS_BODY})
    assert unknown.status_code == 422
    assert "未找到该社会组织" in unknown.json()["errors"]["organization"][0]
    bad_id = public_post(
        {"organization": city.edu_org.name, **ANONYMOUS_BODY, "id_number": "110101199001011234"}
    )
    assert bad_id.status_code == 422 and "身份证号码" in bad_id.json()["errors"]["id_number"][0]
    assert not Complaint.objects.exists() and not ComplainantIdentity.objects.exists()


def test_public_filing_is_rate_limited_per_client_address(city, rules_loaded, monkeypatch) -> None:
    monkeypatch.setattr("socorg.supervision.selectors.complaints.RATE_LIMIT", (2, 600))
    body = {"organization": city.edu_org.uscc, **ANONYMOUS_BODY}
    assert [public_post(body, "10.9.9.9").status_code for _ in range(3)] == [200, 200, 429]
    refused = public_post(body, "10.9.9.9")
    assert refused.json()["detail"] == "提交过于频繁，请稍后再试。"
    assert refused["Retry-After"] == "600"
    assert public_post(body, "10.9.9.10").status_code == 200
    assert Complaint.objects.count() == 3


def test_an_unknown_tracking_code_is_not_found(db) -> None:
    assert track("ABCD-EFGH-JKMN").status_code == 404
    assert track("x").status_code == 404


def test_staff_intake_from_the_12345_hotline(city, officer, rules_loaded) -> None:
    response = Api(officer).post(
        "/complaints/intake",
        {
            "organization": city.edu_org.uscc,
            "source": "hotline_12345",
            "source_reference": "12345-20261203-0001",
            **ANONYMOUS_BODY,
            "name": "张三",
            "phone": "13800000000",
        },
    )
    assert response.status_code == 200, response.content
    item = response.json()
    assert item["source"] == "hotline_12345" and item["state"] == ComplaintState.RECEIVED
    assert (
        "张三" not in response.content.decode() and "13800000000" not in response.content.decode()
    )
    complaint = Complaint.objects.get()
    assert complaint.handler == officer
    assert AuditLog.objects.filter(action="complaint.intake").count() == 1


def _complaint(org: Any, result: str, concluded_on: date | None, code: str) -> Complaint:
    return Complaint.objects.create(
        tracking_code=code,
        organization=org,
        subject="事项",
        content="内容",
        received_on=date(2025, 1, 1),
        state=ComplaintState.CONCLUDED if result else ComplaintState.ROUTED,
        result=result,
        concluded_on=concluded_on,
    )


def test_ri3_the_draw_weights_organizations_with_a_complaint_verified_since_the_date(city) -> None:
    """RI-3: only a complaint found verified on or after the date counts; one found
    unfounded, still under verification, or verified before the date does not."""
    since = date(2026, 1, 1)
    _complaint(city.edu_org, ComplaintResult.VERIFIED, since, "AAAAAAAAAAA2")
    _complaint(city.city_org, ComplaintResult.VERIFIED, date(2025, 12, 31), "AAAAAAAAAAA3")
    _complaint(city.donggang_org, ComplaintResult.NOT_VERIFIED, date(2026, 6, 1), "AAAAAAAAAAA4")
    _complaint(city.lanshan_org, "", None, "AAAAAAAAAAA5")
    _complaint(city.edu_org, ComplaintResult.VERIFIED, date(2026, 7, 1), "AAAAAAAAAAA6")
    assert organizations_with_verified_complaint(since) == {city.edu_org.pk}
    assert organizations_with_verified_complaint(date(2025, 12, 31)) == {
        city.edu_org.pk,
        city.city_org.pk,
    }


def test_a_complaint_not_taken_up_is_closed_with_its_reply(city, officer, rules_loaded) -> None:
    code = file_anonymously(city.edu_org)
    pk = Complaint.objects.get().pk
    staff = Api(officer)
    refused = staff.post(f"/complaint/{pk}/transitions", {"action": "dismiss"})
    assert refused.status_code == 422
    assert refused.json()["errors"]["__all__"] == ["执行“不予受理并答复”需要填写意见。"]
    staff.post(
        f"/complaint/{pk}/transitions", {"action": "dismiss", "comment": "不属于本机关职责。"}
    )
    public = track(code).json()
    assert public["state"] == ComplaintState.CLOSED and public["reply"] == "不属于本机关职责。"


def test_the_handler_alone_routes_what_they_accepted(city, officer, rules_loaded) -> None:
    colleague = f.user(
        "colleague", Role.REGISTRAR, jurisdiction=city.city, department=city.civil_affairs
    )
    file_anonymously(city.edu_org)
    pk = Complaint.objects.get().pk
    Api(officer).post(f"/complaint/{pk}/transitions", {"action": "triage"})
    refused = Api(colleague).post(f"/complaint/{pk}/transitions", {"action": "route"})
    assert refused.status_code == 422
    assert "只有承办人可以转办" in refused.json()["errors"]["__all__"][0]
    assert Complaint.objects.get().state == ComplaintState.TRIAGED


def test_ri3_a_complaint_verified_in_the_last_twelve_months_raises_the_draw_weight(city) -> None:
    """The draw's risk facts read the complaints themselves: verified within 12 months counts,
    verified earlier or found not verified does not."""
    on = date(2026, 12, 3)

    def complaint(org, code: str, result: str, concluded_on: date) -> None:
        Complaint.objects.create(
            tracking_code=code,
            organization=org,
            subject="违规收费",
            content="收取资料费。",
            state="closed",
            received_on=concluded_on,
            result=result,
            concluded_on=concluded_on,
        )

    complaint(city.city_org, "AAAA2222BBBB", ComplaintResult.VERIFIED, date(2026, 1, 5))
    complaint(city.edu_org, "CCCC3333DDDD", ComplaintResult.VERIFIED, date(2025, 12, 2))
    complaint(city.donggang_org, "EEEE4444FFFF", ComplaintResult.NOT_VERIFIED, date(2026, 6, 1))
    facts = risk_facts(Organization.objects.values("pk"), on=on)
    assert facts.complaint_verified == frozenset({city.city_org.pk})
