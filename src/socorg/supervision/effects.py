"""What the supervision processes' actions check (guards) and do (effects). Called by the
workflow engine inside the transition's transaction; writes go through services."""

from __future__ import annotations

import logging
from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import calendar
from socorg.core.access import DEPARTMENT_ROLES
from socorg.core.attachments import attachments_of
from socorg.core.models import DayUnit, Department, User
from socorg.core.notices import notice_send
from socorg.core.params import param
from socorg.core.workflow import fire_set, follow, get_process
from socorg.core.worklist import reverse_or_none
from socorg.party.services.branches import party_figures_from_annual_report
from socorg.registry.models import EventKind, EventReason, ManagementMode, OrgStatus
from socorg.registry.services.organizations import (
    organization_event_record,
    organization_events_record_many,
    organization_revoke,
    organization_suspend,
)
from socorg.registry.services.restrictions import restricted_persons_add
from socorg.supervision import tasks
from socorg.supervision.access import ANNUAL_REPORT_OWNER, CASE_OWNER
from socorg.supervision.documents import DocumentKind, document_issue
from socorg.supervision.models import (
    AnnualReport,
    CandidateState,
    Case,
    CaseSource,
    Complaint,
    ComplaintResult,
    Conclusion,
    CreditList,
    CreditListing,
    DelistReason,
    DormantCandidate,
    InspectionPlan,
    ListingGround,
    ListingState,
)
from socorg.supervision.rules import annual_reports as ar_rules
from socorg.supervision.rules import cases as case_rules
from socorg.supervision.rules import credit as credit_rules
from socorg.supervision.selectors import complaints as complaint_selectors
from socorg.supervision.services import inspections as inspection_services

logger = logging.getLogger(__name__)

# --- annual reports ----------------------------------------------------------------------------


def _is_dual(report: AnnualReport) -> bool:
    return report.management_mode == ManagementMode.DUAL_MANAGEMENT and bool(
        report.supervisory_unit_id
    )


def _filing_problem(report: AnnualReport) -> str | None:
    """The form and its consistency checks (``rules.filing_problems``), then the audit report
    (an attachment is required before submission)."""
    problems = ar_rules.filing_problems(report.org_type, report.data)
    if problems:
        return _("年度报告还有 %(n)s 处需要修改，请按页面提示逐项修改后再报送。") % {
            "n": len(problems)
        }
    if not attachments_of(owner_type=ANNUAL_REPORT_OWNER, owner_id=report.pk):
        return _("请先上传财务审计报告（PDF）后再报送。")
    return None


def submit_to_unit_guard(report: AnnualReport, actor: User) -> str | None:
    """AR-1: under dual management the report goes to the supervisory unit first."""
    if not _is_dual(report):
        return _("本组织为直接登记，年度报告直接报送登记管理机关。")
    return _filing_problem(report)


def submit_to_bureau_guard(report: AnnualReport, actor: User) -> str | None:
    """AR-1: directly registered organizations file straight to the registration authority."""
    if _is_dual(report):
        return _("本组织须先将年度报告报送业务主管单位初审。")
    return _filing_problem(report)


def report_submitted(report: AnnualReport, actor: User, comment: str) -> None:
    if report.submitted_on is None:
        report.submitted_on = timezone.localdate()
        report.save(update_fields=["submitted_on", "updated_at"])
    # The party-building answers feed the party app's records (it may not read this app).
    party_figures_from_annual_report(
        actor=actor,
        organization_id=report.organization_id,
        year=report.year,
        answers=report.data or {},
        annual_report_id=report.pk,
        reported_on=report.submitted_on,
    )


def unit_guard(report: AnnualReport, actor: User) -> str | None:
    """Only the organization's own supervisory unit reviews its report."""
    if actor.department_id is None or actor.department_id != report.supervisory_unit_id:
        return _("只有该组织的业务主管单位可以初审其年度报告。")
    return None


def pass_guard(report: AnnualReport, actor: User) -> str | None:
    """AR-3: a report with an automatic fail ground can only fail."""
    if report.auto_fail:
        return _("该报告存在应当认定为不合格的情形，只能作出“不合格”结论。")
    return None


