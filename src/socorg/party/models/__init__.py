"""Models of structure and party building (建). Responsibilities and departments live in the
registry and core; this package holds what only party building has."""

from socorg.party.models.instructors import InstructorAssignment, InstructorVisit, VisitState  # noqa: F401
