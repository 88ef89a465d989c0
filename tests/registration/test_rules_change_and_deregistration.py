"""Change and deregistration applications: RG-6 (within 30 days of the supervisory unit's
consent), RG-7 (within 15 days after liquidation), and a change of legal representative:
RG-4 (not the legal representative of another social group), TT-4 (an approved vetting of the
new representative) and RG-8 (the departing representative's financial audit)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from socorg.registration.models import Application, ApplicationState
from socorg.registration.rules.applications import (
    change_deadline_problem,
    deregistration_deadline_problem,
    new_legal_representative_problems,
)
from socorg.registration.rules.checklists import DEPARTING_AUDIT
from socorg.registry.models import (
    ManagementMode,
    Organization,
    Person,
    Post,
    Principal,
    PrincipalCandidate,
    PrincipalCandidateReview,
    PrincipalReviewState,
)
from tests import factories as f

D = date(2026, 3, 2)
NEW_REP = ("王五", "371102197005010000")


# --- pure rules ---------------------------------------------------------------------------------


def test_rg6_change_within_the_days_after_the_supervisory_units_consent() -> None:
    def check(consent: date | None, dual: bool = True) -> str | None:
        return change_deadline_problem(
            consent_on=consent, submitted_on=D, within_days=30, dual_management=dual
        )

    assert check(D - timedelta(days=30)) is None
    late = check(D - timedelta(days=31))
    assert late and "业务主管单位审查同意" in late and "30日内" in late and "2026-03-01" in late
    assert "须填写业务主管单位审查同意日期" in (check(None) or "")
    assert "晚于今天" in (check(D + timedelta(days=1)) or "")
    assert check(None, dual=False) is None  # directly registered: no supervisory unit


def test_rg7_deregistration_within_the_days_after_liquidation() -> None:
    def check(ended: date) -> str | None:
        return deregistration_deadline_problem(
            liquidation_ended_on=ended, submitted_on=D, within_days=15
        )

    assert check(D - timedelta(days=15)) is None
    late = check(D - timedelta(days=16))
    assert late and "清算结束" in late and "15日内" in late
    assert "清算结束后方可申请" in (check(D + timedelta(days=1)) or "")


def test_rg8_and_tt4_a_new_legal_representative_needs_vetting_and_the_departing_audit() -> None:
    problems = new_legal_representative_problems(
        name="王五", id_number="X", vetted_id_numbers=set(), audit_report_uploaded=False
    )
    assert any("负责人候选人审核" in p for p in problems)
    assert any("离任财务审计报告" in p for p in problems)
    assert (
        new_legal_representative_problems(
            name="王五", id_number="X", vetted_id_numbers={"X"}, audit_report_uploaded=True
        )
        == []
    )


# --- through the API ----------------------------------------------------------------------------


def _open(api: Any, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/applications", {"kind": kind, "data": data})
    assert response.status_code == 200, response.json()
    return response.json()


def _upload(api: Any, item: dict[str, Any], *, skip: tuple[str, ...] = ()) -> None:
    for material in item["materials"]:
        if material["key"] not in skip and (
            material["required"] or material["key"] == DEPARTING_AUDIT.key
        ):
            assert api.upload(item["id"], material["key"]).status_code == 200


def _submit(api: Any, item: dict[str, Any]) -> Any:
    return api.fire("application", item["id"], "submit", expected_state="draft")


def _refused_and_unchanged(response: Any, item: dict[str, Any], text: str) -> None:
    assert response.status_code == 422, response.json()
    assert text in str(response.json())
    assert Application.objects.get(pk=item["id"]).state == ApplicationState.DRAFT


def _vet(org: Organization, by: Any, name: str, id_number: str) -> None:
    """An approved vetting (TT-4) of ``name`` as the organization's legal representative."""
    review = PrincipalCandidateReview.objects.create(
        organization=org,
        submitted_by=by,
        election_on=timezone.localdate(),
        state=PrincipalReviewState.APPROVED,
    )
    person = Person.objects.create(name=name, id_number=id_number)
    PrincipalCandidate.objects.create(
        review=review, person=person, post=Post.CHAIR, is_legal_representative=True
    )


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_rg6_a_late_change_of_a_dual_managed_organization_cannot_be_submitted(
    api, city, org_account
) -> None:
    Organization.objects.filter(pk=city.city_org.pk).update(
        management_mode=ManagementMode.DUAL_MANAGEMENT, supervisory_unit=city.edu
    )
    consent = timezone.localdate() - timedelta(days=40)
    applicant = api(org_account)
    item = _open(
        applicant,
        "change",
        {
            "domicile": "日照市东港区港口路8号",
            "reason": "迁址",
            "supervisory_consent_on": str(consent),
        },
    )
    _upload(applicant, item)
    _refused_and_unchanged(_submit(applicant, item), item, "业务主管单位审查同意")


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_rg7_a_late_deregistration_cannot_be_submitted(api, city, org_account) -> None:
    ended = timezone.localdate() - timedelta(days=16)
    applicant = api(org_account)
    data = {"liquidation_group": "张三、李四", "liquidation_ended_on": str(ended), "reason": "解散"}
    item = _open(applicant, "deregistration", data)
    _upload(applicant, item)
    _refused_and_unchanged(_submit(applicant, item), item, "清算结束")


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_rg8_and_tt4_a_new_legal_representative_without_vetting_or_audit_is_refused(
    api, city, org_account
) -> None:
    applicant = api(org_account)
    data = {
        "legal_representative": NEW_REP[0],
        "legal_representative_id": NEW_REP[1],
        "reason": "换届选举",
    }
    item = _open(applicant, "change", data)
    _upload(applicant, item, skip=(DEPARTING_AUDIT.key,))
    response = _submit(applicant, item)
    _refused_and_unchanged(response, item, "负责人候选人审核")
    assert "离任财务审计报告" in str(response.json())

    _vet(city.city_org, org_account, *NEW_REP)
    assert applicant.upload(item["id"], DEPARTING_AUDIT.key).status_code == 200
    assert _submit(applicant, item).status_code == 200


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_rg4_the_new_legal_representative_of_another_social_group_is_refused(
    api, city, org_account
) -> None:
    other = f.organization(where=city.city, name="日照市摄影家协会")
    _vet(city.city_org, org_account, *NEW_REP)
    Principal.objects.create(
        organization=other,
        person=Person.objects.get(id_number=NEW_REP[1]),
        post=Post.CHAIR,
        is_legal_representative=True,
        starts_on=date(2020, 1, 1),
    )
    applicant = api(org_account)
    data = {
        "legal_representative": NEW_REP[0],
        "legal_representative_id": NEW_REP[1],
        "reason": "选举",
    }
    item = _open(applicant, "change", data)
    _upload(applicant, item)
    _refused_and_unchanged(_submit(applicant, item), item, "日照市摄影家协会")


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_a_change_of_legal_representative_needs_a_valid_identity_number(
    api, city, org_account
) -> None:
    response = api(org_account).post(
        "/applications",
        {"kind": "change", "data": {"legal_representative": "王五", "reason": "选举"}},
    )
    item = response.json()
    applicant = api(org_account)
    _upload(applicant, item)
    _refused_and_unchanged(_submit(applicant, item), item, "身份证号码")
