"""Instructors API: ``GET /party/instructors`` → ``{"items": [{"id", "name", "division",
"organizations": [uscc, …]}]}`` — the instructors with organizations assigned today, each with
the credit codes of those organizations, in the caller's scope (a party reviewer sees the
organizations their body is responsible for, an instructor themselves). The follow-up of a
visit is the process ``instructor_visit`` (``GET /instructor_visit/{id}``, its transitions).

No ``from __future__ import annotations``: django-ninja reads the live annotations."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from socorg.core.api import (
    ERRORS,
    WorkflowItemOut,
    caller,
    permission,
    register_item_fields,
    register_permission,
)
from socorg.core.models import User
from socorg.party.models import InstructorVisit
from socorg.party.processes import INSTRUCTOR_VISIT
from socorg.party.selectors import instructors as selectors

router = Router(tags=["党建工作指导员"])

register_permission(INSTRUCTOR_VISIT.name, "instructors.view")


class InstructorOut(Schema):
    id: int
    name: str
    division: str = Field(description="所在业务科室")
    organizations: list[str] = Field(description="当前指导的社会组织的统一社会信用代码")


class InstructorListOut(Schema):
    items: list[InstructorOut]


@router.get(
    "/party/instructors",
    response={200: InstructorListOut, **ERRORS},
    summary="党建工作指导员及其指导的社会组织",
    openapi_extra=permission("instructors.view"),
)
def instructor_list(request: HttpRequest) -> dict[str, Any]:
    rows = selectors.instructor_rows(caller(request))
    return {
        "items": [
            {"id": r.id, "name": r.name, "division": r.division, "organizations": r.organizations}
            for r in rows
        ]
    }


class VisitOut(WorkflowItemOut):
    uscc: str
    organization: str
    visited_on: date
    topics: str
    follow_ups: str
    follow_up_due: date | None
    follow_up_done_on: date | None


def _visit_values(visit: InstructorVisit, user: User) -> dict[str, Any]:
    org = visit.assignment.organization
    return {
        "uscc": org.uscc,
        "organization": org.name,
        "visited_on": visit.visited_on,
        "topics": visit.topics,
        "follow_ups": visit.follow_ups,
        "follow_up_due": visit.follow_up_due,
        "follow_up_done_on": visit.follow_up_done_on,
    }


register_item_fields(INSTRUCTOR_VISIT.name, VisitOut, _visit_values)
