"""What the access matrices share: the one table that fills route parameters, the expected
outcome of a case, and the record of how many routes and cases a matrix covered.

A parameter is filled by the path segment before it (``applications/<int:pk>/`` →
``applications``; ``/api/v1/application/{id}`` → ``application``) or, in an API request body,
by the field's name (``organization``). The table gives, for each, the kind of object the
world (``conftest.World``) holds on both sides: near (in scope) and far (out of scope). A
route whose parameter is not in the table fails the matrix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from socorg.core import access
from socorg.core.models import User
from tests.architecture.conftest import Side, World
from tests.architecture.report import PROPERTY


@dataclass(frozen=True)
class Fill:
    """The object of ``kind`` on a side of the world, and the field of it a URL carries."""

    kind: str
    field: str = "pk"


ORGANIZATION = Fill("organization", "uscc")
DEPARTMENT = Fill("department", "code")
CORRECTION = Fill("correction")
APPLICATION = Fill("application")
OPINION = Fill("opinion")
PRINCIPAL_REVIEW = Fill("principal_review")
TERM_TRANSITION = Fill("term_transition")
ATTACHMENT = Fill("attachment")
TASK = Fill("task")

# Path segment (pages and API alike) or request-body field → what fills it.
PARAMETERS: dict[str, Fill] = {
    "organizations": ORGANIZATION,
    "organization": ORGANIZATION,  # body of POST /api/v1/data_correction
    "departments": DEPARTMENT,
    "corrections": CORRECTION,
    "data_correction": CORRECTION,
    "applications": APPLICATION,
    "application": APPLICATION,
    "opinions": OPINION,
    "opinion": OPINION,
    "principal-reviews": PRINCIPAL_REVIEW,
    "principal_candidate_review": PRINCIPAL_REVIEW,
    "term-transitions": TERM_TRANSITION,
    "term_transition": TERM_TRANSITION,
    "attachments": ATTACHMENT,
    "tasks": TASK,
}


def value(world: World, fill: Fill, *, near: bool, user: User | None) -> str:
    """The parameter's value: on the near side the object ``user`` may see, on the far side
    the one nobody of the cast may see.

    Per-role objects where the domain allows no common one: an opinion is seen only by its
    own department's reviewers (and the division head), a background job only by its owner."""
    side: Side = world.near if near else world.far
    if fill.kind == "organization":
        return str(side.organization.uscc)
    if fill.kind == "department":
        return side.department.code
    if fill.kind == "opinion":
        own = side.opinions.get(user.department_id) if near and user else None
        return str(own or next(iter(side.opinions.values())))
    if fill.kind == "task":
        own = side.tasks.get(user.pk) if near and user else None
        return str(own or next(iter(side.tasks.values())))
    return str(getattr(side, fill.kind))


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
