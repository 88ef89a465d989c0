"""Enforcement cases and penalties (PN-*): the journey to a revocation (the organization is
revoked with a public event, its principals land on the restricted-persons list, a later vetting
refuses them), the refusal of a decision before the statement period has run (PN-1), a stale
click, and the documents as real PDFs naming the organization and their numbers."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socorg.core import workflow
from socorg.core.attachments import attachment_open, attachments_of
from socorg.core.models import Role, Transition
from socorg.registration.services.principals import CandidateInput, principal_review_submit
from socorg.registry.models import (
    EventKind,
    EventReason,
    OrganizationEvent,
    OrgStatus,
    Person,
    Post,
    Principal,
    RestrictedPerson,
)
from socorg.supervision.access import CASE_OWNER
from socorg.supervision.models import Case, CaseSource, CaseState
from socorg.supervision.processes import CASE
from socorg.supervision.services import cases as services
from tests import factories as f
from tests.registration.principals.conftest import id_number

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def officer(city):
    return f.user(
        "officer", Role.ENFORCEMENT_OFFICER, jurisdiction=city.city, department=city.civil_affairs
    )


@pytest.fixture
def chair(city):
    """The 物流协会's legal representative, in office."""
    person = Person.objects.create(name="孙会长", id_number=id_number(date(1968, 4, 2)))
    Principal.objects.create(
        organization=city.city_org,
        person=person,
        post=Post.CHAIR,
        is_legal_representative=True,
        starts_on=date(2021, 1, 1),
    )
    return person


def fire(case, action, actor, comment=""):
    return workflow.fire(
        process=CASE,
        key=case.pk,
        action=action,
        actor=actor,
        comment=comment,
        expected_state=Case.objects.get(pk=case.pk).state,
    )


def noticed_case(city, officer, penalty="revocation", **extra) -> Case:
    case = services.case_open(
        actor=officer,
        organization_id=city.city_org.pk,
        source=CaseSource.REFERRAL,
        facts="连续两年未开展业务活动，以虚假材料报送年度工作报告。",
    )
    fire(case, "investigate", officer)
    upload = SimpleUploadedFile("询问笔录.pdf", PDF, content_type="application/pdf")
    services.case_evidence_add(actor=officer, case=case, upload=upload)
    services.case_penalty_set(
        actor=officer,
        case=case,
        data=services.PenaltyInput(
            penalty=penalty, legal_basis="《社会团体登记管理条例》第三十条", **extra
        ),
    )
    fire(case, "notify", officer)
    return Case.objects.get(pk=case.pk)


