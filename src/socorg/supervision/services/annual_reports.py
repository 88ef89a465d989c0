"""Writes of annual reports (AR-*): the organization opens the report of a year (pre-filled
from last year's), saves drafts, attaches its audit report; the bureau marks falsified
materials (AR-3) and revises a recent conclusion (AR-4). Submission, review and conclusion are
the process's actions (``core.workflow.fire``). Keyword-only, one transaction each, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, workflow
from socorg.core.attachments import attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import Attachment, User
from socorg.core.params import param
from socorg.core.text import control_problem
from socorg.registry.models import EventKind, EventReason, ManagementMode, Organization, OrgStatus
from socorg.registry.services.organizations import organization_event_record
from socorg.supervision.access import ANNUAL_REPORT_OWNER
from socorg.supervision.models import AnnualReport, AnnualReportState, Conclusion
from socorg.supervision.processes import ANNUAL_REPORT
from socorg.supervision.rules import annual_reports as rules

S = AnnualReportState
EDITABLE = (S.DRAFT, S.RETURNED)
REVIEWING = (S.UNIT_REVIEW, S.BUREAU_REVIEW)
AUDIT_REPORT_KINDS = {"pdf"}
REASON_MAX = 2000
DUE_KEYS = ("supervisory_unit_due", "authority_due", "foundation_due")


def ratio_limits(organization: Organization) -> rules.RatioLimits:
    """RG-12's parameters in force for the organization's jurisdiction."""
    where = organization.jurisdiction
    return rules.RatioLimits(
        public_min_spending=Decimal(
            str(param("RG-12.public_min_spending_ratio", jurisdiction=where))
        ),
        non_public_min_spending=Decimal(
            str(param("RG-12.non_public_min_spending_ratio", jurisdiction=where))
        ),
        max_staff_admin=Decimal(str(param("RG-12.max_staff_admin_ratio", jurisdiction=where))),
    )


def due_on(organization: Organization, year: int) -> date:
    """AR-1: when the organization's report for ``year`` is due."""
    where = organization.jurisdiction
    return rules.filing_due(
        year=year,
        org_type=organization.org_type,
        dual_management=organization.management_mode == ManagementMode.DUAL_MANAGEMENT
        and organization.supervisory_unit_id is not None,
        dates={key: str(param(f"AR-1.{key}", jurisdiction=where)) for key in DUE_KEYS},
    )


def year_problem(organization: Organization, year: int, today: date) -> str | None:
    """Why the organization cannot open its report for ``year`` (None when it can): the year
    is not over yet (a report for Y opens on Y+1-01-01), or AR-2 says it need not file."""
    if year >= today.year:
        return _("%(year)s 年度的年度报告自 %(next)s 年 1 月 1 日起方可填报。") % {
            "year": year,
            "next": year + 1,
        }
    if organization.org_type not in rules.ALL_TYPES:
        return _("本类型组织不报送年度报告。")
    min_months = int(
        param("AR-2.min_months_before_year_end", jurisdiction=organization.jurisdiction)
    )
    if not rules.must_file(
        established_on=organization.established_on,
        removed_on=organization.removed_on,
        year=year,
        min_months=min_months,
    ):
        return _("本组织无需报送 %(year)s 年度的年度报告。") % {"year": year}
    return None


