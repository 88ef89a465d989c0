"""The demo's enforcement cases (行政处罚): a handful on organizations of 日照市, one in each
stage of the process — opened from the sweep, under investigation from a verified complaint
(opened from that complaint), noticed with a fine (the statement period running), a warning
decided and served (opened from a 2025 inspection finding), a warning
executed and closed — and one ended in a revocation.

The seed's figures never change: the revocation case is recorded on an organization the seed
already revoked, dated and numbered as that revocation (its registration is not revoked again;
its principals join the restricted-persons list from that day). The warnings change no
organization's status. Deterministic: the same organizations in the same order on every load;
the statement periods of the decided cases are dated back so that the decision came after
them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from socorg.core.models import User
from socorg.core.numbering import next_number
from socorg.core.workflow import fire, get_process
from socorg.registry.access import scope_organizations
from socorg.registry.models import (
    EventKind,
    EventReason,
    Organization,
    OrganizationEvent,
    OrgStatus,
)
from socorg.registry.services.restrictions import restricted_persons_add
from socorg.supervision import access
from socorg.supervision.models import (
    Case,
    CaseSource,
    CaseState,
    ComplaintResult,
    ComplaintState,
    DormantCandidate,
    FindingResult,
    InspectionFinding,
)
from socorg.supervision.services import cases as services

BASIS = "《社会团体登记管理条例》第三十条"
# (source, facts, the state reached, the penalty)
PLAN: tuple[tuple[str, str, str, str], ...] = (
    (CaseSource.SWEEP, "连续两年未按规定报送年度工作报告，经责令整改仍未报送。", "opened", ""),
    (
        CaseSource.COMPLAINT,
        "以举办培训班为名向会员单位摊派费用，经核查属实。",
        "investigating",
        "",
    ),
    (
        CaseSource.REFERRAL,
        "违反规定接受捐赠并在账外核算，涉及金额较大（市审计局移送）。",
        "noticed",
        "fine",
    ),
    (CaseSource.INSPECTION, "未按章程规定召开会员大会换届。", "served", "warning"),
    (CaseSource.COMPLAINT, "超出登记的业务范围承接商业演出。", "closed", "warning"),
)


def ensure_demo_cases() -> int:
    """The demo cases unless there are cases already; returns how many were made."""
    officer = User.objects.filter(username="enforcement_officer").first()
    head = User.objects.filter(username="division_head").first()
    if officer is None or head is None or Case.objects.exists():
        return 0
    orgs = list(
        scope_organizations(officer)
        .filter(status=OrgStatus.REGISTERED, jurisdiction__code="371100")
        .exclude(complaints__isnull=False)
        .order_by("pk")[40 : 40 + len(PLAN)]
    )
    process = get_process("case")
    made = 0
    for (source, facts, state, penalty), org in zip(PLAN, orgs, strict=False):
        case = _open_from_source(officer, source) or services.case_open(
            actor=officer, organization_id=org.pk, source=source, facts=facts
        )
        made += 1
        if state == "opened":
            continue
        fire(process=process, key=case.pk, action="investigate", actor=officer)
        if state == "investigating":
            continue
        services.case_penalty_set(
            actor=officer,
            case=case,
            data=services.PenaltyInput(
                penalty=penalty,
                legal_basis=BASIS,
                fine_amount=Decimal("60000") if penalty == "fine" else None,
            ),
        )
        fire(process=process, key=case.pk, action="notify", actor=officer)
        if state == "noticed":
            continue
        # The statement and hearing periods ran out before the decision.
        past = timezone.localdate() - timedelta(days=1)
        Case.objects.filter(pk=case.pk).update(statement_due_on=past, hearing_due_on=past)
        fire(process=process, key=case.pk, action="decide", actor=head)
        fire(process=process, key=case.pk, action="serve", actor=officer)
        if state == "served":
            continue
        fire(
            process=process,
            key=case.pk,
            action="execute",
            actor=officer,
            comment="已在门户网站公示警告决定，当事组织已书面承诺整改。",
        )
        fire(process=process, key=case.pk, action="close", actor=officer)
    return made + _revocation_case(officer)


def _open_from_source(officer: User, source: str) -> Case | None:
    """The first case of each kind that has a record behind it is opened from that record, as
    a clerk would: from a verified complaint, from a 2025 inspection finding of a violation."""
    if Case.objects.filter(source=source).exists():
        return None
    if source == CaseSource.COMPLAINT:
        complaint = (
            access.scope_complaints(officer)
            .filter(result=ComplaintResult.VERIFIED, state=ComplaintState.CLOSED)
            .order_by("pk")
            .first()
        )
        if complaint is not None:
            return services.case_open_from_complaint(actor=officer, complaint_id=complaint.pk)
    if source == CaseSource.INSPECTION:
        finding = (
            InspectionFinding.objects.filter(
                result=FindingResult.SERIOUS,
                subject__in=access.scope_subjects(officer),
                subject__organization__status=OrgStatus.REGISTERED,
            )
            .order_by("subject__plan__year", "pk")
            .first()
        )
        if finding is not None:
            return services.case_open_from_finding(actor=officer, finding_id=finding.pk)
    return None


def _revocation_case(officer: User) -> int:
    """A closed revocation case on the latest organization of the city the seed revoked that
    no cleanup candidate names, dated and numbered as that revocation."""
    taken = DormantCandidate.objects.values_list("organization_id", flat=True)
    org = (
        Organization.objects.filter(status=OrgStatus.REVOKED, jurisdiction__code="371100")
        .exclude(pk__in=taken)
        .order_by("-removed_on", "-pk")
        .first()
    )
    event = (
        OrganizationEvent.objects.filter(organization=org, kind=EventKind.REVOKED).first()
        if org is not None
        else None
    )
    if org is None or org.removed_on is None or event is None:
        return 0
    number = str(event.details.get("decision_number", ""))
    on = org.removed_on
    case = Case.objects.create(
        number=f"案{on.year}-{next_number(f'case:{on.year}'):05d}",
        organization=org,
        source=CaseSource.INSPECTION,
        facts="登记后连续多年未开展业务活动，无法通过登记的住所取得联系，经责令整改逾期未改正。",
        state=CaseState.CLOSED,
        opened_on=on - timedelta(days=75),
        handler=officer,
        created_by=officer,
        penalty="revocation",
        legal_basis=BASIS,
        noticed_on=on - timedelta(days=30),
        statement_due_on=on - timedelta(days=25),
        hearing_due_on=on - timedelta(days=23),
        decided_on=on,
        decision_number=number,
        served_on=on + timedelta(days=3),
        executed_on=on + timedelta(days=10),
        closed_on=on + timedelta(days=10),
    )
    restricted_persons_add(
        actor=officer,
        organization=org,
        reason=event.reason or EventReason.PENALTY,
        decision_number=number,
        on=on,
    )
    return 1 if case.pk else 0
