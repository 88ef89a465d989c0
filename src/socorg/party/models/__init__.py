"""Models of structure and party building (建). Responsibilities and departments live in the
registry and core; this package holds what only party building has."""

from socorg.party.models.bodies import AffiliationReason as AffiliationReason
from socorg.party.models.bodies import BodyKind as BodyKind
from socorg.party.models.bodies import PartyAffiliation as PartyAffiliation
from socorg.party.models.bodies import PartyBody as PartyBody
from socorg.party.models.branches import BranchAnswer as BranchAnswer
from socorg.party.models.branches import BranchKind as BranchKind
from socorg.party.models.branches import FiguresSource as FiguresSource
from socorg.party.models.branches import PartyBranch as PartyBranch
from socorg.party.models.branches import PartyBranchMember as PartyBranchMember
from socorg.party.models.branches import PartyFigures as PartyFigures
from socorg.party.models.instructors import InstructorAssignment, InstructorVisit, VisitState  # noqa: F401
