"""What follows a finding or a complaint: an inspection finding with issues gets one numbered
rectification notice the organization can download (RI-6 results feed enforcement); a finding or
a verified complaint opens a case once, linked both ways; a department returns a complaint that
is not its responsibility and the handler routes it again, by hand where the map would send it
back."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socorg.core import workflow
from socorg.core.attachments import attachment_open, attachments_of
from socorg.core.models import AuditLog, Deadline, Notice, Role, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.supervision import access
from socorg.supervision.models import (
    Case,
    CaseSource,
    Complaint,
    ComplaintState,
    FindingResult,
    InspectionFinding,
    PlanAssignment,
)
from socorg.supervision.services import cases as case_services
from socorg.supervision.services import complaints as complaint_services
from socorg.supervision.services import inspections as services
from tests import factories as f
from tests.supervision.conftest import Api
from tests.supervision.inspection_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(city) -> User:
    return f.user(
        "officer", Role.ENFORCEMENT_OFFICER, jurisdiction=city.city, department=city.civil_affairs
    )


def _finding(plan, division_head, result: str, description: str = "未按规定建立财务台账"):
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    services.plan_draw(actor=division_head, plan_id=plan.pk)
    assignment = PlanAssignment.objects.select_related("inspector__user", "subject").first()
    matter = plan.matter_list.matters.get(code="finances")
    return services.finding_record(
        actor=assignment.inspector.user,
        subject_id=assignment.subject_id,
        matter_id=matter.pk,
        result=result,
        description=description,
    )


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- inspection findings ------------------------------------------------------------------------


def test_ri6_a_finding_with_issues_gets_one_numbered_rectification_notice_the_organization_reads(
    plan, city, division_head, officer, django_capture_on_commit_callbacks
) -> None:
    finding = _finding(plan, division_head, FindingResult.ISSUES)
    org = finding.subject.organization
    account = f.user("org_account", Role.ORGANIZATION, organization=org)
    due = timezone.localdate() + timedelta(days=30)

    with pytest.raises(ValidationError) as refused:
        services.finding_rectification_notice(
            actor=officer, finding_id=finding.pk, requirements="  ", due_on=due
        )
    assert "请填写整改要求" in str(refused.value)
    with pytest.raises(ValidationError):
        services.finding_rectification_notice(
            actor=officer,
            finding_id=finding.pk,
            requirements="建立财务台账",
            due_on=timezone.localdate(),
        )
    assert attachments_of(owner_type=access.FINDING_OWNER, owner_id=finding.pk) == []

    with django_capture_on_commit_callbacks(execute=True):
        services.finding_rectification_notice(
            actor=officer,
            finding_id=finding.pk,
            requirements="于期限内建立财务台账并报送整改报告。",
            due_on=due,
        )
    finding.refresh_from_db()
    assert finding.rectification_number and finding.rectification_due_on == due
    (notice,) = attachments_of(owner_type=access.FINDING_OWNER, owner_id=finding.pk)
    assert finding.rectification_number in notice.original_name
    assert AuditLog.objects.filter(action="inspection.rectification_notice").count() == 1
    told = Notice.objects.get(recipient=account, title__contains=finding.rectification_number)
    assert told.link == reverse("attachment_download", args=[notice.pk])

    # The organization downloads its own notice; a stranger organization cannot.
    _row, handle = attachment_open(user=account, pk=notice.pk)
    data = handle.read()
    assert data.startswith(b"%PDF-")
    if pdftotext := shutil.which("pdftotext"):
        text = subprocess.run(
            [pdftotext, "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        assert org.name in text and "财务管理" in text
    stranger_org = f.make_orgs(city.city, 1)[0]
    stranger = f.user("stranger_org", Role.ORGANIZATION, organization=stranger_org)
    assert _logged_in(stranger).get(f"/attachments/{notice.pk}/").status_code == 404

    # A second notice on the same finding is refused, not numbered twice.
    with pytest.raises(workflow.StaleState):
        services.finding_rectification_notice(
            actor=officer, finding_id=finding.pk, requirements="再次整改", due_on=due
        )
    assert len(attachments_of(owner_type=access.FINDING_OWNER, owner_id=finding.pk)) == 1


def test_ri6_a_compliant_finding_leads_to_neither_a_notice_nor_a_case(
    plan, division_head, officer
) -> None:
    finding = _finding(plan, division_head, FindingResult.COMPLIANT, description="")
    with pytest.raises(ValidationError) as refused:
        services.finding_rectification_notice(
            actor=officer,
            finding_id=finding.pk,
            requirements="整改",
            due_on=timezone.localdate() + timedelta(days=10),
        )
    assert "无需责令整改" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        case_services.case_open_from_finding(actor=officer, finding_id=finding.pk)
    assert "不能据此立案" in str(refused.value)
    assert not Case.objects.exists()
    assert InspectionFinding.objects.get().rectification_number == ""


def test_ri6_a_serious_finding_opens_one_case_from_the_subject_page_linked_both_ways(
    plan, division_head, officer
) -> None:
    finding = _finding(plan, division_head, FindingResult.SERIOUS, "以营利为目的开展培训活动")
    client = _logged_in(officer)
    page = client.get(reverse("supervision:inspection_subject", args=[finding.subject_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "以营利为目的开展培训活动" in html
    assert reverse("supervision:case_from_finding", args=[finding.pk]) in html

    opened = client.post(reverse("supervision:case_from_finding", args=[finding.pk]))
    case = Case.objects.get()
    assert opened.url == reverse("supervision:case_detail", args=[case.pk])
    assert case.source == CaseSource.INSPECTION
    assert case.organization_id == finding.subject.organization_id
    assert "财务管理" in case.facts and "以营利为目的" in case.facts
    case_page = client.get(opened.url).content.decode()
    assert reverse("supervision:inspection_finding_detail", args=[finding.pk]) in case_page
    back = client.get(reverse("supervision:inspection_finding_detail", args=[finding.pk]))
    assert 'aria-current="true"' in back.content.decode()
    assert case.number in back.content.decode()

    again = client.post(reverse("supervision:case_from_finding", args=[finding.pk]), follow=True)
    assert "请勿重复立案" in again.content.decode()
    assert Case.objects.count() == 1


def test_ri6_follow_ups_are_for_enforcement_officers_in_scope(
    plan, city, division_head, inspectors
) -> None:
    finding = _finding(plan, division_head, FindingResult.SERIOUS)
    inspector = inspectors[0]
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied: not an enforcement role
        case_services.case_open_from_finding(actor=inspector, finding_id=finding.pk)
    county = f.user("county_officer", Role.ENFORCEMENT_OFFICER, jurisdiction=city.donggang)
    with pytest.raises(Exception):  # noqa: B017 - Http404: outside the county's scope
        case_services.case_open_from_finding(actor=county, finding_id=finding.pk)
    assert not Case.objects.exists()


# --- complaints ---------------------------------------------------------------------------------


@pytest.fixture
def routed(city, officer, edu_liaison) -> Complaint:
    load_rule_defaults()
    complaint = complaint_services.complaint_intake(
        actor=officer,
        data=complaint_services.ComplaintInput(
            organization=city.edu_org.uscc,
            subject="违规收费",
            content="以培训名义收费。",
            name="张三",
            phone="13800000000",
            source="hotline_12345",
        ),
    )
    staff = Api(officer)
    staff.post(f"/complaint/{complaint.pk}/transitions", {"action": "triage"})
    staff.post(f"/complaint/{complaint.pk}/transitions", {"action": "route"})
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.ROUTED and complaint.department == city.edu
    return complaint


def test_cp_a_department_returns_a_complaint_with_its_reason_and_loses_sight_of_the_complainant(
    city, officer, edu_liaison, routed, django_capture_on_commit_callbacks
) -> None:
    liaison = Api(edu_liaison)
    refused = liaison.post(f"/complaint/{routed.pk}/transitions", {"action": "return"})
    assert refused.status_code == 422
    assert Complaint.objects.get().state == ComplaintState.ROUTED
    assert access.may_read_identity(edu_liaison, routed)

    with django_capture_on_commit_callbacks(execute=True):
        done = liaison.post(
            f"/complaint/{routed.pk}/transitions",
            {"action": "return", "comment": "该学会业务属科技领域，不属本局职责。"},
        )
    assert done.status_code == 200, done.content
    complaint = Complaint.objects.get()
    assert complaint.state == ComplaintState.TRIAGED
    assert complaint.department is None and complaint.returned_by == city.edu
    assert not access.may_read_identity(edu_liaison, complaint)
    assert Notice.objects.filter(recipient=officer, title__contains="退回").exists()
    deadline = Deadline.objects.get(process="complaint", object_id=str(complaint.pk))
    assert deadline.closed_at is not None

    # The map would send it straight back: refused, with the way out.
    again = Api(officer).post(f"/complaint/{complaint.pk}/transitions", {"action": "route"})
    assert again.status_code == 422
    assert "已退回此件" in again.json()["errors"]["__all__"][0]
    assert Complaint.objects.get().state == ComplaintState.TRIAGED


def test_cp_the_handler_routes_by_hand_with_a_reason_and_the_choice_is_audited(
    city, officer, edu_liaison, routed
) -> None:
    Api(edu_liaison).post(
        f"/complaint/{routed.pk}/transitions",
        {"action": "return", "comment": "不属本局职责。"},
    )
    science = f.department("SCI", "日照市科学技术局", "government", city.city)
    client = _logged_in(officer)
    url = reverse("supervision:complaint_transition", args=[routed.pk])
    page = client.get(reverse("supervision:complaint_detail", args=[routed.pk])).content.decode()
    assert "日照市教育局 已退回此件" in page and 'name="department"' in page

    # Without a reason: refused inline, nothing moves.
    refused = client.post(
        url, {"action": "route", "expected_state": "triaged", "department": str(science.pk)}
    )
    assert refused.status_code == 200
    assert "请在意见中写明改派理由" in refused.content.decode()
    assert Complaint.objects.get().state == ComplaintState.TRIAGED
    # The returning department chosen by hand is refused too.
    client.post(
        url,
        {
            "action": "route",
            "expected_state": "triaged",
            "department": str(city.edu.pk),
            "comment": "再转一次",
        },
    )
    assert Complaint.objects.get().state == ComplaintState.TRIAGED

    client.post(
        url,
        {
            "action": "route",
            "expected_state": "triaged",
            "department": str(science.pk),
            "comment": "涉及科普活动，改派科技局核查。",
        },
    )
    complaint = Complaint.objects.get()
    assert complaint.state == ComplaintState.ROUTED
    assert complaint.department == science and complaint.routed_by_hand
    log = AuditLog.objects.get(action="complaint.route_by_hand")
    assert log.after == {"department": science.pk}
    sci_liaison = f.user("sci_liaison", Role.DEPARTMENT_LIAISON, department=science)
    assert access.may_read_identity(sci_liaison, complaint)
    assert not access.may_read_identity(edu_liaison, complaint)


def test_cp_the_bureau_can_take_a_complaint_back_to_verify_itself(
    city, officer, edu_liaison, routed
) -> None:
    Api(edu_liaison).post(
        f"/complaint/{routed.pk}/transitions", {"action": "return", "comment": "不属本局职责。"}
    )
    complaint_services.complaint_route(
        actor=officer,
        complaint_id=routed.pk,
        choice=complaint_services.BUREAU_ITSELF,
        comment="由登记管理机关自行核查。",
        expected_state="triaged",
    )
    complaint = Complaint.objects.get()
    assert complaint.state == ComplaintState.ROUTED and complaint.department is None
    confirmed = Api(officer).post(
        f"/complaint/{routed.pk}/transitions",
        {"action": "confirm", "comment": "经查属实。"},
    )
    assert confirmed.status_code == 200, confirmed.content


def test_cp_a_verified_complaint_opens_one_case_and_an_unverified_one_cannot(
    city, officer, edu_liaison, routed
) -> None:
    liaison = Api(edu_liaison)
    with pytest.raises(ValidationError) as refused:
        case_services.case_open_from_complaint(actor=officer, complaint_id=routed.pk)
    assert "只有核查属实" in str(refused.value)
    liaison.post(
        f"/complaint/{routed.pk}/transitions",
        {"action": "confirm", "comment": "经查，确有收费未开票据情况。"},
    )
    client = _logged_in(officer)
    page = client.get(reverse("supervision:complaint_detail", args=[routed.pk])).content.decode()
    assert reverse("supervision:case_from_complaint", args=[routed.pk]) in page
    opened = client.post(reverse("supervision:case_from_complaint", args=[routed.pk]))
    case = Case.objects.get()
    assert opened.url == reverse("supervision:case_detail", args=[case.pk])
    assert case.source == CaseSource.COMPLAINT and case.organization == city.edu_org
    assert "确有收费未开票据" in case.facts
    assert "张三" not in case.facts and "13800000000" not in case.facts
    assert (
        reverse("supervision:complaint_detail", args=[routed.pk])
        in client.get(opened.url).content.decode()
    )
    assert (
        case.number
        in client.get(reverse("supervision:complaint_detail", args=[routed.pk])).content.decode()
    )
    with pytest.raises(ValidationError):
        case_services.case_open_from_complaint(actor=officer, complaint_id=routed.pk)
    assert Case.objects.count() == 1


def test_ri6_results_are_published_to_anyone_without_the_inspectors(
    plan, division_head, officer
) -> None:
    finding = _finding(plan, division_head, FindingResult.ISSUES)
    services.finding_rectification_notice(
        actor=officer,
        finding_id=finding.pk,
        requirements="建立财务台账。",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    finding.refresh_from_db()
    response = Client().get(f"/api/v1/inspection-plans/{plan.pk}/results")
    assert response.status_code == 200
    (row,) = response.json()
    assert row["uscc"] == finding.subject.uscc
    assert row["matter"] == "财务管理" and row["result"] == "issues"
    assert row["description"] == "未按规定建立财务台账"
    assert row["rectification_number"] == finding.rectification_number
    inspector = finding.recorded_by
    assert inspector.full_name not in response.content.decode()
    assert set(row) == {
        "uscc",
        "organization",
        "matter",
        "result",
        "result_label",
        "description",
        "recorded_on",
        "rectification_number",
    }
    assert Client().get("/api/v1/inspection-plans/999999/results").status_code == 404


def test_ri6_a_committed_plan_publishes_no_results_yet(plan, division_head) -> None:
    services.plan_commit(actor=division_head, plan_id=plan.pk)
    assert Client().get(f"/api/v1/inspection-plans/{plan.pk}/results").json() == []