def _conclude(report: AnnualReport, actor: User, comment: str, conclusion: str) -> None:
    report.conclusion = conclusion
    report.conclusion_reasons = comment
    report.concluded_on = timezone.localdate()
    report.concluded_by = actor
    report.save(
        update_fields=[
            "conclusion",
            "conclusion_reasons",
            "concluded_on",
            "concluded_by",
            "updated_at",
        ]
    )


def concluded_pass(report: AnnualReport, actor: User, comment: str) -> None:
    _conclude(report, actor, comment, Conclusion.PASS)


def concluded_basic_pass(report: AnnualReport, actor: User, comment: str) -> None:
    _conclude(report, actor, comment, Conclusion.BASIC_PASS)


def concluded_fail(report: AnnualReport, actor: User, comment: str) -> None:
    _conclude(report, actor, comment, Conclusion.FAIL)


def conclusion_published(report: AnnualReport, actor: User, comment: str) -> None:
    """The conclusion becomes part of the organization's public history."""
    report.published_on = timezone.localdate()
    report.save(update_fields=["published_on", "updated_at"])
    organization_event_record(
        organization=report.organization,
        kind=EventKind.ANNUAL_REPORT_CONCLUDED,
        reason=EventReason.ANNUAL_INSPECTION,
        on=report.published_on,
        details={"year": report.year, "conclusion": report.conclusion},
    )


# --- credit listings ---------------------------------------------------------------------------


def listing_took_effect(listing: CreditListing, actor: User, comment: str) -> None:
    listings_took_effect(
        CreditListing.objects.filter(pk=listing.pk), actor, comment, timezone.localdate()
    )
    listing.refresh_from_db()


def listings_took_effect(
    listings: QuerySet[CreditListing], actor: User | None, comment: str, on: date
) -> None:
    """The listings are in force from ``on``: listing date, the clock and the earliest
    delisting date per ground (CR-3, CR-5); the organization's other open listings on the same
    list restart their clock (CR-3: a new ground while listed); an organization moved to the
    serious list after its years on the abnormal list leaves the abnormal list (CR-4); a public
    event per listing."""
    rows = list(
        listings.order_by().values("id", "organization_id", "list", "ground", "rule_id", "evidence")
    )
    if not rows:
        return
    auto_months = int(param("CR-3.auto_delisting_months", on=on))
    clean_years = int(param("CR-5.clean_years", on=on))

    def earliest(ground: str) -> date | None:
        return credit_rules.delist_earliest(
            ground=ground, clock_started_on=on, auto_months=auto_months, clean_years=clean_years
        )

    ids = [row["id"] for row in rows]
    for ground in {row["ground"] for row in rows}:
        CreditListing.objects.filter(pk__in=ids, ground=ground).update(
            listed_on=on, clock_started_on=on, delist_earliest=earliest(ground)
        )
    for list_code in {row["list"] for row in rows}:
        orgs = (
            CreditListing.objects.filter(pk__in=ids, list=list_code)
            .order_by()
            .values("organization_id")
        )
        others = CreditListing.objects.filter(
            organization_id__in=orgs,
            list=list_code,
            state__in=(ListingState.LISTED, ListingState.DELISTING_REQUESTED),
            clock_started_on__lt=on,
        ).exclude(pk__in=ids)
        for ground in set(others.order_by().values_list("ground", flat=True)):
            others.filter(ground=ground).update(
                clock_started_on=on, delist_earliest=earliest(ground), updated_at=timezone.now()
            )
    organization_events_record_many(
        events=[
            {
                "organization_id": row["organization_id"],
                "kind": EventKind.LISTED,
                "reason": row["ground"],
                "on": on,
                "details": {
                    "list": row["list"],
                    "rule": row["rule_id"],
                    "evidence": row["evidence"],
                },
            }
            for row in rows
        ]
    )
    moved = [
        row["organization_id"] for row in rows if row["ground"] == ListingGround.ABNORMAL_TWO_YEARS
    ]
    if moved:
        abnormal = (
            CreditListing.objects.filter(
                organization_id__in=moved, list=CreditList.ABNORMAL, state=ListingState.LISTED
            )
            .order_by()
            .values_list("pk", flat=True)
        )
        fire_set(
            process=get_process("credit_listing"),
            ids=list(abnormal),
            action="expire",
            actor=actor,
            on=on,
            values={"delisted_on": on, "delist_reason": DelistReason.MOVED_TO_SERIOUS},
            consequence=True,
        )


