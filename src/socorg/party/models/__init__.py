"""Models of structure and party building (建). Responsibilities and departments live in the
registry and core; this package holds what only party building has."""

from socorg.party.models.bodies import AffiliationReason, BodyKind, PartyAffiliation, PartyBody
from socorg.party.models.branches import (
    BranchAnswer,
    BranchKind,
    FiguresSource,
    PartyBranch,
    PartyBranchMember,
    PartyFigures,
)
from socorg.party.models.brand import ActivityState, BrandActivity, BrandMember, BrandProgram
from socorg.party.models.instructors import InstructorAssignment, InstructorVisit, VisitState
from socorg.party.models.liaisons import LiaisonOfficer, LiaisonTraining, TrainingAttendance

__all__ = [
    "ActivityState",
    "AffiliationReason",
    "BodyKind",
    "BranchAnswer",
    "BranchKind",
    "BrandActivity",
    "BrandMember",
    "BrandProgram",
    "FiguresSource",
    "InstructorAssignment",
    "InstructorVisit",
    "LiaisonOfficer",
    "LiaisonTraining",
    "PartyAffiliation",
    "PartyBody",
    "PartyBranch",
    "PartyBranchMember",
    "PartyFigures",
    "TrainingAttendance",
    "VisitState",
]
