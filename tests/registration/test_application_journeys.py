"""Full journeys of every kind of application through the JSON API, with the cast: founders
or an organization account apply, the approval bureau accepts (受理), the departments give
their opinions in the joint review, the division head decides and the registry changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from socorg.core.models import Attachment, Counter
from socorg.registration.rules.checklists import checklist
from socorg.registration.services.decisions import uscc_assign
from socorg.registry.models import (
    Branch,
    EventKind,
    FormerName,
    Organization,
    OrgStatus,
    OrgType,
    Principal,
)
from socorg.registry.rules.organizations import make_uscc
from tests import factories as f
from tests.registration.conftest import establishment_data

pytestmark = pytest.mark.usefixtures("rule_params", "upload_dir")


def _open(
    api: Any,
    kind: str,
    data: dict[str, Any],
    org_type: str = "social_group",
    jurisdiction: str = "371100",
) -> dict[str, Any]:
    response = api.post(
        "/applications",
        {"kind": kind, "org_type": org_type, "jurisdiction": jurisdiction, "data": data},
    )
    assert response.status_code == 200, response.json()
    return response.json()


def _upload_all(api: Any, item: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    for material in item["materials"]:
        if material["required"] and material["key"] not in skip:
            assert api.upload(item["id"], material["key"]).status_code == 200


def _opinions(api: Any, app_id: int) -> dict[str, dict[str, Any]]:
    return {o["role"]: o for o in api.get(f"/application/{app_id}").json()["opinions"]}


def _submit_and_accept(founder_api: Any, clerk_api: Any, item: dict[str, Any]) -> None:
    response = founder_api.fire("application", item["id"], "submit", expected_state="draft")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "submitted"
    response = clerk_api.fire("application", item["id"], "accept", expected_state="submitted")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "joint_review"
    assert response.json()["deadline"]["rule_id"] == "RG-3"


def test_establishment_dual_management_supervisory_consent_comes_first_then_registry_entry(
    api,
    city,
    founder,
    approval_clerk,
    edu_liaison,
    party_reviewer,
    city_registrar,
    division_head,
    django_capture_on_commit_callbacks,
) -> None:
    applicant, clerk = api(founder), api(approval_clerk)
    item = _open(applicant, "establishment", establishment_data())
    _upload_all(applicant, item)
    _submit_and_accept(applicant, clerk, item)

    opinions = _opinions(api(division_head), item["id"])
    assert set(opinions) == {"supervisory_unit_consent"}, "前置: only the supervisory unit at first"
    # The party reviewer cannot see the application before its department is asked.
    assert api(party_reviewer).get(f"/application/{item['id']}").status_code == 404

    consent = api(edu_liaison).fire(
        "opinion", opinions["supervisory_unit_consent"]["id"], "consent", "同意成立"
    )
    assert consent.status_code == 200, consent.json()
    opinions = _opinions(api(division_head), item["id"])
    assert set(opinions) == {"supervisory_unit_consent", "party_building", "registration_division"}

    early = api(division_head).fire("application", item["id"], "approve")
    assert early.status_code == 422
    assert "尚有部门未出具意见" in early.json()["errors"]["__all__"][0]

    assert (
        api(party_reviewer).fire("opinion", opinions["party_building"]["id"], "consent").status_code
        == 200
    )
    assert (
        api(city_registrar)
        .fire("opinion", opinions["registration_division"]["id"], "consent")
        .status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):  # the certificate follows the commit
        approved = api(division_head).fire(
            "application", item["id"], "approve", "符合条件，准予登记"
        )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "approved"

    org = Organization.objects.get(name="日照市青少年科技教育促进会")
    stdnum_uscc.validate(org.uscc)
    assert org.uscc.startswith("51371100") and org.uscc == approved.json()["organization_uscc"]
    assert org.supervisory_unit == city.edu and org.management_mode == "dual_management"
    assert org.events.filter(kind=EventKind.REGISTERED).exists()
    assert org.terms.get().number == 1
    assert Principal.objects.filter(organization=org, is_legal_representative=True).count() == 1
    assert approved.json()["deadline"]["is_open"] is False
    certificate = Attachment.objects.get(owner_id=str(org.pk), content_type="application/pdf")
    assert certificate.size > 0


def test_establishment_direct_registration_needs_every_consulted_department(
    api, city, founder, approval_clerk, edu_liaison, party_reviewer, city_registrar, division_head
) -> None:
    data = establishment_data(
        name="日照市科技创新服务中心",
        category="science",
        direct_category="科技类",
        supervisory_unit="",
        industry_regulator="EDU",
    )
    applicant = api(founder)
    item = _open(applicant, "establishment", data, org_type="social_service_agency")
    _upload_all(applicant, item)
    _submit_and_accept(applicant, api(approval_clerk), item)

    opinions = _opinions(api(division_head), item["id"])
    assert set(opinions) == {"opinion_request", "party_building", "registration_division"}
    assert (
        api(party_reviewer).fire("opinion", opinions["party_building"]["id"], "consent").status_code
        == 200
    )
    assert (
        api(city_registrar)
        .fire("opinion", opinions["registration_division"]["id"], "consent")
        .status_code
        == 200
    )
    assert (
        api(edu_liaison).fire("opinion", opinions["opinion_request"]["id"], "consent").status_code
        == 200
    )

    approved = api(division_head).fire("application", item["id"], "approve")
    assert approved.status_code == 200, approved.json()
    org = Organization.objects.get(name="日照市科技创新服务中心")
    assert org.uscc[:2] == "52" and org.management_mode == "direct_registration"
    assert org.supervisory_unit is None and org.industry_regulator == city.edu


def _organization_journey(
    api: Any,
    org_account: Any,
    clerk: Any,
    registrar: Any,
    head: Any,
    kind: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    applicant = api(org_account)
    item = _open(applicant, kind, data)
    _upload_all(applicant, item)
    _submit_and_accept(applicant, api(clerk), item)
    opinions = _opinions(api(head), item["id"])
    assert "registration_division" in opinions
    for role, opinion in opinions.items():
        if role == "registration_division":
            assert api(registrar).fire("opinion", opinion["id"], "consent").status_code == 200
    return item


def _approve_after_party(api: Any, party_reviewer: Any, head: Any, item: dict[str, Any]) -> Any:
    opinions = _opinions(api(head), item["id"])
    if "party_building" in opinions:
        api(party_reviewer).fire("opinion", opinions["party_building"]["id"], "consent")
    return api(head).fire("application", item["id"], "approve")


def test_change_registration_renames_and_moves_with_public_events(
    api, city, org_account, approval_clerk, city_registrar, party_reviewer, division_head
) -> None:
    data = {
        "name": "日照市现代物流行业协会",
        "domicile": "日照市东港区港口路8号",
        "reason": "会员大会决议",
    }
    item = _organization_journey(
        api, org_account, approval_clerk, city_registrar, division_head, "change", data
    )
    response = _approve_after_party(api, party_reviewer, division_head, item)
    assert response.status_code == 200, response.json()
    org = Organization.objects.get(pk=city.city_org.pk)
    assert org.name == "日照市现代物流行业协会" and org.domicile == "日照市东港区港口路8号"
    assert FormerName.objects.filter(organization=org, name="日照市物流协会").exists()
    kinds = set(org.events.values_list("kind", flat=True))
    assert {EventKind.RENAMED, EventKind.DOMICILE_CHANGED} <= kinds


def test_deregistration_with_liquidation_report_removes_the_organization(
    api, city, org_account, approval_clerk, city_registrar, party_reviewer, division_head
) -> None:
    data = {
        "liquidation_group": "张三、李四、王五",
        "liquidation_ended_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "reason": "完成宗旨",
    }
    item = _organization_journey(
        api, org_account, approval_clerk, city_registrar, division_head, "deregistration", data
    )
    response = _approve_after_party(api, party_reviewer, division_head, item)
    assert response.status_code == 200, response.json()
    org = Organization.objects.get(pk=city.city_org.pk)
    assert org.status == OrgStatus.DEREGISTERED and org.removed_on is not None
    assert org.events.filter(kind=EventKind.DEREGISTERED, reason="liquidation_completed").exists()


def test_branch_establishment_change_and_deregistration(
    api, city, org_account, approval_clerk, city_registrar, party_reviewer, division_head
) -> None:
    data = {
        "branch_kind": "branch",
        "name": "日照市物流协会冷链专业委员会",
        "principal_name": "赵六",
        "domicile": "日照市东港区",
        "business_scope": "冷链物流交流",
    }
    item = _organization_journey(
        api,
        org_account,
        approval_clerk,
        city_registrar,
        division_head,
        "branch_establishment",
        data,
    )
    assert _approve_after_party(api, party_reviewer, division_head, item).status_code == 200
    branch = Branch.objects.get(parent=city.city_org)
    item = _organization_journey(
        api,
        org_account,
        approval_clerk,
        city_registrar,
        division_head,
        "branch_change",
        {"branch": branch.pk, "principal_name": "钱七"},
    )
    assert _approve_after_party(api, party_reviewer, division_head, item).status_code == 200
    branch.refresh_from_db()
    assert branch.principal_name == "钱七"
    item = _organization_journey(
        api,
        org_account,
        approval_clerk,
        city_registrar,
        division_head,
        "branch_deregistration",
        {"branch": branch.pk, "reason": "撤销"},
    )
    assert _approve_after_party(api, party_reviewer, division_head, item).status_code == 200
    branch.refresh_from_db()
    assert branch.status == OrgStatus.DEREGISTERED


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("charter_approval", {"summary": "修改会费标准条款"}),
        (
            "principal_filing",
            {
                "principals": [
                    {"name": "周八", "id_number": "110102197003030033", "post": "秘书长/秘书长"}
                ]
            },
        ),
    ],
)
def test_charter_approval_and_principal_filing_are_decided(
    api,
    city,
    org_account,
    approval_clerk,
    city_registrar,
    party_reviewer,
    division_head,
    kind,
    data,
) -> None:
    if kind == "principal_filing":
        data = {
            "principals": [
                {"name": "周八", "id_number": "110102197003030033", "post": "secretary_general"}
            ]
        }
    item = _organization_journey(
        api, org_account, approval_clerk, city_registrar, division_head, kind, data
    )
    response = _approve_after_party(api, party_reviewer, division_head, item)
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved"


def test_name_reservation_is_checked_and_approved(
    api, city, founder, approval_clerk, city_registrar, party_reviewer, division_head
) -> None:
    applicant = api(founder)
    item = _open(
        applicant, "name_reservation", {"name": "日照市海洋文化研究会", "category": "culture"}
    )
    _upload_all(applicant, item)
    _submit_and_accept(applicant, api(approval_clerk), item)
    opinions = _opinions(api(division_head), item["id"])
    api(city_registrar).fire("opinion", opinions["registration_division"]["id"], "consent")
    response = _approve_after_party(api, party_reviewer, division_head, item)
    assert response.status_code == 200, response.json()


def test_correction_pauses_the_rg3_clock_and_resubmission_resumes_it(
    api, city, founder, approval_clerk, city_registrar, division_head
) -> None:
    applicant = api(founder)
    item = _open(applicant, "establishment", establishment_data())
    _upload_all(applicant, item)
    _submit_and_accept(applicant, api(approval_clerk), item)
    paused = api(city_registrar).fire(
        "application", item["id"], "request_review_correction", "请补充住所证明原件"
    )
    assert paused.status_code == 200, paused.json()
    assert paused.json()["state"] == "review_correction"
    assert paused.json()["deadline"]["paused_on"] is not None
    resumed = applicant.fire("application", item["id"], "resubmit_review")
    assert resumed.status_code == 200, resumed.json()
    assert resumed.json()["deadline"]["paused_on"] is None
    assert resumed.json()["deadline"]["is_open"] is True


def test_checklist_depends_on_kind_and_type() -> None:
    keys = {m.key for m in checklist("establishment", "social_group")}
    assert "members" in keys and "donation_proof" not in keys
    assert "donation_proof" in {m.key for m in checklist("establishment", "foundation")}
    assert "liquidation_report" in {m.key for m in checklist("deregistration", "social_group")}


def test_approved_principal_filing_replaces_the_post_holder_in_the_registry(
    api, city, org_account, approval_clerk, city_registrar, party_reviewer, division_head
) -> None:
    from socorg.registry.models import EventKind, Principal

    data = {
        "principals": [
            {"name": "周八", "id_number": "110102197003030033", "post": "secretary_general"}
        ]
    }
    item = _organization_journey(
        api, org_account, approval_clerk, city_registrar, division_head, "principal_filing", data
    )
    response = _approve_after_party(api, party_reviewer, division_head, item)
    assert response.status_code == 200, response.json()
    current = Principal.objects.filter(
        organization=org_account.organization, post="secretary_general", ends_on__isnull=True
    )
    assert [p.person.name for p in current] == ["周八"]
    assert org_account.organization.events.filter(kind=EventKind.PRINCIPALS_FILED).exists()


def test_credit_code_serials_continue_after_those_in_the_registry(city) -> None:
    """ID-1: a new area's counter starts after the highest serial already given there."""
    f.organization(
        where=city.city,
        uscc=make_uscc(org_type=OrgType.SOCIAL_GROUP, area_code="371100", serial="MJ900123"),
    )
    first = uscc_assign(org_type=OrgType.FOUNDATION, area_code="371100")
    assert first[8:16] == "MJ900124" and first.startswith("53371100")
    assert uscc_assign(org_type=OrgType.SOCIAL_GROUP, area_code="371100")[8:16] == "MJ900125"
    assert Counter.objects.get(key="uscc:371100").value == 900125