def listing_cancelled(listing: CreditListing, actor: User, comment: str) -> None:
    listings_cancelled(
        CreditListing.objects.filter(pk=listing.pk), actor, comment, timezone.localdate()
    )


def listings_cancelled(
    listings: QuerySet[CreditListing], actor: User | None, comment: str, on: date
) -> None:
    """The notice is withdrawn (the ground was cured in the window): an event of the
    organization's history, not public (the listing never took effect)."""
    organization_events_record_many(
        events=[
            {
                "organization_id": row["organization_id"],
                "kind": EventKind.LISTING_NOTICED,
                "reason": row["ground"],
                "on": on,
                "details": {"list": row["list"], "rule": row["rule_id"], "cancelled": True},
                "is_public": False,
            }
            for row in listings.order_by().values("organization_id", "ground", "list", "rule_id")
        ]
    )


def delisting_guard(listing: CreditListing, actor: User) -> str | None:
    if listing.delist_earliest and timezone.localdate() < listing.delist_earliest:
        return _("该记录最早可于 %(date)s 移出。") % {"date": listing.delist_earliest}
    return None


def _delisted(listing: CreditListing, reason: str) -> None:
    listing.delisted_on = timezone.localdate()
    listing.delist_reason = reason
    listing.save(update_fields=["delisted_on", "delist_reason", "updated_at"])
    organization_event_record(
        organization=listing.organization,
        kind=EventKind.DELISTED,
        reason=reason,
        on=listing.delisted_on,
        details={"list": listing.list, "rule": listing.rule_id, "ground": listing.ground},
    )


def delisted_on_application(listing: CreditListing, actor: User, comment: str) -> None:
    _delisted(listing, DelistReason.DUTY_MET)


def delisted_by_correction(listing: CreditListing, actor: User, comment: str) -> None:
    _delisted(listing, DelistReason.CORRECTED)


def delisted_by_sweep(listing: CreditListing, actor: User, comment: str) -> None:
    _delisted(listing, listing.delist_reason or DelistReason.AUTO_EXPIRED)


def listings_delisted_by_sweep(
    listings: QuerySet[CreditListing], actor: User | None, comment: str, on: date
) -> None:
    """Automatic delistings (CR-3, CR-5, deregistration, a move to the serious list): the
    delisting date and reason were set with the state; a public event per listing."""
    listings.filter(delisted_on__isnull=True).update(delisted_on=on)
    listings.filter(delist_reason="").update(delist_reason=DelistReason.AUTO_EXPIRED)
    organization_events_record_many(
        events=[
            {
                "organization_id": row["organization_id"],
                "kind": EventKind.DELISTED,
                "reason": row["delist_reason"],
                "on": row["delisted_on"],
                "details": {"list": row["list"], "rule": row["rule_id"], "ground": row["ground"]},
            }
            for row in listings.order_by().values(
                "organization_id", "delist_reason", "delisted_on", "list", "rule_id", "ground"
            )
        ]
    )


# --- dormant candidates ------------------------------------------------------------------------


def rectification_guard(candidate: DormantCandidate, actor: User) -> str | None:
    if candidate.rectification_due is None:
        return _("请先填写整改期限。")
    return None


def rectification_notified(candidate: DormantCandidate, actor: User, comment: str) -> None:
    organization_event_record(
        organization=candidate.organization,
        kind=EventKind.RECTIFICATION_NOTICE,
        reason=EventReason.DORMANT_CLEANUP,
        on=timezone.localdate(),
        details={"campaign": candidate.campaign_id, "due": str(candidate.rectification_due)},
    )


def reactivated(candidate: DormantCandidate, actor: User, comment: str) -> None:
    candidate.outcome_on = timezone.localdate()
    candidate.save(update_fields=["outcome_on", "updated_at"])
    organization_event_record(
        organization=candidate.organization,
        kind=EventKind.REACTIVATED,
        reason=EventReason.DORMANT_CLEANUP,
        on=candidate.outcome_on,
        details={"campaign": candidate.campaign_id},
    )


def deregistered_guard(candidate: DormantCandidate, actor: User) -> str | None:
    if candidate.organization.status != OrgStatus.DEREGISTERED:
        return _("该组织尚未办结注销登记。")
    return None


def outcome_recorded(candidate: DormantCandidate, actor: User, comment: str) -> None:
    candidate.outcome_on = candidate.organization.removed_on or timezone.localdate()
    candidate.save(update_fields=["outcome_on", "updated_at"])


