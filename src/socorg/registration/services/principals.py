"""Writes of principal candidate review (TT-4): a slate submitted for vetting, with the findings
of TT-2, TT-3, RG-4 and RG-11 computed for each candidate and for the slate.

Each service is keyword-only, validates everything before writing, runs in one transaction and
writes its audit row in it; a refusal raises ``ValidationError`` with a Chinese message and
leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, workflow
from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.registration.rules import principals as pr
from socorg.registration.selectors import principals as ps
from socorg.registry import access as registry_access
from socorg.registry.models import (
    Organization,
    Person,
    Post,
    PrincipalCandidate,
    PrincipalCandidateReview,
)
from socorg.registry.rules import organizations as rules

REVIEW_PROCESS = "principal_candidate_review"


@dataclass(frozen=True)
class CandidateInput:
    name: str
    id_number: str
    post: str
    is_legal_representative: bool = False
    is_paid: bool = False
    is_retired_cadre: bool = False
    is_state_functionary: bool = False


# --- Principal candidate review (TT-4) -------------------------------------------------------------


def principal_review_submit(
    *,
    actor: User,
    organization: Organization,
    election_on: date,
    candidates: list[CandidateInput],
) -> PrincipalCandidateReview:
    """Submit a slate for vetting; the findings of TT-2, TT-3, RG-4 and RG-11 are computed and
    stored with each candidate. The organization's own account or a registrar may submit."""
    access.require_perm(actor, "principals.submit")
    organization = registry_access.access_organization(actor, organization.pk)
    _check_slate(organization, election_on, candidates)
    with transaction.atomic():
        review = PrincipalCandidateReview.objects.create(
            organization=organization, election_on=election_on, submitted_by=actor
        )
        limits = ps.limits(election_on)
        for item in candidates:
            _add_candidate(review, item, limits)
        _store_slate_findings(review, limits)
        audit_record(
            actor=actor,
            action="principal_candidate_review.submit",
            obj=review,
            after={
                "organization": organization.pk,
                "election_on": election_on.isoformat(),
                "candidates": [f"{c.id_number[-4:]}:{c.post}" for c in candidates],
                "has_blocking": review.has_blocking,
            },
        )
        workflow.start(process=workflow.get_process(REVIEW_PROCESS), obj=review)
    return review


def _check_slate(
    organization: Organization, election_on: date, candidates: list[CandidateInput]
) -> None:
    errors: dict[str, list[str]] = {}
    if organization.status not in ps.ACTIVE_STATUSES:
        errors.setdefault("__all__", []).append(_("该组织已注销或撤销，不能提交候选人审核。"))
    if election_on < timezone.localdate():
        errors.setdefault("election_on", []).append(
            _("候选人审核须在选举前进行，拟选举日期不能早于今天。")
        )
    problems = _candidate_problems(candidates)
    if problems:
        errors["candidates"] = problems
    if errors:
        raise ValidationError(errors)


def _candidate_problems(candidates: list[CandidateInput]) -> list[str]:
    if not candidates:
        return [_("请至少填写一名候选人。")]
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for n, item in enumerate(candidates, 1):
        problem = _one_candidate_problem(item)
        key = (item.id_number.strip().upper(), item.post)
        if problem is None and key in seen:
            problem = _("同一人重复提名同一职务。")
        seen.add(key)
        if problem:
            problems.append(_("第%(n)s名候选人：%(problem)s") % {"n": n, "problem": problem})
    if sum(1 for c in candidates if c.is_legal_representative) > 1:
        problems.append(_("拟任法定代表人只能有一名。"))
    return problems


def _one_candidate_problem(item: CandidateInput) -> str | None:
    if not item.name.strip():
        return _("请填写姓名。")
    if item.post not in Post.values:
        return _("拟任职务无效。")
    if problem := rules.id_number_problem(item.id_number):
        return problem
    person = ps.person_by_id_number(item.id_number)
    if person is not None and person.name != item.name.strip():
        return _("该身份证号已登记为“%(name)s”，姓名不一致。") % {"name": person.name}
    return None


def _person_for(item: CandidateInput) -> Person:
    person = ps.person_by_id_number(item.id_number)
    if person is not None:
        return person
    person = Person(
        name=item.name.strip(),
        id_number=item.id_number.strip().upper(),
        is_retired_cadre=item.is_retired_cadre,
        is_state_functionary=item.is_state_functionary,
    )
    person.full_clean(exclude=["birth_date", "sex"])
    person.save()
    return person


def _add_candidate(
    review: PrincipalCandidateReview, item: CandidateInput, limits: pr.Limits
) -> PrincipalCandidate:
    person = _person_for(item)
    record = ps.person_record(person, review.organization, item.post, review.election_on)
    facts = pr.CandidateFacts(
        birth_date=person.birth_date,
        election_on=review.election_on,
        post=item.post,
        org_type=review.organization.org_type,
        prior_consecutive_terms=record.prior_consecutive_terms,
        is_legal_representative=item.is_legal_representative,
        is_paid=item.is_paid,
        is_retired_cadre=item.is_retired_cadre or person.is_retired_cadre,
        is_state_functionary=item.is_state_functionary or person.is_state_functionary,
        other_social_groups=record.other_social_groups,
        legal_representative_of=record.legal_representative_of,
        restrictions=record.restrictions,
    )
    findings = pr.candidate_findings(facts, limits)
    return PrincipalCandidate.objects.create(
        review=review,
        person=person,
        post=item.post,
        is_legal_representative=item.is_legal_representative,
        is_paid=item.is_paid,
        is_retired_cadre=facts.is_retired_cadre,
        is_state_functionary=facts.is_state_functionary,
        prior_consecutive_terms=record.prior_consecutive_terms,
        findings=[f.as_dict() for f in findings],
        severity=pr.worst(findings),
    )


def _store_slate_findings(review: PrincipalCandidateReview, limits: pr.Limits) -> None:
    candidates = list(review.candidates.all())
    slate = [pr.SlateMember(c.post, c.is_legal_representative, c.is_paid) for c in candidates]
    findings = pr.slate_findings(review.organization.org_type, slate, limits)
    review.findings = [f.as_dict() for f in findings]
    review.has_blocking = (
        pr.Severity.BLOCKING in {pr.worst(c.findings) for c in candidates}
        or pr.worst(findings) == pr.Severity.BLOCKING
    )
    review.save(update_fields=["findings", "has_blocking"])