def period_ran(case: Case) -> None:
    """The statement and hearing periods have run (they ended yesterday)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(statement_due_on=yesterday, hearing_due_on=yesterday)


def test_pn1_decision_before_the_statement_deadline_is_refused_and_writes_nothing(
    rule_defaults, city, officer, division_head
) -> None:
    case = noticed_case(city, officer, penalty="fine", fine_amount=Decimal("60000"))
    assert case.statement_due_on > timezone.localdate()
    before = Transition.objects.count()
    with pytest.raises(workflow.ActionRefused, match="陈述申辩期限至.*届满"):
        fire(case, "decide", division_head)
    case.refresh_from_db()
    assert (case.state, case.decision_number, Transition.objects.count()) == (
        CaseState.NOTICED,
        "",
        before,
    )
    # A statement received and answered lets the decision come before the period has run.
    services.case_statement_record(
        actor=officer,
        case=case,
        received_on=timezone.localdate(),
        statement="已于本月恢复活动。",
        answer="所述情况与调查事实不符，不予采纳。",
    )
    assert fire(case, "decide", division_head).state == CaseState.DECIDED


def test_pn1_a_statement_not_yet_answered_blocks_the_decision(
    rule_defaults, city, officer, division_head
) -> None:
    case = noticed_case(city, officer, penalty="warning")
    services.case_statement_record(
        actor=officer, case=case, received_on=timezone.localdate(), statement="情况属实，已整改。"
    )
    period_ran(case)
    with pytest.raises(workflow.ActionRefused, match="请先填写复核意见"):
        fire(case, "decide", division_head)


def test_pn_a_stale_click_is_refused(rule_defaults, city, officer, division_head) -> None:
    case = noticed_case(city, officer, penalty="warning")
    period_ran(case)
    fire(case, "decide", division_head)
    with pytest.raises(workflow.StaleState, match="已被他人处理"):
        workflow.fire(
            process=CASE,
            key=case.pk,
            action="decide",
            actor=division_head,
            expected_state=CaseState.NOTICED,
        )


def test_pn_case_journey_to_revocation_and_the_principal_refused_in_vetting(
    rule_defaults, city, officer, division_head, chair, client
) -> None:
    org = city.city_org
    case = noticed_case(city, officer)
    assert case.notice_number.startswith("日民罚告〔")
    period_ran(case)
    fire(case, "decide", division_head)
    case.refresh_from_db()
    org.refresh_from_db()
    assert case.decision_number == f"日民罚〔{timezone.localdate().year}〕1号"
    assert (org.status, org.removed_on) == (OrgStatus.REVOKED, timezone.localdate())
    event = OrganizationEvent.objects.get(organization=org, kind=EventKind.REVOKED)
    assert (event.reason, event.is_public) == (EventReason.PENALTY, True)
    assert event.details["decision_number"] == case.decision_number
    restriction = RestrictedPerson.objects.get(person=chair)
    assert restriction.was_legal_representative and restriction.organization == org
    for action in ("serve",):
        fire(case, action, officer)
    fire(case, "execute", officer, "已收缴登记证书和印章。")
    assert fire(case, "close", officer).state == CaseState.CLOSED

    # The revocation is public on the organization's profile.
    client.force_login(officer)
    page = client.get(reverse("registry:organization_detail", kwargs={"key": org.uscc}))
    text = page.content.decode()
    assert page.status_code == 200 and "撤销登记" in text and case.decision_number in text

    # A later vetting elsewhere refuses the revoked organization's legal representative.
    registrar = f.user("vet_registrar", Role.REGISTRAR, jurisdiction=city.city)
    review = principal_review_submit(
        actor=registrar,
        organization=city.edu_org,
        election_on=timezone.localdate() + timedelta(days=30),
        candidates=[
            CandidateInput("孙会长", chair.id_number, "chair", is_legal_representative=True),
        ],
    )
    assert review.has_blocking
    finding = review.candidates.get().findings[0]
    assert finding["rule_id"] == "PN-3" and finding["severity"] == "blocking"
    assert org.name in finding["message"] and case.decision_number in finding["message"]


def test_pn_documents_are_pdfs_naming_the_organization_and_their_number(
    rule_defaults, city, officer, division_head
) -> None:
    case = noticed_case(city, officer, penalty="fine", fine_amount=Decimal("60000"))
    services.case_rectification_notice(
        actor=officer,
        case=case,
        requirements="限期补报2024、2025年度工作报告。",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    period_ran(case)
    fire(case, "decide", division_head)
    case.refresh_from_db()
    documents = [
        a
        for a in attachments_of(owner_type=CASE_OWNER, owner_id=case.pk)
        if "书" in a.original_name
    ]
    assert len(documents) == 3
    pdftotext = shutil.which("pdftotext")
    for attachment in documents:
        _row, handle = attachment_open(user=officer, pk=attachment.pk)
        data = handle.read()
        assert data.startswith(b"%PDF-")
        if pdftotext:
            text = subprocess.run(
                [pdftotext, "-", "-"], input=data, capture_output=True, check=True
            ).stdout.decode()
            assert city.city_org.name in text
            number = attachment.original_name.split("书", 1)[1].removesuffix(".pdf")
            assert number in text.replace(" ", "")
    assert any(case.decision_number in a.original_name for a in documents)


def test_pn_evidence_of_a_wrong_type_is_refused(rule_defaults, city, officer) -> None:
    case = services.case_open(
        actor=officer, organization_id=city.city_org.pk, source=CaseSource.SWEEP, facts="未年报"
    )
    upload = SimpleUploadedFile("脚本.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.case_evidence_add(actor=officer, case=case, upload=upload)
    assert attachments_of(owner_type=CASE_OWNER, owner_id=case.pk) == []


def test_pn_pages_list_case_and_profile_tab(rule_defaults, city, officer, division_head) -> None:
    case = noticed_case(city, officer, penalty="warning")
    client = f.login(Client(), officer)
    listing = client.get(reverse("supervision:case_list"))
    assert listing.status_code == 200 and case.number in listing.content.decode()
    page = client.get(reverse("supervision:case_detail", kwargs={"pk": case.pk}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "办理" in text and case.notice_number in text and "陈述申辩期限" in text
    profile = client.get(
        reverse("registry:organization_detail", kwargs={"key": city.city_org.uscc})
    )
    assert case.number in profile.content.decode()
    # The division head's refused decision shows its reason in the 办理 panel; nothing moves.
    head = f.login(Client(), division_head)
    refused = head.post(
        reverse("supervision:case_transition", kwargs={"pk": case.pk}),
        {"action": "decide", "expected_state": "noticed", "comment": ""},
    )
    assert refused.status_code == 200 and "陈述申辩期限至" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.NOTICED


def test_pn_api_item_and_transitions(rule_defaults, city, officer, division_head, api) -> None:
    case = noticed_case(city, officer, penalty="warning")
    body = api(officer).get(f"/case/{case.pk}").json()
    assert body["number"] == case.number and body["notice_number"] == case.notice_number
    refused = api(division_head).post(
        f"/case/{case.pk}/transitions", {"action": "decide", "expected_state": "noticed"}
    )
    assert refused.status_code == 422
    assert "陈述申辩期限至" in refused.json()["errors"]["__all__"][0]
    period_ran(case)
    moved = api(division_head).post(
        f"/case/{case.pk}/transitions", {"action": "decide", "expected_state": "noticed"}
    )
    assert moved.status_code == 200 and moved.json()["state"] == "decided"


def decided(org, penalty, on, n, amount=None) -> Case:
    return Case.objects.create(
        number=f"案-{org.pk}-{n}",
        organization=org,
        source=CaseSource.REFERRAL,
        facts="违法事实",
        opened_on=on,
        state=CaseState.CLOSED,
        penalty=penalty,
        fine_amount=amount,
        decided_on=on,
        decision_number=f"日民罚〔{on.year}〕{n}号",
    )


def test_cr4_penalties_feed_the_serious_list_grounds_with_the_decisions_as_evidence(
    rule_defaults, city
) -> None:
    from socorg.supervision.models import CreditList, CreditListing, ListingGround
    from socorg.supervision.services.sweep import sweep_run

    as_of = date(2026, 9, 28)
    big, two, one, old, small = (
        f.organization(where=city.city, name=f"日照市处罚测试协会{i}") for i in range(5)
    )
    large = decided(big, "fine", date(2026, 5, 6), 1, Decimal("50000"))
    w1 = decided(two, "warning", date(2024, 1, 10), 2)
    w2 = decided(two, "fine", date(2026, 2, 3), 3, Decimal("2000"))
    decided(one, "warning", date(2026, 2, 3), 4)
    decided(old, "warning", date(2022, 1, 10), 5)  # outside the 3-year window
    decided(old, "warning", date(2026, 2, 3), 6)
    decided(small, "fine", date(2026, 5, 6), 7, Decimal("49999.99"))
    sweep_run(as_of=as_of)
    grounds = (ListingGround.LARGE_FINE, ListingGround.REPEATED_PENALTIES)
    noticed = {
        (row.organization_id, row.ground): row
        for row in CreditListing.objects.filter(ground__in=grounds)
    }
    assert set(noticed) == {
        (big.pk, ListingGround.LARGE_FINE),
        (two.pk, ListingGround.REPEATED_PENALTIES),
    }
    fine = noticed[(big.pk, ListingGround.LARGE_FINE)]
    assert (fine.list, fine.rule_id) == (CreditList.SERIOUS, "CR-4")
    assert [d["decision_number"] for d in fine.evidence["decisions"]] == [large.decision_number]
    repeated = noticed[(two.pk, ListingGround.REPEATED_PENALTIES)]
    assert [d["case"] for d in repeated.evidence["decisions"]] == [w1.pk, w2.pk]
    # A second run lists nothing anew.
    before = CreditListing.objects.count()
    sweep_run(as_of=as_of)
    assert CreditListing.objects.count() == before


def test_do2_a_case_opened_from_a_cleanup_candidate_revokes_through_the_candidate(
    rule_defaults, city, officer, division_head, chair
) -> None:
    from socorg.supervision.models import CandidateState, CleanupCampaign, DormantCandidate

    campaign = CleanupCampaign.objects.create(
        name="僵尸型社会组织专项整治", jurisdiction=city.city, started_on=date(2026, 3, 1)
    )
    candidate = DormantCandidate.objects.create(
        campaign=campaign,
        organization=city.city_org,
        criteria=["missed_reports"],
        state=CandidateState.REVOCATION,
    )
    case = services.case_open_from_candidate(actor=officer, candidate_id=candidate.pk)
    assert (case.source, case.source_type, case.source_id) == (
        CaseSource.CAMPAIGN,
        "supervision.dormant_candidate",
        str(candidate.pk),
    )
    with pytest.raises(ValidationError, match="已立案"):
        services.case_open_from_candidate(actor=officer, candidate_id=candidate.pk)
    fire(case, "investigate", officer)
    services.case_penalty_set(
        actor=officer,
        case=case,
        data=services.PenaltyInput(penalty="revocation", legal_basis="《社会团体登记管理条例》"),
    )
    fire(case, "notify", officer)
    period_ran(case)
    fire(case, "decide", division_head)
    case.refresh_from_db()
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.REVOKED
    assert candidate.decision_document == case.decision_number
    event = OrganizationEvent.objects.get(organization=city.city_org, kind=EventKind.REVOKED)
    assert event.reason == EventReason.DORMANT_CLEANUP
    assert RestrictedPerson.objects.filter(person=chair, reason=EventReason.DORMANT_CLEANUP)


def test_pn_joint_enforcement_departments_are_recorded_on_the_case(
    rule_defaults, city, officer
) -> None:
    case = services.case_open(
        actor=officer, organization_id=city.city_org.pk, source=CaseSource.SWEEP, facts="未年报"
    )
    client = f.login(Client(), officer)
    response = client.post(
        reverse("supervision:case_departments", kwargs={"pk": case.pk}),
        {"departments": [city.edu.pk]},
    )
    assert response.status_code == 302
    assert [d.name for d in case.joint_departments.all()] == [city.edu.name]
    body = client.get(f"/api/v1/case/{case.pk}").json()
    assert body["joint_departments"] == [city.edu.name]