def revocation_guard(candidate: DormantCandidate, actor: User) -> str | None:
    if not candidate.decision_document.strip():
        return _("请先填写撤销登记决定书文号。")
    return None


def revoked(candidate: DormantCandidate, actor: User, comment: str) -> None:
    """DO-2: revocation by law, with the decision document, as a public event."""
    organization_revoke(
        actor=actor,
        organization=candidate.organization,
        reason=EventReason.DORMANT_CLEANUP,
        decision_document=candidate.decision_document,
        details={"campaign": candidate.campaign_id, "criteria": candidate.criteria},
    )
    candidate.outcome_on = timezone.localdate()
    candidate.save(update_fields=["outcome_on", "updated_at"])


# --- complaints ----------------------------------------------------------------------------------


def complaint_triaged(complaint: Complaint, actor: User, comment: str) -> None:
    """The staff member who triages the complaint handles it from here on (and may read the
    complainant's identity)."""
    complaint.handler = actor
    complaint.triaged_on = timezone.localdate()
    complaint.save(update_fields=["handler", "triaged_on", "updated_at"])


def _route_target(complaint: Complaint) -> Department | None:
    """The department a route sends the complaint to: the handler's own choice (人工改派), or
    the one the responsibility map names."""
    if complaint.routed_by_hand:
        return complaint.department
    return complaint_selectors.responsible_department(complaint.organization)


def complaint_route_guard(complaint: Complaint, actor: User) -> str | None:
    if complaint.handler_id is not None and complaint.handler_id != actor.pk:
        return _("该投诉举报由 %(name)s 承办，只有承办人可以转办。") % {"name": complaint.handler}
    target = _route_target(complaint)
    if target is not None and target.pk == complaint.returned_by_id:
        return _(
            "%(department)s 已退回此件，说明不属其职责。请在“核查部门”中改派其他部门，"
            "或由登记管理机关自行核查。"
        ) % {"department": target.name}
    return None


def complaint_routed(complaint: Complaint, actor: User, comment: str) -> None:
    """Routed through the responsibility map to the department that answers for the
    organization (its supervisory unit or industry regulator where the map names none), or
    to the department the handler chose; the bureau verifies itself where no department does.
    The verification clock (CP-1) starts."""
    complaint.department = _route_target(complaint)
    complaint.routed_on = timezone.localdate()
    if complaint.handler_id is None:
        complaint.handler = actor
    complaint.save(update_fields=["department", "routed_on", "handler", "updated_at"])


def complaint_return_guard(complaint: Complaint, actor: User) -> str | None:
    """Only the department the complaint was routed to returns it, and only a department can:
    a complaint the bureau verifies itself is re-routed by its handler, not returned."""
    if complaint.department_id is None:
        return _("该投诉举报由登记管理机关自行核查，无需退回。")
    if actor.department_id != complaint.department_id:
        return _("该投诉举报已转 %(department)s 核查，只有该部门可以退回。") % {
            "department": complaint.department
        }
    return None


def complaint_returned(complaint: Complaint, actor: User, comment: str) -> None:
    """退回: the department says the complaint is not its responsibility (the comment is why).
    It goes back to its handler to be routed again, and the returning department loses sight
    of the complainant's identity; the same department is not chosen again by the map."""
    returning = complaint.department
    complaint.returned_by = returning
    complaint.department = None
    complaint.routed_on = None
    complaint.routed_by_hand = False
    complaint.save(
        update_fields=["returned_by", "department", "routed_on", "routed_by_hand", "updated_at"]
    )
    if complaint.handler_id is not None:
        handler_id = complaint.handler_id
        title = _("投诉举报被退回：%(subject)s") % {"subject": complaint.subject}
        body = _("%(department)s 退回：%(reason)s") % {
            "department": returning.name if returning else "",
            "reason": comment[:300],
        }
        transaction.on_commit(
            lambda: notice_send(
                recipients=[handler_id],
                title=title,
                body=body,
                link=reverse_or_none("supervision:complaint_detail", complaint.pk) or "",
                subject=f"complaint-returned-{complaint.pk}-{complaint.returned_by_id}",
            )
        )


