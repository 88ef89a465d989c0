"""What the access matrices share: the one table that fills route parameters, the expected
outcome of a case, and the record of how many routes and cases a matrix covered.

A parameter is filled by the path segment before it (``applications/<int:pk>/`` →
``applications``; ``/api/v1/application/{id}`` → ``application``) or, in an API request body,
by the field's name (``organization``). The table gives, for each, the kind of object the
world (``conftest.World``) holds on both sides: near (in scope) and far (out of scope). A
route whose parameter is not in the table fails the matrix.

Where the domain allows no object common to every role, the near side gives each caller
their own: an opinion is seen only by its department's reviewers (and the division head), a
background job only by its owner."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from socorg.core import access
from socorg.core.models import User
from socorg.supervision.models import DormantCandidate
from tests.architecture.conftest import Side, World
from tests.architecture.report import PROPERTY

# What fills a parameter, given a side of the world and the caller: the near side gives the
# object in the caller's scope, the far side the object out of it.
Fill = Callable[[Side, User | None], object]


def _organization(side: Side, user: User | None) -> object:
    return side.organization.uscc


def _correction(side: Side, user: User | None) -> object:
    return side.correction


def _application(side: Side, user: User | None) -> object:
    return side.application


def _opinion(side: Side, user: User | None) -> object:
    return side.opinion_for(user)


def _principal_review(side: Side, user: User | None) -> object:
    return side.principal_review


def _term_transition(side: Side, user: User | None) -> object:
    return side.term_transition


def _campaign(side: Side) -> int:
    """The cleanup campaign of the side's dormant candidate."""
    return DormantCandidate.objects.values_list("campaign_id", flat=True).get(
        pk=side.dormant_candidate
    )


# Path segment (pages and API alike) or request-body field → what fills it.
PARAMETERS: dict[str, Fill] = {
    "organizations": _organization,
    "organization": _organization,  # body of POST /api/v1/data_correction
    "departments": lambda side, user: side.department.code,
    "corrections": _correction,
    "data_correction": _correction,
    "applications": _application,
    "application": _application,
    "opinions": _opinion,
    "opinion": _opinion,
    "principal-reviews": _principal_review,
    "principal_candidate_review": _principal_review,
    "term-transitions": _term_transition,
    "term_transition": _term_transition,
    "annual_report": lambda side, user: side.annual_report,
    "annual-reports": lambda side, user: side.annual_report,
    "credit_listing": lambda side, user: side.credit_listing,
    "listings": lambda side, user: side.credit_listing,
    "dormant_candidate": lambda side, user: side.dormant_candidate,
    "candidates": lambda side, user: side.dormant_candidate,
    "campaigns": lambda side, user: _campaign(side),
    "complaints": lambda side, user: side.complaint,
    "complaint": lambda side, user: side.complaint,
    "cases": lambda side, user: side.case,
    "case": lambda side, user: side.case,
    # Public: a tracking code is its own key (both sides' codes are found).
    "track": lambda side, user: side.complaint_code,
    "inspection_plan": lambda side, user: side.inspection_plan,
    "inspection-plans": lambda side, user: side.inspection_plan,
    "inspections": lambda side, user: side.inspection_plan,
    "subjects": lambda side, user: side.inspection_subject,
    "findings": lambda side, user: side.finding,
    "attachments": lambda side, user: side.attachment,
    "tasks": lambda side, user: side.task_for(user),
    # Liaison officers, their training and the brand (party).
    "liaisons": lambda side, user: side.liaison,
    "trainings": lambda side, user: side.training,
    "brand": lambda side, user: side.brand_program,
    "activities": lambda side, user: side.brand_activity,
    "brand_activity": lambda side, user: side.brand_activity,
    # Party instructors: an instructor, their assignment, a visit with an open follow-up.
    "instructors": lambda side, user: side.instructor,
    "assignments": lambda side, user: side.instructor_assignment,
    "visits": lambda side, user: side.instructor_visit,
    "instructor_visit": lambda side, user: side.instructor_visit,
    # Party building: an organization's affiliation page and API.
    "affiliations": _organization,
}


def value(world: World, fill: Fill, *, near: bool, user: User | None) -> str:
    """The parameter's value: near, the object ``user`` may see; far, one nobody may see."""
    return str(fill(world.near if near else world.far, user))


def holds(user: User | None, perm: str) -> bool:
    return user is not None and user.role in access.PERMISSIONS[perm]


@dataclass
class Tally:
    """How much a matrix covered; ``skipped`` stays 0 (a route it cannot fill fails)."""

    surface: str
    routes: set[str] = field(default_factory=set)
    cases: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, route: str, ok: bool, message: str) -> None:
        self.routes.add(route)
        self.cases += 1
        if not ok:
            self.failures.append(message)

    def line(self) -> str:
        return (
            f"access matrix ({self.surface}): {len(self.routes)} routes, {self.cases} cases, "
            f"{self.skipped} skipped"
        )

    def report(self, request: Any) -> None:
        """Print the counts and hand them to the terminal summary (``tests.architecture.report``)."""
        print(self.line())
        request.node.user_properties.append((PROPERTY, self.line()))


def summary(failures: list[str]) -> str:
    return "\n".join([f"{len(failures)} cases answered otherwise:", *failures])


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}|\(\?P<(\w+)>[^)]*\)")


def route_parameters(route: str) -> dict[str, tuple[str, Fill | None]]:
    """Each parameter of a route (``<int:pk>``, ``{id}``, ``(?P<pk>…)``) → the segment before
    it and what fills it (``None`` when the table has no entry)."""
    segments = route.strip("^$/").split("/")
    found: dict[str, tuple[str, Fill | None]] = {}
    for index, segment in enumerate(segments):
        match = PARAMETER.fullmatch(segment)
        if match:
            name = next(group for group in match.groups() if group)
            before = segments[index - 1] if index else ""
            found[name] = (before, PARAMETERS.get(before))
    return found


def unfilled(route: str, params: dict[str, tuple[str, Fill | None]]) -> list[str]:
    return [
        f"{route}: no fixture for parameter {name!r} after {before!r}; add {before!r} to "
        "tests/architecture/matrix.py PARAMETERS"
        for name, (before, fill) in params.items()
        if fill is None
    ]


# Statuses that mean "the request reached the action and was answered on its input".
API_ALLOWED = frozenset({200, 201, 204, 400, 409, 422})
PAGE_ALLOWED_GET = frozenset({200})
PAGE_ALLOWED_POST = frozenset({200, 302, 400})
WRONG_ROLE = frozenset({403, 404})
OUT_OF_SCOPE = frozenset({404})
