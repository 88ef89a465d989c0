"""One table says who may do what: every action of the registration processes takes its roles
from ``core.access.PERMISSIONS``, so the pages' permission gates and the engine cannot disagree.

The division head decides (准予登记 / 不予登记) and asks for 补正 during the review, but gives no
opinion in the joint review: the registration division's own opinion is given by its registrars
and reviewers, so that review and decision stay apart. The head sees every opinion of the
jurisdiction to follow up escalations (督办)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from socorg.core import access, workflow
from socorg.core.models import Role
from socorg.registration.access import access_opinion
from socorg.registration.models import Opinion, OpinionState
from tests.registration.conftest import establishment_data
from tests.registration.test_joint_review import _in_review

# (process, action) -> the permission whose roles may fire it.
ACTION_PERMISSIONS = {
    ("application", "submit"): "registration.apply",
    ("application", "resubmit"): "registration.apply",
    ("application", "resubmit_review"): "registration.apply",
    ("application", "withdraw"): "registration.withdraw",
    ("application", "request_correction"): "registration.accept",
    ("application", "accept"): "registration.accept",
    ("application", "refuse_acceptance"): "registration.accept",
    ("application", "request_review_correction"): "registration.review_correction",
    ("application", "approve"): "registration.decide",
    ("application", "refuse"): "registration.decide",
    ("opinion", "consent"): "registration.review",
    ("opinion", "refuse"): "registration.review",
    # Fired by no role: they follow from the applicant's resubmission after 补正 (RG-14).
    ("opinion", "withdraw"): "registration.replan_review",
    ("opinion", "reopen"): "registration.replan_review",
    ("principal_candidate_review", "party_agree"): "principals.party_opinion",
    ("principal_candidate_review", "party_agree_final"): "principals.party_opinion",
    ("principal_candidate_review", "party_refuse"): "principals.party_opinion",
    ("principal_candidate_review", "unit_agree"): "principals.unit_opinion",
    ("principal_candidate_review", "unit_agree_final"): "principals.unit_opinion",
    ("principal_candidate_review", "unit_refuse"): "principals.unit_opinion",
    ("principal_candidate_review", "withdraw"): "principals.submit",
    ("term_transition", "approve"): "terms.approve",
    ("term_transition", "return"): "terms.approve",
    ("term_transition", "pre_review_consent"): "terms.pre_review",
    ("term_transition", "pre_review_refuse"): "terms.pre_review",
}
PROCESSES = ("application", "opinion", "principal_candidate_review", "term_transition")


def test_every_registration_action_takes_its_roles_from_the_permission_table() -> None:
    declared = {
        (name, act.name): act.roles
        for name in PROCESSES
        for act in workflow.get_process(name).actions
    }
    assert set(declared) == set(ACTION_PERMISSIONS)
    for key, perm in ACTION_PERMISSIONS.items():
        assert declared[key] == access.roles_with(perm), key


def test_division_head_decides_but_gives_no_opinion() -> None:
    assert Role.DIVISION_HEAD in access.roles_with("registration.decide")
    assert Role.DIVISION_HEAD in access.roles_with("registration.review_correction")
    assert Role.DIVISION_HEAD not in access.roles_with("registration.review")
    opinion = workflow.get_process("opinion")
    assert all(Role.DIVISION_HEAD not in act.roles for act in opinion.actions)


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_division_head_follows_opinions_up_but_cannot_give_them(
    client, city, founder, approval_clerk, division_head
) -> None:
    app = _in_review(founder, approval_clerk, establishment_data())
    opinion = app.opinions.get()
    assert access_opinion(division_head, opinion.pk) == opinion
    client.force_login(division_head)
    url = reverse("registration:opinion_transition", args=[opinion.pk])
    response = client.post(url, {"action": "consent", "comment": "同意"})
    assert response.status_code == 403
    assert Opinion.objects.get(pk=opinion.pk).state == OpinionState.PENDING