def annual_report_start(*, actor: User, year: int) -> AnnualReport:
    """Open the organization's report for ``year`` as a draft, pre-filled from last year's
    report (AR-1, AR-2). Refuses a year not yet open, a year the organization need not file and
    a second report for the same year."""
    access.require_perm(actor, "annual_report.file")
    organization = actor.organization
    if organization is None:
        raise PermissionDenied(_("只有社会组织账号可以填报年度报告。"))
    if organization.status != OrgStatus.REGISTERED:
        raise ValidationError(
            {
                "year": [
                    _("本组织当前状态为“%(s)s”，不能填报。")
                    % {"s": organization.get_status_display()}
                ]
            }
        )
    if problem := year_problem(organization, year, timezone.localdate()):
        raise ValidationError({"year": [problem]})
    last = AnnualReport.objects.filter(organization=organization, year=year - 1).first()
    report = AnnualReport(
        organization=organization,
        year=year,
        org_type=organization.org_type,
        management_mode=organization.management_mode,
        supervisory_unit_id=organization.supervisory_unit_id,
        data=rules.prefill(organization.org_type, last.data) if last else {},
        due_on=due_on(organization, year),
    )
    _recompute(report, rules.clean_data(report.org_type, report.data)[0])
    try:
        with transaction.atomic():
            report.save(force_insert=True)
            audit_record(
                actor=actor,
                action="annual_report.start",
                obj=report,
                after={"year": year, "prefilled_from": last.pk if last else None},
            )
    except IntegrityError:
        raise ValidationError(
            {"year": [_("%(year)s 年度的年度报告已经存在。") % {"year": year}]}
        ) from None
    return report


def annual_report_file(*, actor: User, year: int, data: dict[str, Any]) -> AnnualReport:
    """Open the year's report and save ``data`` over the pre-filled draft, in one transaction:
    a refused value leaves nothing behind."""
    with transaction.atomic():
        report = annual_report_start(actor=actor, year=year)
        if data:
            merged = {**report.data, **data}
            annual_report_save(actor=actor, report=report, data=merged)
    return report


def annual_report_save(*, actor: User, report: AnnualReport, data: dict[str, Any]) -> AnnualReport:
    """Save the report's content (a draft, or a returned report being corrected). Values of the
    wrong kind or out of bounds are refused field by field (``ValidationError``) and nothing is
    saved; consistency problems do not stop a draft (they stop the submission). The flags,
    the automatic fail grounds and the column figures are recomputed."""
    _require_owner(actor, report)
    if report.state not in EDITABLE:
        raise ValidationError(
            {"data": [_("年度报告已报送，当前不能修改。")]},
        )
    values, problems = rules.clean_data(report.org_type, data)
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})
    before = report.data
    report.data = values
    _recompute(report, values)
    with transaction.atomic():
        # The state is part of the condition: a report submitted meanwhile is not overwritten.
        updated = AnnualReport.objects.filter(pk=report.pk, state__in=EDITABLE).update(
            data=report.data,
            flags=report.flags,
            auto_fail=report.auto_fail,
            total_income=report.total_income,
            total_expenses=report.total_expenses,
            net_assets=report.net_assets,
            activities_held=report.activities_held,
            updated_at=timezone.now(),
        )
        if updated != 1:
            raise workflow.StaleState(_("年度报告已报送，您的修改未保存，请刷新后查看。"))
        audit_record(
            actor=actor,
            action="annual_report.save",
            obj=report,
            before={"data": before},
            after={"data": values},
        )
    return report


def _recompute(report: AnnualReport, values: dict[str, Any]) -> None:
    flags = rules.ratio_flags(report.org_type, values, ratio_limits(report.organization))
    flags["problems"] = sorted(rules.filing_problems(report.org_type, values))
    report.flags = flags
    falsified = rules.AutoFail.FALSIFIED in (report.auto_fail or [])
    report.auto_fail = rules.auto_fail_grounds(values, falsified=falsified)
    for key, value in rules.column_figures(values).items():
        setattr(report, key, value)


def _require_owner(actor: User, report: AnnualReport) -> None:
    access.require_perm(actor, "annual_report.file")
    if actor.organization_id is None or actor.organization_id != report.organization_id:
        raise PermissionDenied(_("只有本组织可以填报其年度报告。"))


