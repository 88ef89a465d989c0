"""Writes of principal candidate review (TT-4) and term transitions (TT-1, RG-8).

Each service is keyword-only, validates everything before writing, runs in one transaction and
writes its audit row in it; a refusal raises ``ValidationError`` with a Chinese message and
leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, workflow
from socorg.core.attachments import attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.registry import access as registry_access
from socorg.registry import principal_rules as pr
from socorg.registry import principal_selectors as ps
from socorg.registry import rules
from socorg.registry.models import (
    EventKind,
    EventReason,
    Organization,
    OrganizationEvent,
    Person,
    Post,
    Principal,
    PrincipalCandidate,
    PrincipalCandidateReview,
    PrincipalReviewState,
    Term,
    TermReminder,
    TermReminderKind,
    TermTransition,
)

AUDIT_REPORT_OWNER = "registry.term_transition"


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
        workflow.start(process=_review_process(), obj=review)
    return review


def _review_process() -> workflow.Process:
    from socorg.registry.principal_processes import PRINCIPAL_REVIEW

    return PRINCIPAL_REVIEW


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
        problems.append(_("拟任法定代表人只能有一名。（RG-4）"))
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


# --- Term transition filing (TT-1, RG-8) --------------------------------------------------------


def term_transition_file(
    *,
    actor: User,
    organization: Organization,
    review: PrincipalCandidateReview | None,
    election_on: date,
    starts_on: date,
    ends_on: date,
    audit_report: UploadedFile | None,
) -> TermTransition:
    """File a term transition: the new term's dates (TT-1: at most 5 years; a foundation's board
    at most RG-11's term), the approved vetting whose candidates become the new principals
    (TT-4) and the financial audit report (RG-8, PDF)."""
    access.require_perm(actor, "terms.file")
    organization = registry_access.access_organization(actor, organization.pk)
    previous = ps.current_term(organization)
    _check_filing(actor, organization, review, previous, election_on, starts_on, ends_on)
    if audit_report is None:
        raise ValidationError({"audit_report": [_("请上传财务审计报告（RG-8）。")]})
    assert review is not None  # checked above
    with transaction.atomic():
        filing = TermTransition.objects.create(
            organization=organization,
            previous_term=previous,
            review=review,
            election_on=election_on,
            starts_on=starts_on,
            ends_on=ends_on,
            submitted_by=actor,
        )
        try:
            report = attachment_store(
                actor=actor,
                upload=audit_report,
                owner_type=AUDIT_REPORT_OWNER,
                owner_id=filing.pk,
                allowed={"pdf"},
            )
        except ValidationError as exc:
            raise ValidationError({"audit_report": exc.messages}) from exc
        filing.audit_report = report
        filing.save(update_fields=["audit_report"])
        audit_record(
            actor=actor,
            action="term_transition.file",
            obj=filing,
            after={
                "organization": organization.pk,
                "review": review.pk,
                "previous_term": previous.number if previous else None,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "audit_report": report.sha256,
            },
        )
        workflow.start(process=_transition_process(), obj=filing)
    return filing


def _transition_process() -> workflow.Process:
    from socorg.registry.principal_processes import TERM_TRANSITION

    return TERM_TRANSITION


def _check_filing(
    actor: User,
    organization: Organization,
    review: PrincipalCandidateReview | None,
    previous: Term | None,
    election_on: date,
    starts_on: date,
    ends_on: date,
) -> None:
    errors: dict[str, list[str]] = {}
    if problem := _review_problem(actor, organization, review):
        errors["review"] = [problem]
    years = ps.term_max_years(organization.org_type, starts_on)
    if problem := pr.term_length_problem(starts_on, ends_on, max_years=years):
        errors["ends_on"] = [problem]
    if starts_on < election_on:
        errors["starts_on"] = [_("新一届起始日期不能早于选举日期。")]
    elif previous is not None and starts_on <= previous.starts_on:
        errors["starts_on"] = [_("新一届起始日期须晚于本届起始日期。")]
    if election_on > timezone.localdate():
        errors["election_on"] = [_("选举尚未举行，选举日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)


def _review_problem(
    actor: User, organization: Organization, review: PrincipalCandidateReview | None
) -> str | None:
    """TT-4: the filing relies on an approved, unused vetting of this organization whose slate
    names exactly one legal representative."""
    if review is None:
        return _("请选择已通过的负责人候选人审核（TT-4）。")
    if not ps.approved_reviews(actor, organization).filter(pk=review.pk).exists():
        return _("所选候选人审核未通过、不属于该组织或已被其他换届备案使用。")
    if review.candidates.filter(is_legal_representative=True).count() != 1:
        return _("所选候选人审核须恰好有一名拟任法定代表人。")
    return None


def term_transition_apply(*, transition: TermTransition, actor: User) -> Term:
    """Effect of approving a filing (runs inside the workflow's transaction): closes the old
    term and its principals, opens the next term with the vetted candidates as principals and
    updates the legal representative (with its event when it changed)."""
    organization = Organization.objects.select_for_update().get(pk=transition.organization_id)
    latest = Term.objects.filter(organization=organization).aggregate(n=Max("number"))["n"]
    if latest != (transition.previous_term.number if transition.previous_term else None):
        raise ValidationError(_("该组织的届次已发生变化，请退回后重新备案。"))
    _close_previous(organization, transition)
    term = Term(
        organization=organization,
        number=(latest or 0) + 1,
        starts_on=transition.starts_on,
        ends_on=transition.ends_on,
    )
    term.full_clean()
    term.save()
    legal = _open_principals(organization, term, transition)
    _change_legal_representative(organization, legal, transition)
    transition.new_term = term
    transition.save(update_fields=["new_term"])
    audit_record(
        actor=actor,
        action="term_transition.apply",
        obj=term,
        after={"organization": organization.pk, "number": term.number, "legal": legal.name},
    )
    return term


def _close_previous(organization: Organization, transition: TermTransition) -> None:
    last_day = transition.starts_on - timedelta(days=1)
    Principal.objects.filter(organization=organization).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=last_day)
    ).update(ends_on=last_day)
    previous = transition.previous_term
    if previous is not None and previous.ends_on > last_day:
        previous.ends_on = last_day  # an early transition (TT-1) shortens the old term
        previous.save(update_fields=["ends_on"])


def _open_principals(organization: Organization, term: Term, transition: TermTransition) -> Person:
    legal: Person | None = None
    for candidate in transition.review.candidates.select_related("person"):
        Principal.objects.create(
            organization=organization,
            term=term,
            person=candidate.person,
            post=candidate.post,
            is_legal_representative=candidate.is_legal_representative,
            is_paid=candidate.is_paid,
            starts_on=term.starts_on,
        )
        if candidate.is_legal_representative:
            legal = candidate.person
    if legal is None:
        raise ValidationError(_("候选人审核中没有拟任法定代表人。"))
    return legal


def _change_legal_representative(
    organization: Organization, legal: Person, transition: TermTransition
) -> None:
    if organization.legal_representative == legal.name:
        return
    before = organization.legal_representative
    organization.legal_representative = legal.name
    organization.save(update_fields=["legal_representative", "updated_at"])
    OrganizationEvent.objects.create(
        organization=organization,
        kind=EventKind.LEGAL_REPRESENTATIVE_CHANGED,
        reason=EventReason.APPLICATION,
        occurred_on=transition.starts_on,
        details={"before": before, "after": legal.name, "term_transition": transition.pk},
    )


# --- Reminders (TT-1) ---------------------------------------------------------------------------


_REMINDER_KINDS = {
    pr.TermStatus.EXPIRING: TermReminderKind.EXPIRING,
    pr.TermStatus.OVERDUE: TermReminderKind.OVERDUE,
    pr.TermStatus.OVERDUE_LONG: TermReminderKind.OVERDUE_LONG,
}


def term_reminders_create(*, today: date | None = None) -> dict[str, int]:
    """Create one reminder per latest term and TT-1 window it entered (preparation starts 3
    months before expiry; overdue; overdue more than a year). Running it twice the same day
    creates nothing new. Audited as one row per run."""
    w = ps.windows(today)
    created: dict[str, int] = {}
    with transaction.atomic():
        for status, kind in _REMINDER_KINDS.items():
            terms = ps.terms_in_window(ps.latest_terms(), status, w).exclude(reminders__kind=kind)
            rows = [
                TermReminder(
                    term_id=t.pk, organization_id=t.organization_id, kind=kind, created_on=w.today
                )
                for t in terms.only("pk", "organization_id")
            ]
            TermReminder.objects.bulk_create(rows, ignore_conflicts=True)
            created[str(kind)] = len(rows)
        audit_record(
            actor=None,
            action="term_reminder.create",
            object_type="registry.termreminder",
            after={"on": w.today.isoformat(), **created},
        )
    return created


__all__ = [
    "CandidateInput",
    "PrincipalReviewState",
    "principal_review_submit",
    "term_reminders_create",
    "term_transition_apply",
    "term_transition_file",
]
