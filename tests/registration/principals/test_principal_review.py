"""Principal candidate review (TT-4): submit → both opinions → approved; findings stored; each
reviewer acts only on organizations of their own department."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from socorg.core import workflow
from socorg.core.models import AuditLog
from socorg.registration.processes import PRINCIPAL_REVIEW
from socorg.registration.services.principals import CandidateInput, principal_review_submit
from socorg.registry.models import PrincipalCandidateReview, PrincipalReviewState
from tests.registration.principals.conftest import born_years_ago, id_number

pytestmark = pytest.mark.django_db

ELECTION = date.today() + timedelta(days=30)


def slate(*extra: CandidateInput) -> list[CandidateInput]:
    return [
        CandidateInput("李新", id_number(date(1970, 5, 1)), "chair", is_legal_representative=True),
        CandidateInput("赵秘书", id_number(date(1985, 9, 9)), "secretary_general", is_paid=True),
        *extra,
    ]


def submit(actor, city, candidates=None) -> PrincipalCandidateReview:
    return principal_review_submit(
        actor=actor,
        organization=city.edu_org,
        election_on=ELECTION,
        candidates=candidates or slate(),
    )


def fire(review, action, actor, comment=""):
    return workflow.fire(
        process=PRINCIPAL_REVIEW,
        key=review.pk,
        action=action,
        actor=actor,
        comment=comment,
        expected_state=PrincipalCandidateReview.objects.get(pk=review.pk).state,
    )


def test_tt4_both_opinions_approve_the_slate(
    city, edu_account, party_reviewer, edu_reviewer
) -> None:
    review = submit(edu_account, city)
    assert review.state == PrincipalReviewState.SUBMITTED and not review.has_blocking
    assert AuditLog.objects.filter(action="principal_candidate_review.submit").count() == 1
    fire(review, "unit_agree", edu_reviewer)
    assert fire(review, "party_agree_final", party_reviewer).state == PrincipalReviewState.APPROVED


def test_tt4_opinions_in_the_other_order(
    city, city_registrar, party_reviewer, edu_reviewer
) -> None:
    review = submit(city_registrar, city)
    fire(review, "party_agree", party_reviewer)
    assert fire(review, "unit_agree_final", edu_reviewer).state == PrincipalReviewState.APPROVED


def test_tt4_a_refusal_needs_reasons_and_ends_the_review(city, edu_account, party_reviewer) -> None:
    review = submit(edu_account, city)
    with pytest.raises(workflow.ActionRefused):
        fire(review, "party_refuse", party_reviewer)
    fire(review, "party_refuse", party_reviewer, "候选人群众基础不足")
    assert PrincipalCandidateReview.objects.get(pk=review.pk).state == PrincipalReviewState.REFUSED


def test_tt2_candidate_over_age_is_a_blocking_finding_and_cannot_be_agreed(
    city, edu_account, edu_reviewer, client
) -> None:
    old = CandidateInput("钱老", id_number(born_years_ago(71, days=-1)), "vice_chair")
    review = submit(edu_account, city, slate(old))
    assert review.has_blocking
    candidate = review.candidates.get(person__name="钱老")
    assert candidate.severity == "blocking" and candidate.findings[0]["rule_id"] == "TT-2"
    with pytest.raises(workflow.ActionRefused):
        fire(review, "unit_agree", edu_reviewer)
    client.force_login(edu_reviewer)
    page = client.get(
        reverse("registration:principal_review_detail", args=[review.pk])
    ).content.decode()
    assert "不符合条件" in page and "超过70周岁" in page and "TT-2" not in page


def test_tt2_seventy_years_old_today_is_not_blocking(city, edu_account) -> None:
    born = born_years_ago(70) + timedelta(days=30)  # turns 70 on the election day
    review = submit(
        edu_account, city, slate(CandidateInput("孙七十", id_number(born), "vice_chair"))
    )
    assert not review.has_blocking


def test_tt4_reviewer_of_another_party_body_sees_nothing(
    city, edu_account, other_party_reviewer, client
) -> None:
    review = submit(edu_account, city)
    with pytest.raises(Http404):
        fire(review, "party_agree", other_party_reviewer)
    client.force_login(other_party_reviewer)
    assert (
        client.get(reverse("registration:principal_review_detail", args=[review.pk])).status_code
        == 404
    )


def test_tt4_department_liaison_of_a_regulator_is_not_the_supervisory_unit(
    city, edu_account, edu_liaison
) -> None:
    review = submit(edu_account, city)
    fire(review, "unit_agree", edu_liaison)  # 教育局 is the supervisory unit: allowed
    with pytest.raises(PermissionDenied):
        fire(review, "party_agree_final", edu_liaison)


def test_tt4_supervisory_unit_of_another_organization_is_refused(city, edu_reviewer) -> None:
    from socorg.core.models import Role
    from tests import factories as f

    account = f.user("logistics", Role.ORGANIZATION, organization=city.city_org)
    review = principal_review_submit(
        actor=account, organization=city.city_org, election_on=ELECTION, candidates=slate()
    )
    with pytest.raises(Http404):
        fire(review, "unit_agree", edu_reviewer)


def test_tt4_invalid_slate_is_refused_and_nothing_is_written(city, edu_account) -> None:
    bad = [
        CandidateInput("李新", "371102197005010001", "chair", is_legal_representative=True),
        CandidateInput(
            "赵秘书", id_number(date(1985, 9, 9)), "secretary_general", is_legal_representative=True
        ),
    ]
    with pytest.raises(ValidationError) as exc:
        submit(edu_account, city, bad)
    text = " ".join(exc.value.messages)
    assert "第1名候选人" in text and "法定代表人只能有一名" in text
    assert PrincipalCandidateReview.objects.count() == 0


def test_tt4_organization_account_cannot_submit_for_another_organization(city, org_account) -> None:
    with pytest.raises(Http404):
        submit(org_account, city)  # org_account belongs to the 物流协会


def test_tt2_third_consecutive_term_needs_exception(city, edu_term, edu_account) -> None:
    from socorg.registry.models import Principal

    chair = Principal.objects.get(term=edu_term).person
    review = submit(
        edu_account,
        city,
        [CandidateInput(chair.name, chair.id_number, "chair", is_legal_representative=True)],
    )
    assert review.candidates.get().prior_consecutive_terms == 1
    assert review.candidates.get().findings == []
