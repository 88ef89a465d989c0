"""Workflow processes of supervision, declared as data: the annual report (AR-*), the credit
listing (CR-*) and the dormant-organization candidate (DO-2). Who may fire each action comes
from the permission table (``core.access.roles_with``); what an action checks and does is in
``effects.py``.

Annual report: draft → unit_review (dual management only, AR-1) → bureau_review → concluded
(pass, basic pass or fail, AR-3) → published; either reviewer may return it (→ returned), and
the organization submits again. Each "submit" exists twice (to the unit, to the bureau) so that
every transition keeps a fixed target; the guard offers only the one that fits the report.

Credit listing: noticed (the organization was told the ground and evidence and may answer)
→ listed when the window ends without a cure, or → cancelled when the answer cures it; listed
→ delisting_requested (the organization applies, CR-3) → delisted or back to listed; listed →
delisted by an officer (correction) or by the sweep (CR-3's automatic delisting, CR-5, a move
to the serious list). The sweep's own actions are held by no role.

Dormant candidate: identified → rectifying (notice with a deadline) → reactivated; identified
or rectifying → guided_deregistration → deregistered; → revocation → revoked (the division
head's decision with its document); → dismissed when the evidence does not hold.

Complaint: received → triaged (a staff member takes it up and handles it) → routed (to the
department the responsibility map names, or the one the handler chose instead; the CP-1 clock
runs) → concluded (the department
finds it verified or not, the comment being its findings) → replied (the comment is the reply
the complainant reads by tracking code) → closed; a department that finds the complaint is not
its responsibility returns it (routed → triaged, with the reason) and the handler routes it
again; a complaint not taken up is dismissed with
its reply (→ closed).

Random-inspection plan (RI-*): draft → committed (both pools frozen, the seed's commitment and
the pool hash published) → drawn (the seed revealed, the organizations and their inspectors
drawn). Neither step can be repeated or undone: the engine refuses a draw before commitment
and a second draw.

Enforcement case (行政处罚): opened → investigating (evidence) → noticed (the notice of intended
penalty; the PN-1 statement clock runs) → decided (the division head's penalty decision: not
before the statement period has run unless the statement came in and was answered, nor before a
requested hearing) → served → executed → closed; a case that finds no penalty is closed by the
division head with the reason."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socorg.core.access import roles_with
from socorg.core.models import DayUnit
from socorg.core.workflow import Action, Clock, Process, register
from socorg.supervision import access, effects
from socorg.supervision.models import (
    AnnualReport,
    AnnualReportState,
    CandidateState,
    Case,
    CaseState,
    Complaint,
    ComplaintState,
    CreditListing,
    DormantCandidate,
    InspectionPlan,
    ListingState,
    PlanState,
)

R = AnnualReportState

ANNUAL_REPORT = register(
    Process(
        name="annual_report",
        label=_("年度报告"),
        model=AnnualReport,
        states=dict(AnnualReportState.choices),
        initial=R.DRAFT,
        access=access.access_annual_report,
        scope=access.scope_annual_reports,
        jurisdiction=lambda report: report.organization.jurisdiction,
        final_states=frozenset({R.PUBLISHED}),
        actions=(
            Action(
                name="submit_to_unit",
                label=_("报送业务主管单位"),
                sources=(R.DRAFT, R.RETURNED),
                target=R.UNIT_REVIEW,
                roles=roles_with("annual_report.file"),
                guard=effects.submit_to_unit_guard,
                effect=effects.report_submitted,
            ),
            Action(
                name="submit_to_bureau",
                label=_("报送登记管理机关"),
                sources=(R.DRAFT, R.RETURNED),
                target=R.BUREAU_REVIEW,
                roles=roles_with("annual_report.file"),
                guard=effects.submit_to_bureau_guard,
                effect=effects.report_submitted,
            ),
            Action(
                name="unit_pass",
                label=_("初审同意，转登记管理机关"),
                sources=(R.UNIT_REVIEW,),
                target=R.BUREAU_REVIEW,
                roles=roles_with("annual_report.unit_review"),
                guard=effects.unit_guard,
                style="success",
            ),
            Action(
                name="unit_return",
                label=_("退回修改"),
                sources=(R.UNIT_REVIEW,),
                target=R.RETURNED,
                roles=roles_with("annual_report.unit_review"),
                guard=effects.unit_guard,
                comment_required=True,
                style="warning",
            ),
            Action(
                name="bureau_return",
                label=_("退回修改"),
                sources=(R.BUREAU_REVIEW,),
                target=R.RETURNED,
                roles=roles_with("annual_report.review"),
                comment_required=True,
                style="warning",
            ),
            Action(
                name="conclude_pass",
                label=_("结论：合格"),
                sources=(R.BUREAU_REVIEW,),
                target=R.CONCLUDED,
                roles=roles_with("annual_report.conclude"),
                guard=effects.pass_guard,
                effect=effects.concluded_pass,
                style="success",
            ),
            Action(
                name="conclude_basic_pass",
                label=_("结论：基本合格"),
                sources=(R.BUREAU_REVIEW,),
                target=R.CONCLUDED,
                roles=roles_with("annual_report.conclude"),
                guard=effects.pass_guard,
                comment_required=True,
                effect=effects.concluded_basic_pass,
            ),
            Action(
                name="conclude_fail",
                label=_("结论：不合格"),
                sources=(R.BUREAU_REVIEW,),
                target=R.CONCLUDED,
                roles=roles_with("annual_report.conclude"),
                comment_required=True,
                effect=effects.concluded_fail,
                style="danger",
            ),
            Action(
                name="publish",
                label=_("公布结论"),
                sources=(R.CONCLUDED,),
                target=R.PUBLISHED,
                roles=roles_with("annual_report.publish"),
                effect=effects.conclusion_published,
            ),
        ),
    )
)

L = ListingState

CREDIT_LISTING = register(
    Process(
        name="credit_listing",
        label=_("信用名录"),
        model=CreditListing,
        states=dict(ListingState.choices),
        initial=L.NOTICED,
        access=access.access_listing,
        scope=access.scope_listings,
        jurisdiction=lambda listing: listing.organization.jurisdiction,
        # CR-3: a delisting application is decided within 5 working days of verification.
        clocks=(
            Clock(
                state=L.DELISTING_REQUESTED,
                param="CR-3.delisting_working_days",
                unit=DayUnit.WORKING,
                rule_id="CR-3",
            ),
        ),
        final_states=frozenset({L.CANCELLED, L.DELISTED}),
        actions=(
            Action(
                name="take_effect",
                label=_("告知期满，列入名录"),
                sources=(L.NOTICED,),
                target=L.LISTED,
                roles=roles_with("credit.sweep"),
                effect=effects.listing_took_effect,
                bulk_effect=effects.listings_took_effect,
            ),
            Action(
                name="cancel",
                label=_("已纠正，不予列入"),
                sources=(L.NOTICED,),
                target=L.CANCELLED,
                roles=roles_with("credit.delist") | roles_with("credit.sweep"),
                comment_required=True,
                effect=effects.listing_cancelled,
                bulk_effect=effects.listings_cancelled,
                style="secondary",
            ),
            Action(
                name="apply_delisting",
                label=_("申请移出"),
                sources=(L.LISTED,),
                target=L.DELISTING_REQUESTED,
                roles=roles_with("credit.respond"),
                comment_required=True,
            ),
            Action(
                name="approve_delisting",
                label=_("核实通过，移出名录"),
                sources=(L.DELISTING_REQUESTED,),
                target=L.DELISTED,
                roles=roles_with("credit.delist"),
                guard=effects.delisting_guard,
                effect=effects.delisted_on_application,
                style="success",
            ),
            Action(
                name="refuse_delisting",
                label=_("不予移出"),
                sources=(L.DELISTING_REQUESTED,),
                target=L.LISTED,
                roles=roles_with("credit.delist"),
                comment_required=True,
                style="danger",
            ),
            Action(
                name="delist",
                label=_("依法更正，移出名录"),
                sources=(L.LISTED,),
                target=L.DELISTED,
                roles=roles_with("credit.delist"),
                comment_required=True,
                effect=effects.delisted_by_correction,
                style="warning",
            ),
            Action(
                name="expire",
                label=_("期满移出"),
                sources=(L.LISTED,),
                target=L.DELISTED,
                roles=roles_with("credit.sweep"),
                effect=effects.delisted_by_sweep,
                bulk_effect=effects.listings_delisted_by_sweep,
            ),
        ),
    )
)

C = CandidateState
OPEN_CANDIDATE = (C.IDENTIFIED, C.RECTIFYING)

DORMANT_CANDIDATE = register(
    Process(
        name="dormant_candidate",
        label=_("僵尸型社会组织处置"),
        model=DormantCandidate,
        states=dict(CandidateState.choices),
        initial=C.IDENTIFIED,
        access=access.access_candidate,
        scope=access.scope_candidates,
        jurisdiction=lambda candidate: candidate.organization.jurisdiction,
        final_states=frozenset({C.REACTIVATED, C.DEREGISTERED, C.REVOKED, C.DISMISSED}),
        actions=(
            Action(
                name="notify_rectification",
                label=_("下发限期整改通知"),
                sources=(C.IDENTIFIED,),
                target=C.RECTIFYING,
                roles=roles_with("campaign.manage"),
                guard=effects.rectification_guard,
                effect=effects.rectification_notified,
            ),
            Action(
                name="confirm_reactivated",
                label=_("整改到位，确认激活"),
                sources=(C.RECTIFYING,),
                target=C.REACTIVATED,
                roles=roles_with("campaign.manage"),
                comment_required=True,
                effect=effects.reactivated,
                style="success",
            ),
            Action(
                name="guide_deregistration",
                label=_("引导注销"),
                sources=OPEN_CANDIDATE,
                target=C.GUIDED_DEREGISTRATION,
                roles=roles_with("campaign.manage"),
                comment_required=True,
                style="secondary",
            ),
            Action(
                name="record_deregistered",
                label=_("确认已注销"),
                sources=(C.GUIDED_DEREGISTRATION,),
                target=C.DEREGISTERED,
                roles=roles_with("campaign.manage"),
                guard=effects.deregistered_guard,
                effect=effects.outcome_recorded,
            ),
            Action(
                name="propose_revocation",
                label=_("提请撤销登记"),
                sources=OPEN_CANDIDATE,
                target=C.REVOCATION,
                roles=roles_with("campaign.manage"),
                comment_required=True,
                style="danger",
            ),
            Action(
                name="revoke",
                label=_("决定撤销登记"),
                sources=(C.REVOCATION,),
                target=C.REVOKED,
                roles=roles_with("campaign.decide"),
                guard=effects.revocation_guard,
                comment_required=True,
                effect=effects.revoked,
                style="danger",
            ),
            Action(
                name="dismiss",
                label=_("经核实排除"),
                sources=(C.IDENTIFIED, C.RECTIFYING, C.REVOCATION),
                target=C.DISMISSED,
                roles=roles_with("campaign.manage") | roles_with("campaign.decide"),
                comment_required=True,
                style="secondary",
            ),
        ),
    )
)

P = ComplaintState

COMPLAINT = register(
    Process(
        name="complaint",
        label=_("投诉举报"),
        model=Complaint,
        states=dict(ComplaintState.choices),
        initial=P.RECEIVED,
        access=access.access_complaint,
        scope=access.scope_complaints,
        jurisdiction=lambda complaint: complaint.organization.jurisdiction,
        # CP-1: the routed department verifies and reports back within the clock.
        clocks=(
            Clock(
                state=P.ROUTED,
                param="CP-1.verification_working_days",
                unit=DayUnit.WORKING,
                rule_id="CP-1",
            ),
        ),
        final_states=frozenset({P.CLOSED}),
        actions=(
            Action(
                name="triage",
                label=_("受理"),
                sources=(P.RECEIVED,),
                target=P.TRIAGED,
                roles=roles_with("complaint.handle"),
                effect=effects.complaint_triaged,
            ),
            Action(
                name="dismiss",
                label=_("不予受理并答复"),
                sources=(P.RECEIVED, P.TRIAGED),
                target=P.CLOSED,
                roles=roles_with("complaint.handle"),
                comment_required=True,
                effect=effects.complaint_dismissed,
                style="secondary",
            ),
            Action(
                name="route",
                label=_("转责任部门核查"),
                sources=(P.TRIAGED,),
                target=P.ROUTED,
                roles=roles_with("complaint.handle"),
                guard=effects.complaint_route_guard,
                effect=effects.complaint_routed,
            ),
            Action(
                name="confirm",
                label=_("核查属实"),
                sources=(P.ROUTED,),
                target=P.CONCLUDED,
                roles=roles_with("complaint.verify"),
                guard=effects.complaint_verify_guard,
                comment_required=True,
                effect=effects.complaint_verified,
                style="danger",
            ),
            Action(
                name="refute",
                label=_("核查不属实"),
                sources=(P.ROUTED,),
                target=P.CONCLUDED,
                roles=roles_with("complaint.verify"),
                guard=effects.complaint_verify_guard,
                comment_required=True,
                effect=effects.complaint_not_verified,
                style="success",
            ),
            Action(
                name="return",
                label=_("退回（不属本部门职责）"),
                sources=(P.ROUTED,),
                target=P.TRIAGED,
                roles=roles_with("complaint.verify"),
                guard=effects.complaint_return_guard,
                comment_required=True,
                effect=effects.complaint_returned,
                style="warning",
            ),
            Action(
                name="reply",
                label=_("答复投诉人"),
                sources=(P.CONCLUDED,),
                target=P.REPLIED,
                roles=roles_with("complaint.handle"),
                comment_required=True,
                effect=effects.complaint_replied,
            ),
            Action(
                name="close",
                label=_("办结"),
                sources=(P.REPLIED,),
                target=P.CLOSED,
                roles=roles_with("complaint.handle"),
                effect=effects.complaint_closed,
                style="secondary",
            ),
        ),
    )
)

PS = PlanState

INSPECTION_PLAN = register(
    Process(
        name="inspection_plan",
        label=_("随机抽查计划"),
        model=InspectionPlan,
        states=dict(PlanState.choices),
        initial=PS.DRAFT,
        access=access.access_plan,
        scope=access.scope_plans,
        jurisdiction=lambda plan: plan.jurisdiction,
        final_states=frozenset({PS.DRAWN}),
        actions=(
            Action(
                name="commit",
                label=_("锁定名录库并公布承诺值"),
                sources=(PS.DRAFT,),
                target=PS.COMMITTED,
                roles=roles_with("inspection.plan"),
                effect=effects.plan_committed,
            ),
            Action(
                name="draw",
                label=_("公开种子并抽取"),
                sources=(PS.COMMITTED,),
                target=PS.DRAWN,
                roles=roles_with("inspection.draw"),
                guard=effects.draw_guard,
                effect=effects.plan_drawn,
                style="success",
            ),
        ),
    )
)

K = CaseState

CASE = register(
    Process(
        name="case",
        label=_("行政处罚案件"),
        model=Case,
        states=dict(CaseState.choices),
        initial=K.OPENED,
        access=access.access_case,
        scope=access.scope_cases,
        jurisdiction=lambda case: case.organization.jurisdiction,
        # PN-1: the party's statement (陈述申辩) within the clock after the notice.
        clocks=(
            Clock(
                state=K.NOTICED,
                param="PN-1.statement_working_days",
                unit=DayUnit.WORKING,
                rule_id="PN-1",
            ),
        ),
        final_states=frozenset({K.CLOSED}),
        actions=(
            Action(
                name="investigate",
                label=_("开始调查取证"),
                sources=(K.OPENED,),
                target=K.INVESTIGATING,
                roles=roles_with("case.handle"),
                effect=effects.case_investigation_started,
            ),
            Action(
                name="notify",
                label=_("送达行政处罚事先告知书"),
                sources=(K.INVESTIGATING,),
                target=K.NOTICED,
                roles=roles_with("case.handle"),
                guard=effects.case_notice_guard,
                effect=effects.case_noticed,
                style="warning",
            ),
            Action(
                name="decide",
                label=_("作出行政处罚决定"),
                sources=(K.NOTICED,),
                target=K.DECIDED,
                roles=roles_with("case.decide"),
                guard=effects.case_decide_guard,
                effect=effects.case_decided,
                style="danger",
            ),
            Action(
                name="serve",
                label=_("决定书已送达"),
                sources=(K.DECIDED,),
                target=K.SERVED,
                roles=roles_with("case.handle"),
                effect=effects.case_served,
            ),
            Action(
                name="execute",
                label=_("处罚已执行"),
                sources=(K.SERVED,),
                target=K.EXECUTED,
                roles=roles_with("case.handle"),
                comment_required=True,
                effect=effects.case_executed,
                style="success",
            ),
            Action(
                name="close",
                label=_("结案"),
                sources=(K.EXECUTED,),
                target=K.CLOSED,
                roles=roles_with("case.handle"),
                effect=effects.case_closed,
                style="secondary",
            ),
            Action(
                name="close_without_penalty",
                label=_("不予处罚，结案"),
                sources=(K.OPENED, K.INVESTIGATING, K.NOTICED),
                target=K.CLOSED,
                roles=roles_with("case.decide"),
                comment_required=True,
                effect=effects.case_closed,
                style="secondary",
            ),
        ),
    )
)
