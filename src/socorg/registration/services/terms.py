"""Writes of term transitions (TT-1, RG-8): a filing with its financial audit report, its
approval (the next term with the vetted principals) and the reminders of expiring and overdue
terms.

Each service is keyword-only, validates everything before writing, runs in one transaction and
writes its audit row in it; a refusal raises ``ValidationError`` with a Chinese message and
leaves nothing behind."""

from __future__ import annotations

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
from socorg.core.representations import touch
from socorg.registration.access import AUDIT_REPORT_OWNER
from socorg.registration.rules import applications as app_rules
from socorg.registration.rules import terms as tr
from socorg.registration.selectors import applications as app_selectors
from socorg.registration.selectors import principals as ps
from socorg.registration.selectors import terms as ts
from socorg.registry import access as registry_access
from socorg.registry.models import (
    EventKind,
    EventReason,
    Organization,
    OrganizationEvent,
    Person,
    Principal,
    PrincipalCandidateReview,
    Term,
    TermReminder,
    TermReminderKind,
    TermTransition,
    TermTransitionState,
)

TRANSITION_PROCESS = "term_transition"


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
    previous = ts.current_term(organization)
    _check_filing(actor, organization, review, previous, election_on, starts_on, ends_on)
    if audit_report is None:
        raise ValidationError({"audit_report": [_("请上传财务审计报告。")]})
    assert review is not None  # checked above
    with transaction.atomic():
        division = app_selectors.organization_pre_review_division(organization.pk)
        filing = TermTransition.objects.create(
            organization=organization,
            state=TermTransitionState.PRE_REVIEW if division else TermTransitionState.SUBMITTED,
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
                "pre_review_division": division.code if division else None,
            },
        )
        workflow.start(process=workflow.get_process(TRANSITION_PROCESS), obj=filing)
    return filing


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
    years = ts.term_max_years(organization.org_type, starts_on)
    if problem := tr.term_length_problem(starts_on, ends_on, max_years=years):
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
        return _("请选择已通过的负责人候选人审核。")
    if not ps.approved_reviews(actor, organization).filter(pk=review.pk).exists():
        return _("所选候选人审核未通过、不属于该组织或已被其他换届备案使用。")
    if review.candidates.filter(is_legal_representative=True).count() != 1:
        return _("所选候选人审核须恰好有一名拟任法定代表人。")
    return None


def term_transition_pre_review_problem(*, transition: TermTransition, actor: User) -> str | None:
    """Only the division holding the organization's pre-review duty gives the pre-review."""
    division = app_selectors.organization_pre_review_division(transition.organization_id)
    if division is None or actor.department_id != division.pk:
        return _("该换届备案的前置审查应由%(d)s出具，您所在部门无权办理。") % {
            "d": division or _("负有前置审查职责的业务科室")
        }
    return None


def term_transition_decision_problem(*, transition: TermTransition) -> str | None:
    """No decision on the filing while its division's pre-review is outstanding."""
    if transition.state != TermTransitionState.PRE_REVIEW:
        return None
    division = app_selectors.organization_pre_review_division(transition.organization_id)
    clock = workflow.item_deadline(workflow.get_process(TRANSITION_PROCESS), transition)
    due = clock.due_on.isoformat() if clock is not None else ""
    return app_rules.pre_review_blocker([(str(division or ""), due)])


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
    touch(Organization, [organization.pk])
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
    tr.TermStatus.EXPIRING: TermReminderKind.EXPIRING,
    tr.TermStatus.OVERDUE: TermReminderKind.OVERDUE,
    tr.TermStatus.OVERDUE_LONG: TermReminderKind.OVERDUE_LONG,
}


def term_reminders_create(*, today: date | None = None) -> dict[str, int]:
    """Create one reminder per latest term and TT-1 window it entered (preparation starts 3
    months before expiry; overdue; overdue more than a year). Running it twice the same day
    creates nothing new. Audited as one row per run."""
    w = ts.windows(today)
    created: dict[str, int] = {}
    with transaction.atomic():
        for status, kind in _REMINDER_KINDS.items():
            terms = ts.terms_in_window(ts.latest_terms(), status, w).exclude(reminders__kind=kind)
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