def audit_report_attach(*, actor: User, report: AnnualReport, upload: UploadedFile) -> Attachment:
    """Attach the audit report (PDF, type and size checked by ``core.attachments``); required
    before submission."""
    _require_owner(actor, report)
    if report.state not in EDITABLE:
        raise ValidationError({"file": [_("年度报告已报送，当前不能上传附件。")]})
    with transaction.atomic():
        attachment = attachment_store(
            actor=actor,
            upload=upload,
            owner_type=ANNUAL_REPORT_OWNER,
            owner_id=report.pk,
            allowed=AUDIT_REPORT_KINDS,
        )
        audit_record(
            actor=actor,
            action="annual_report.audit_report",
            obj=report,
            after={"attachment": attachment.pk, "sha256": attachment.sha256},
        )
    return attachment


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [_("请填写理由。")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({field: [_("理由不能超过 %(n)s 个字。") % {"n": REASON_MAX}]})
    if problem := control_problem(reason):
        raise ValidationError({field: [problem]})
    return reason


def annual_report_mark_falsified(
    *, actor: User, report: AnnualReport, falsified: bool, reason: str
) -> AnnualReport:
    """AR-3: the bureau's reviewer finds (or withdraws the finding) that the report rests on
    falsified materials; the report can then only fail."""
    access.require_perm(actor, "annual_report.review")
    if report.state != S.BUREAU_REVIEW:
        raise ValidationError({"reason": [_("只能在登记管理机关审查期间作出此认定。")]})
    reason = _reason(reason)
    before = list(report.auto_fail or [])
    grounds = [g for g in before if g != rules.AutoFail.FALSIFIED]
    if falsified:
        grounds.insert(0, str(rules.AutoFail.FALSIFIED))
    report.auto_fail = grounds
    with transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(
            auto_fail=grounds, updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="annual_report.falsified",
            obj=report,
            before={"auto_fail": before},
            after={"auto_fail": grounds, "reason": reason},
        )
    return report


def annual_report_revise_conclusion(
    *, actor: User, report: AnnualReport, conclusion: str, reason: str
) -> AnnualReport:
    """AR-4: the conclusion of one of the last ``AR-4.revisable_years`` years is revised, with
    a reason; the organization's history records the revision."""
    access.require_perm(actor, "annual_report.revise")
    if report.state not in (S.CONCLUDED, S.PUBLISHED) or not report.conclusion:
        raise ValidationError({"conclusion": [_("该年度报告尚未作出结论。")]})
    if conclusion not in Conclusion.values:
        raise ValidationError({"conclusion": [_("请选择结论。")]})
    if conclusion == report.conclusion:
        raise ValidationError({"conclusion": [_("新结论与原结论相同。")]})
    if conclusion != Conclusion.FAIL and report.auto_fail:
        raise ValidationError(
            {"conclusion": [_("该报告存在应当认定为不合格的情形，只能作出“不合格”结论。")]}
        )
    today = timezone.localdate()
    years = int(param("AR-4.revisable_years", jurisdiction=report.organization.jurisdiction))
    if report.year < today.year - years:
        raise ValidationError(
            {
                "conclusion": [
                    _("只能更正最近 %(n)s 个年度的年检结论。") % {"n": years},
                ]
            }
        )
    reason = _reason(reason)
    before = {"conclusion": report.conclusion, "reasons": report.conclusion_reasons}
    report.conclusion = conclusion
    report.conclusion_reasons = reason
    report.concluded_on = today
    report.concluded_by = actor
    with transaction.atomic():
        report.save(
            update_fields=[
                "conclusion",
                "conclusion_reasons",
                "concluded_on",
                "concluded_by",
                "updated_at",
            ]
        )
        organization_event_record(
            organization=report.organization,
            kind=EventKind.ANNUAL_REPORT_REVISED,
            reason=EventReason.ANNUAL_INSPECTION,
            on=today,
            details={
                "year": report.year,
                "conclusion": conclusion,
                "previous": before["conclusion"],
            },
            is_public=report.state == S.PUBLISHED,
        )
        audit_record(
            actor=actor,
            action="annual_report.revise",
            obj=report,
            before=before,
            after={"conclusion": conclusion, "reasons": reason},
        )
    return report


def annual_report_fire(
    *, actor: User, report_id: int, action: str, comment: str = "", expected_state: str = ""
) -> AnnualReport:
    """One action of the annual-report process (submit, review, conclude, publish)."""
    return workflow.fire(
        process=ANNUAL_REPORT,
        key=report_id,
        action=action,
        actor=actor,
        comment=comment,
        expected_state=expected_state or None,
    )
