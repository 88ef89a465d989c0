"""Data scope of supervision: which annual reports, credit listings, campaigns, candidates and
complaints a user may see. Built on the registry's organization scope: whoever may see an organization may
see its supervision records, if their role may read that kind of record."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from socorg.core.access import has_perm, jurisdiction_ids_in_scope, require_perm
from socorg.core.attachments import attachment_owner_register
from socorg.core.models import Jurisdiction, Role, User
from socorg.registry.access import in_organization_scope, scope_organizations
from socorg.registry.models import Organization, OrgStatus
from socorg.supervision.models import (
    AnnualReport,
    Case,
    CleanupCampaign,
    Complaint,
    ContactAttempt,
    CreditListing,
    DormantCandidate,
    InspectionFinding,
    InspectionPlan,
    PlanAssignment,
    PlanOrganization,
    PlanState,
)
from socorg.supervision.rules.progress import FILING_TYPES


def scope_annual_reports(user: User) -> QuerySet[AnnualReport]:
    if not has_perm(user, "annual_report.view"):
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(in_organization_scope(user))


def scope_filers(user: User) -> QuerySet[Organization]:
    """Organizations whose filing the user follows: the registered organizations of the filing
    types (AR-2) in the user's registry scope; an organization account its own."""
    if not has_perm(user, "annual_report.view"):
        return Organization.objects.none()
    return (
        scope_organizations(user).filter(org_type__in=FILING_TYPES).exclude(status=OrgStatus.FILED)
    )


def access_annual_report(user: User, pk: int | str, *, write: bool = False) -> AnnualReport:
    """The report if the user may see it (404 otherwise); ``write`` also needs the
    organization's right to file."""
    report = (
        scope_annual_reports(user)
        .select_related("organization", "supervisory_unit")
        .filter(pk=_int(pk))
        .first()
    )
    if report is None:
        raise Http404(_("未找到该年度报告。"))
    if write:
        require_perm(user, "annual_report.file")
    return report


# Owner type of the audit reports attached to annual reports (``core.attachments``).
ANNUAL_REPORT_OWNER = "supervision.annual_report"


def scope_listings(user: User) -> QuerySet[CreditListing]:
    if not has_perm(user, "credit.view"):
        return CreditListing.objects.none()
    return CreditListing.objects.filter(in_organization_scope(user))


def access_listing(user: User, pk: int | str) -> CreditListing:
    listing = scope_listings(user).select_related("organization").filter(pk=_int(pk)).first()
    if listing is None:
        raise Http404(_("未找到该信用名录记录。"))
    return listing


def scope_contact_attempts(user: User) -> QuerySet[ContactAttempt]:
    """Attempts to reach the organizations in scope, for those who record them."""
    if not has_perm(user, "contact.record"):
        return ContactAttempt.objects.none()
    return ContactAttempt.objects.filter(in_organization_scope(user))


def scope_campaigns(user: User) -> QuerySet[CleanupCampaign]:
    """Campaigns of the user's jurisdiction subtree and of the jurisdictions above it (a city
    campaign concerns its districts' staff too; they see their own organizations in it)."""
    if not has_perm(user, "campaign.view") or user.jurisdiction_id is None:
        return CleanupCampaign.objects.none()
    path = Jurisdiction.objects.values_list("path", flat=True).get(pk=user.jurisdiction_id)
    ancestors = [code for code in path.split("/") if code]
    return CleanupCampaign.objects.filter(
        Q(jurisdiction_id__in=jurisdiction_ids_in_scope(user)) | Q(jurisdiction__code__in=ancestors)
    )


def access_campaign(user: User, pk: int | str) -> CleanupCampaign:
    campaign = scope_campaigns(user).filter(pk=_int(pk)).first()
    if campaign is None:
        raise Http404(_("未找到该专项行动。"))
    return campaign


def scope_candidates(user: User) -> QuerySet[DormantCandidate]:
    return DormantCandidate.objects.filter(
        campaign__in=scope_campaigns(user), organization__in=scope_organizations(user)
    )


def access_candidate(user: User, pk: int | str) -> DormantCandidate:
    candidate = (
        scope_candidates(user)
        .select_related("organization", "campaign")
        .filter(pk=_int(pk))
        .first()
    )
    if candidate is None:
        raise Http404(_("未找到该线索。"))
    return candidate


def scope_complaints(user: User) -> QuerySet[Complaint]:
    """Bureau staff: the complaints about the organizations of their jurisdiction subtree; a
    department liaison: only the complaints routed to their department, and the ones it
    returned (to see what became of them; the complainant's identity stays hidden)."""
    if not has_perm(user, "complaint.view"):
        return Complaint.objects.none()
    if user.role == Role.DEPARTMENT_LIAISON:
        if user.department_id is None:
            return Complaint.objects.none()
        return Complaint.objects.filter(
            Q(department_id=user.department_id) | Q(returned_by_id=user.department_id)
        )
    return Complaint.objects.filter(in_organization_scope(user))


def access_complaint(user: User, pk: int | str) -> Complaint:
    complaint = (
        scope_complaints(user)
        .select_related("organization", "department", "handler")
        .filter(pk=_int(pk))
        .first()
    )
    if complaint is None:
        raise Http404(_("未找到该投诉举报。"))
    return complaint


def may_read_identity(user: User, complaint: Complaint) -> bool:
    """The complainant's identity is for the assigned handlers only: the bureau staff member
    handling the complaint and the liaison of the department it was routed to."""
    if not has_perm(user, "complaint.view"):
        return False
    if complaint.handler_id is not None and complaint.handler_id == user.pk:
        return True
    return (
        user.role == Role.DEPARTMENT_LIAISON
        and complaint.department_id is not None
        and complaint.department_id == user.department_id
    )