def complaint_verify_guard(complaint: Complaint, actor: User) -> str | None:
    """Only the department the complaint was routed to verifies it; the bureau's officers
    verify the complaints no department answers for."""
    if complaint.department_id is None:
        if actor.role in DEPARTMENT_ROLES:
            return _("该投诉举报由登记管理机关自行核查。")
        return None
    if actor.department_id != complaint.department_id:
        return _("该投诉举报已转 %(department)s 核查，只有该部门可以反馈核查结果。") % {
            "department": complaint.department
        }
    return None


def _concluded(complaint: Complaint, result: str, findings: str) -> None:
    complaint.result = result
    complaint.findings = findings
    complaint.concluded_on = timezone.localdate()
    complaint.save(update_fields=["result", "findings", "concluded_on", "updated_at"])


def complaint_verified(complaint: Complaint, actor: User, comment: str) -> None:
    _concluded(complaint, ComplaintResult.VERIFIED, comment)


def complaint_not_verified(complaint: Complaint, actor: User, comment: str) -> None:
    _concluded(complaint, ComplaintResult.NOT_VERIFIED, comment)


def complaint_replied(complaint: Complaint, actor: User, comment: str) -> None:
    """The comment is the reply the complainant reads with the tracking code."""
    complaint.public_reply = comment
    complaint.replied_on = timezone.localdate()
    complaint.save(update_fields=["public_reply", "replied_on", "updated_at"])


def complaint_dismissed(complaint: Complaint, actor: User, comment: str) -> None:
    """Not taken up (not about a social organization, outside the bureau's remit): the reason
    is the reply, and the complaint is closed."""
    today = timezone.localdate()
    complaint.public_reply = comment
    complaint.replied_on = today
    complaint.closed_on = today
    complaint.save(update_fields=["public_reply", "replied_on", "closed_on", "updated_at"])


def complaint_closed(complaint: Complaint, actor: User, comment: str) -> None:
    complaint.closed_on = timezone.localdate()
    complaint.save(update_fields=["closed_on", "updated_at"])


# --- random inspections ------------------------------------------------------------------------


def plan_committed(plan: InspectionPlan, actor: User, comment: str) -> None:
    inspection_services.plan_freeze(plan=plan, actor=actor)


def draw_guard(plan: InspectionPlan, actor: User) -> str | None:
    if not inspection_services.seed_available(plan):
        return _("未找到该计划锁定时生成的随机种子，不能抽取。请联系系统管理员核查种子存放目录。")
    return None


def plan_drawn(plan: InspectionPlan, actor: User, comment: str) -> None:
    """Draw, and once committed have the public bundle built and stored in the background."""
    inspection_services.plan_reveal_and_draw(plan=plan, actor=actor)
    transaction.on_commit(partial(_bundle_enqueue, plan.pk))


def _bundle_enqueue(plan_id: int) -> None:
    # Until the task has run, the bundle is built from the pools on each request.
    try:
        tasks.plan_bundle_task.enqueue(plan_id=plan_id)
    except Exception:
        logger.exception("could not enqueue the bundle of inspection plan %s", plan_id)


# --- enforcement cases -----------------------------------------------------------------------


def case_investigation_started(case: Case, actor: User, comment: str) -> None:
    if case.handler_id is None:
        case.handler = actor
        case.save(update_fields=["handler", "updated_at"])


def _penalty_problem(case: Case) -> str | None:
    return case_rules.penalty_problem(
        case.penalty, case.fine_amount, case.suspension_months, case.legal_basis
    )


def case_notice_guard(case: Case, actor: User) -> str | None:
    return _penalty_problem(case)


def _issue(case: Case, actor: User, kind: str, paragraphs: tuple[str, ...]) -> str:
    org = case.organization
    number, _attachment = document_issue(
        actor=actor,
        owner_type=CASE_OWNER,
        owner_id=case.pk,
        kind=kind,
        organization_name=org.name,
        uscc=org.uscc or "",
        jurisdiction=org.jurisdiction,
        paragraphs=paragraphs,
        on=timezone.localdate(),
    )
    return number


