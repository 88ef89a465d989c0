"""Writes of enforcement cases (行政处罚): opening a case (by hand from a sweep or a referral, or
with one click from an inspection finding, a verified complaint or a cleanup candidate), its evidence, the intended penalty, the party's
statement and hearing, the joint enforcement departments, and the rectification notice. State
changes go through the workflow engine (``processes.CASE``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import workflow
from socorg.core.access import require_perm
from socorg.core.attachments import attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import Attachment, Department, User
from socorg.core.numbering import next_number
from socorg.registry.access import access_organization
from socorg.registry.models import OrgStatus
from socorg.supervision import access
from socorg.supervision.documents import DocumentKind, document_issue
from socorg.supervision.models import (
    CandidateState,
    Case,
    CaseSource,
    CaseState,
    ComplaintResult,
    FindingResult,
    PenaltyKind,
)
from socorg.supervision.rules import cases as rules

EVIDENCE_KINDS = {"pdf", "png", "jpeg", "docx", "xlsx"}
CANDIDATE_OWNER = "supervision.dormant_candidate"


def _stale(case: Case, expected_state: str | None) -> None:
    if expected_state is not None and case.state != expected_state:
        raise workflow.StaleState(
            _("该案件已被他人处理，当前状态为“%(state)s”，请刷新后查看。")
            % {"state": case.get_state_display()}
        )


def case_open(
    *,
    actor: User,
    organization_id: int,
    source: str,
    facts: str,
    source_type: str = "",
    source_id: str = "",
) -> Case:
    """Opens a case (立案) on an organization in the actor's scope."""
    require_perm(actor, "case.handle")
    organization = access_organization(actor, organization_id)
    if organization.status in (OrgStatus.DEREGISTERED, OrgStatus.REVOKED):
        raise ValidationError(_("该组织已注销或已撤销登记，不能立案。"))
    today = timezone.localdate()
    case = Case(
        organization=organization,
        source=source,
        source_type=source_type,
        source_id=source_id,
        facts=facts.strip(),
        opened_on=today,
        handler=actor,
        created_by=actor,
        number="-",
    )
    errors: dict[str, list[str]] = {}
    if source not in CaseSource.values:
        errors["source"] = [_("请选择案件来源。")]
    try:
        case.full_clean(exclude=["organization", "source"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        serial = next_number(f"case:{today.year}")
        case.number = f"案{today.year}-{serial:05d}"
        case.save(force_insert=True)
        workflow.start(process=workflow.get_process("case"), obj=case)
        audit_record(
            actor=actor,
            action="case.open",
            obj=case,
            after={"organization": organization.pk, "source": source, "source_id": source_id},
        )
    return case


def case_open_from_candidate(*, actor: User, candidate_id: int, facts: str = "") -> Case:
    """A case opened from a cleanup candidate proposed for revocation (DO-2): source
    ``campaign``, referencing the candidate; its revocation decision then goes through the
    candidate's own decision."""
    candidate = access.access_candidate(actor, candidate_id)
    if candidate.state != CandidateState.REVOCATION:
        raise ValidationError(_("只有已提请撤销登记的线索才能立案处罚。"))
    _refuse_second_case(CANDIDATE_OWNER, candidate.pk, _("该线索已立案，请勿重复立案。"))
    return case_open(
        actor=actor,
        organization_id=candidate.organization_id,
        source=CaseSource.CAMPAIGN,
        facts=facts or _("僵尸型社会组织专项整治中提请撤销登记。"),
        source_type=CANDIDATE_OWNER,
        source_id=str(candidate.pk),
    )


def _refuse_second_case(source_type: str, source_id: int, message: str) -> None:
    """One open case per source: a second click (or a colleague's) opens nothing."""
    if (
        Case.objects.filter(source_type=source_type, source_id=str(source_id))
        .exclude(state=CaseState.CLOSED)
        .exists()
    ):
        raise ValidationError(message)


def case_open_from_finding(*, actor: User, finding_id: int) -> Case:
    """立案 from a random-inspection finding that found a problem (RI-6 results feed
    enforcement): source ``inspection``, referencing the finding, its matter and description as
    the facts."""
    require_perm(actor, "case.handle")
    finding = access.access_finding(actor, finding_id)
    if finding.result == FindingResult.COMPLIANT:
        raise ValidationError(_("该事项检查未发现问题，不能据此立案。"))
    _refuse_second_case(access.FINDING_OWNER, finding.pk, _("该检查结果已立案，请勿重复立案。"))
    subject = finding.subject
    return case_open(
        actor=actor,
        organization_id=subject.organization_id,
        source=CaseSource.INSPECTION,
        facts=_("%(year)s年度随机抽查“%(matter)s”发现：%(description)s")
        % {
            "year": subject.plan.year,
            "matter": finding.matter.name,
            "description": finding.description,
        },
        source_type=access.FINDING_OWNER,
        source_id=str(finding.pk),
    )


def case_open_from_complaint(*, actor: User, complaint_id: int) -> Case:
    """立案 from a complaint verified as true (投诉举报核查属实): source ``complaint``, the
    complaint's subject and the verifying department's findings as the facts. The
    complainant's identity stays with the complaint."""
    require_perm(actor, "case.handle")
    complaint = access.access_complaint(actor, complaint_id)
    if complaint.result != ComplaintResult.VERIFIED:
        raise ValidationError(_("只有核查属实的投诉举报才能立案查处。"))
    _refuse_second_case(access.COMPLAINT_OWNER, complaint.pk, _("该投诉举报已立案，请勿重复立案。"))
    return case_open(
        actor=actor,
        organization_id=complaint.organization_id,
        source=CaseSource.COMPLAINT,
        facts=_("投诉举报（查询码 %(code)s）“%(subject)s”经核查属实：%(findings)s")
        % {
            "code": complaint.tracking_code,
            "subject": complaint.subject,
            "findings": complaint.findings,
        },
        source_type=access.COMPLAINT_OWNER,
        source_id=str(complaint.pk),
    )


def case_evidence_add(
    *, actor: User, case: Case, upload: UploadedFile, expected_state: str | None = None
) -> Attachment:
    """Evidence while the case is being investigated (type, content and size checked)."""
    require_perm(actor, "case.handle")
    case = access.access_case(actor, case.pk)
    _stale(case, expected_state)
    if case.state not in (CaseState.OPENED, CaseState.INVESTIGATING, CaseState.NOTICED):
        raise ValidationError(_("案件已作出决定，不能再补充证据。"))
    with transaction.atomic():
        return attachment_store(
            actor=actor,
            upload=upload,
            owner_type=access.CASE_OWNER,
            owner_id=case.pk,
            allowed=EVIDENCE_KINDS,
        )


@dataclass(frozen=True)
class PenaltyInput:
    penalty: str
    legal_basis: str
    fine_amount: Decimal | None = None
    suspension_months: int | None = None


def case_penalty_set(
    *, actor: User, case: Case, data: PenaltyInput, expected_state: str | None = None
) -> Case:
    """The intended penalty (before the notice) or the penalty as decided (after the statement,
    before the decision): kind, amount or period, legal basis."""
    require_perm(actor, "case.handle")
    case = access.access_case(actor, case.pk)
    _stale(case, expected_state)
    if case.state not in (CaseState.INVESTIGATING, CaseState.NOTICED):
        raise ValidationError(_("只有调查取证或告知阶段的案件可以填写处罚内容。"))
    if data.penalty not in PenaltyKind.values:
        raise ValidationError({"penalty": [_("请选择处罚种类。")]})
    if problem := rules.penalty_problem(
        data.penalty, data.fine_amount, data.suspension_months, data.legal_basis
    ):
        raise ValidationError(problem)
    before = {"penalty": case.penalty, "fine_amount": str(case.fine_amount or "")}
    case.penalty = data.penalty
    case.legal_basis = data.legal_basis.strip()
    case.fine_amount = data.fine_amount if data.penalty == PenaltyKind.FINE else None
    case.suspension_months = (
        data.suspension_months if data.penalty == PenaltyKind.SUSPENSION else None
    )
    case.full_clean(exclude=["organization"], validate_unique=False)
    with transaction.atomic():
        case.save()
        audit_record(
            actor=actor,
            action="case.penalty",
            obj=case,
            before=before,
            after={"penalty": case.penalty, "fine_amount": str(case.fine_amount or "")},
        )
    return case


def case_statement_record(
    *,
    actor: User,
    case: Case,
    received_on: date,
    statement: str,
    answer: str = "",
    hearing_requested: bool = False,
    expected_state: str | None = None,
) -> Case:
    """The party's statement (陈述申辩) received after the notice, the bureau's answer (复核意见)
    and whether a hearing was requested."""
    require_perm(actor, "case.handle")
    case = access.access_case(actor, case.pk)
    _stale(case, expected_state)
    if case.state != CaseState.NOTICED:
        raise ValidationError(_("只有已告知的案件可以登记陈述申辩。"))
    if received_on > timezone.localdate() or (case.noticed_on and received_on < case.noticed_on):
        raise ValidationError({"received_on": [_("收到日期须在告知之日与今天之间。")]})
    case.statement_received_on = received_on
    case.statement = statement.strip()
    case.statement_answer = answer.strip()
    case.hearing_requested = hearing_requested
    case.full_clean(exclude=["organization"], validate_unique=False)
    with transaction.atomic():
        case.save()
        audit_record(
            actor=actor,
            action="case.statement",
            obj=case,
            after={
                "received_on": received_on.isoformat(),
                "answered": bool(case.statement_answer),
                "hearing_requested": hearing_requested,
            },
        )
    return case


def case_hearing_record(
    *, actor: User, case: Case, held_on: date, expected_state: str | None = None
) -> Case:
    require_perm(actor, "case.handle")
    case = access.access_case(actor, case.pk)
    _stale(case, expected_state)
    if case.state != CaseState.NOTICED or not case.hearing_requested:
        raise ValidationError(_("只有当事人已申请听证的告知阶段案件可以登记听证。"))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": [_("听证日期不能晚于今天。")]})
    with transaction.atomic():
        case.hearing_held_on = held_on
        case.save(update_fields=["hearing_held_on", "updated_at"])
        audit_record(actor=actor, action="case.hearing", obj=case, after={"held_on": str(held_on)})
    return case


def case_departments_set(*, actor: User, case: Case, department_ids: list[int]) -> Case:
    """The departments enforcing jointly with the bureau (联合执法)."""
    require_perm(actor, "case.handle")
    case = access.access_case(actor, case.pk)
    departments = list(Department.objects.filter(pk__in=department_ids))
    if len(departments) != len(set(department_ids)):
        raise ValidationError({"departments": [_("联合执法部门无效。")]})
    with transaction.atomic():
        case.joint_departments.set(departments)
        audit_record(
            actor=actor,
            action="case.departments",
            obj=case,
            after={"departments": sorted(d.pk for d in departments)},
        )
    return case


def case_rectification_notice(
    *, actor: User, case: Case, requirements: str, due_on: date
) -> Attachment:
    """The rectification notice (责令整改通知书), numbered and stored with the case."""
    require_perm(actor, "case.handle")
    case = access.access_case(actor, case.pk)
    today = timezone.localdate()
    if not requirements.strip():
        raise ValidationError({"requirements": [_("请填写整改要求。")]})
    if due_on <= today:
        raise ValidationError({"due_on": [_("整改期限须晚于今天。")]})
    org = case.organization
    with transaction.atomic():
        number, attachment = document_issue(
            actor=actor,
            owner_type=access.CASE_OWNER,
            owner_id=case.pk,
            kind=DocumentKind.RECTIFICATION_NOTICE,
            organization_name=org.name,
            uscc=org.uscc or "",
            jurisdiction=org.jurisdiction,
            paragraphs=rules.rectification_paragraphs(
                facts=case.facts, requirements=requirements.strip(), due_on=due_on
            ),
            on=today,
        )
        audit_record(
            actor=actor,
            action="case.rectification_notice",
            obj=case,
            after={"number": number, "due_on": due_on.isoformat()},
        )
    return attachment
