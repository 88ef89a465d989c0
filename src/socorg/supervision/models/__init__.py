"""Supervision data: annual reports (AR-*), credit lists and their notices (CR-*), contact
attempts, the compliance sweep's runs, and the dormant-organization cleanup (DO-*), complaints and
tips, random inspections (RI-*)."""

from socorg.supervision.models.annual_reports import (
    AnnualReport,
    AnnualReportState,
    Conclusion,
)
from socorg.supervision.models.campaigns import (
    CampaignState,
    CandidateState,
    CleanupCampaign,
    DormantCandidate,
)
from socorg.supervision.models.cases import Case, CaseSource, CaseState, PenaltyKind
from socorg.supervision.models.complaints import (
    ComplainantIdentity,
    Complaint,
    ComplaintResult,
    ComplaintSource,
    ComplaintState,
)
from socorg.supervision.models.credit import (
    ContactAttempt,
    ContactKind,
    ContactResult,
    CreditList,
    CreditListing,
    DelistReason,
    ListingGround,
    ListingSource,
    ListingState,
    SweepRun,
)
from socorg.supervision.models.inspections import (
    ConflictReason,
    DeclaredRelationship,
    FindingResult,
    InspectionFinding,
    InspectionMatter,
    InspectionMatterList,
    InspectionPlan,
    InspectorKind,
    PlanAssignment,
    PlanBundle,
    PlanConflict,
    PlanInspector,
    PlanOrganization,
    PlanState,
)

__all__ = [
    "ConflictReason",
    "DeclaredRelationship",
    "FindingResult",
    "InspectionFinding",
    "InspectionMatter",
    "InspectionMatterList",
    "InspectionPlan",
    "InspectorKind",
    "PlanAssignment",
    "PlanBundle",
    "PlanConflict",
    "PlanInspector",
    "PlanOrganization",
    "PlanState",
    "AnnualReport",
    "AnnualReportState",
    "CampaignState",
    "Case",
    "CaseSource",
    "CaseState",
    "CandidateState",
    "CleanupCampaign",
    "ComplainantIdentity",
    "Complaint",
    "ComplaintResult",
    "ComplaintSource",
    "ComplaintState",
    "Conclusion",
    "ContactAttempt",
    "ContactKind",
    "ContactResult",
    "CreditList",
    "CreditListing",
    "DelistReason",
    "DormantCandidate",
    "ListingGround",
    "ListingSource",
    "ListingState",
    "PenaltyKind",
    "SweepRun",
]