def case_noticed(case: Case, actor: User, comment: str) -> None:
    """PN-1: the notice of intended penalty, with the statement deadline (the clock the engine
    opened) and, for a penalty carrying it, the hearing deadline."""
    today = timezone.localdate()
    where = case.organization.jurisdiction
    statement_days = int(param("PN-1.statement_working_days", on=today, jurisdiction=where))
    case.statement_due_on = calendar.due_date(today, statement_days, DayUnit.WORKING)
    if case.penalty in case_rules.HEARING_PENALTIES:
        hearing_days = int(param("PN-1.hearing_request_working_days", on=today, jurisdiction=where))
        case.hearing_due_on = calendar.due_date(today, hearing_days, DayUnit.WORKING)
    else:
        case.hearing_due_on = None
    case.noticed_on = today
    case.notice_number = _issue(
        case,
        actor,
        DocumentKind.PENALTY_NOTICE,
        case_rules.notice_paragraphs(
            facts=case.facts,
            legal_basis=case.legal_basis,
            penalty=case_rules.penalty_text(case.penalty, case.fine_amount, case.suspension_months),
            statement_due_on=case.statement_due_on,
            hearing_due_on=case.hearing_due_on,
        ),
    )
    case.save(
        update_fields=[
            "noticed_on",
            "statement_due_on",
            "hearing_due_on",
            "notice_number",
            "updated_at",
        ]
    )


def case_decide_guard(case: Case, actor: User) -> str | None:
    return _penalty_problem(case) or case_rules.decision_refusal(
        today=timezone.localdate(),
        penalty=case.penalty,
        statement_due_on=case.statement_due_on,
        hearing_due_on=case.hearing_due_on,
        statement_received_on=case.statement_received_on,
        statement_answer=case.statement_answer,
        hearing_requested=case.hearing_requested,
        hearing_held_on=case.hearing_held_on,
    )


def case_decided(case: Case, actor: User, comment: str) -> None:
    """The penalty decision, numbered and stored; a suspension or a revocation takes effect on
    the organization (status, public event with its coded reason); a revocation adds its
    principals to the restricted-persons list (PN-3). A revocation of a cleanup candidate goes
    through the candidate's own decision, so it counts in the campaign's figures (DO-2)."""
    today = timezone.localdate()
    case.decided_on = today
    case.decision_number = _issue(
        case,
        actor,
        DocumentKind.PENALTY_DECISION,
        case_rules.decision_paragraphs(
            facts=case.facts,
            legal_basis=case.legal_basis,
            penalty=case_rules.penalty_text(case.penalty, case.fine_amount, case.suspension_months),
            statement=case.statement,
            answer=case.statement_answer,
        ),
    )
    case.save(update_fields=["decided_on", "decision_number", "updated_at"])
    org = case.organization
    details = {"case": case.pk}
    if case.penalty == "suspension":
        organization_suspend(
            actor=actor,
            organization=org,
            reason=EventReason.PENALTY,
            decision_document=case.decision_number,
            on=today,
            details={**details, "months": case.suspension_months},
        )
    elif case.penalty == "revocation":
        candidate = _revocation_candidate(case)
        if candidate is not None:
            candidate.decision_document = case.decision_number
            candidate.save(update_fields=["decision_document", "updated_at"])
            follow(
                process=get_process("dormant_candidate"),
                obj=candidate,
                action="revoke",
                actor=actor,
                comment=case.decision_number,
            )
            reason = EventReason.DORMANT_CLEANUP
        else:
            reason = EventReason.PENALTY
            organization_revoke(
                actor=actor,
                organization=org,
                reason=reason,
                decision_document=case.decision_number,
                details=details,
            )
        restricted_persons_add(
            actor=actor,
            organization=org,
            reason=reason,
            decision_number=case.decision_number,
            on=today,
        )


def _revocation_candidate(case: Case) -> DormantCandidate | None:
    if case.source != CaseSource.CAMPAIGN or case.source_type != "supervision.dormant_candidate":
        return None
    return (
        DormantCandidate.objects.filter(
            pk=int(case.source_id or 0),
            organization_id=case.organization_id,
            state=CandidateState.REVOCATION,
        )
        .select_related("organization")
        .first()
    )


def case_served(case: Case, actor: User, comment: str) -> None:
    case.served_on = timezone.localdate()
    case.save(update_fields=["served_on", "updated_at"])


def case_executed(case: Case, actor: User, comment: str) -> None:
    case.executed_on = timezone.localdate()
    case.save(update_fields=["executed_on", "updated_at"])


def case_closed(case: Case, actor: User, comment: str) -> None:
    case.closed_on = timezone.localdate()
    case.save(update_fields=["closed_on", "updated_at"])