# Owner type of the files a complainant attaches (``core.attachments``).
COMPLAINT_OWNER = "supervision.complaint"


def scope_plans(user: User) -> QuerySet[InspectionPlan]:
    """Random-inspection plans of the user's jurisdiction subtree and of the jurisdictions above
    it (a county's staff see the city plan too)."""
    if not has_perm(user, "inspection.view") or user.jurisdiction_id is None:
        return InspectionPlan.objects.none()
    path = Jurisdiction.objects.values_list("path", flat=True).get(pk=user.jurisdiction_id)
    ancestors = [code for code in path.split("/") if code]
    return InspectionPlan.objects.filter(
        Q(jurisdiction_id__in=jurisdiction_ids_in_scope(user)) | Q(jurisdiction__code__in=ancestors)
    )


def access_plan(user: User, pk: int | str) -> InspectionPlan:
    plan = (
        scope_plans(user).select_related("jurisdiction", "matter_list").filter(pk=_int(pk)).first()
    )
    if plan is None:
        raise Http404(_("未找到该抽查计划。"))
    return plan


def published_plans() -> QuerySet[InspectionPlan]:
    """Plans whose commitment is public (RI-6, the verifiable draw): committed or drawn. Their
    bundle is anyone's; a draft is nobody's outside the bureau."""
    return InspectionPlan.objects.filter(state__in=[PlanState.COMMITTED, PlanState.DRAWN])


def access_published_plan(pk: int | str) -> InspectionPlan:
    plan = published_plans().select_related("jurisdiction").filter(pk=_int(pk)).first()
    if plan is None:
        raise Http404(_("未找到该抽查计划。"))
    return plan


def scope_own_assignments(user: User) -> QuerySet[PlanAssignment]:
    """The caller's own inspection assignments in drawn plans."""
    if not has_perm(user, "inspection.record"):
        return PlanAssignment.objects.none()
    return PlanAssignment.objects.filter(inspector__user=user, subject__plan__state=PlanState.DRAWN)


def access_assigned_subject(user: User, pk: int | str) -> PlanOrganization:
    """A selected organization the caller is assigned to inspect (404 otherwise)."""
    subject = (
        PlanOrganization.objects.filter(pk=_int(pk), assignments__in=scope_own_assignments(user))
        .select_related("plan", "organization")
        .first()
    )
    if subject is None:
        raise Http404(_("未找到该检查任务。"))
    return subject


def scope_subjects(user: User) -> QuerySet[PlanOrganization]:
    """Drawn organizations of the plans the user sees, when the organization is in the user's
    registry scope too (a county's staff do not follow up the city's other counties)."""
    if not has_perm(user, "inspection.view"):
        return PlanOrganization.objects.none()
    return PlanOrganization.objects.filter(
        Q(plan__in=scope_plans(user)) & Q(selected=True) & in_organization_scope(user)
    )


def access_subject(user: User, pk: int | str) -> PlanOrganization:
    subject = (
        scope_subjects(user)
        .select_related("plan", "plan__jurisdiction", "plan__matter_list", "organization")
        .filter(pk=_int(pk))
        .first()
    )
    if subject is None:
        raise Http404(_("未找到该抽查对象。"))
    return subject


def access_finding(user: User, pk: int | str) -> InspectionFinding:
    """A finding of a drawn organization the user follows up (404 otherwise)."""
    finding = (
        InspectionFinding.objects.filter(pk=_int(pk), subject__in=scope_subjects(user))
        .select_related("subject", "subject__plan", "subject__organization", "matter")
        .first()
    )
    if finding is None:
        raise Http404(_("未找到该检查结果。"))
    return finding


def access_finding_document(user: User, pk: int | str) -> InspectionFinding:
    """A finding's rectification notice is read by the staff who follow it up and by the
    inspected organization's own accounts."""
    if user.is_authenticated and user.role == Role.ORGANIZATION and user.organization_id:
        finding = InspectionFinding.objects.filter(
            pk=_int(pk), subject__organization_id=user.organization_id
        ).first()
        if finding is None:
            raise Http404(_("未找到该检查结果。"))
        return finding
    return access_finding(user, pk)


# Owner type of the rectification notice issued on an inspection finding.
FINDING_OWNER = "supervision.inspection_finding"


def scope_cases(user: User) -> QuerySet[Case]:
    """Enforcement cases about the organizations of the user's jurisdiction subtree."""
    if not has_perm(user, "case.view"):
        return Case.objects.none()
    return Case.objects.filter(in_organization_scope(user))


def access_case(user: User, pk: int | str) -> Case:
    case = (
        scope_cases(user)
        .select_related("organization", "organization__jurisdiction", "handler")
        .filter(pk=_int(pk))
        .first()
    )
    if case is None:
        raise Http404(_("未找到该案件。"))
    return case


# Owner type of a case's evidence and documents (``core.attachments``).
CASE_OWNER = "supervision.case"


def _int(pk: int | str) -> int:
    """A key that is not a number names nothing (404, not 500)."""
    try:
        value = int(pk)
    except (TypeError, ValueError):
        return 0
    return value if 0 < value < 2**63 else 0


attachment_owner_register(ANNUAL_REPORT_OWNER, access_annual_report)
attachment_owner_register(COMPLAINT_OWNER, access_complaint)
attachment_owner_register(CASE_OWNER, access_case)
attachment_owner_register(FINDING_OWNER, access_finding_document)
