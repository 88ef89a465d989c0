"""Party-building API: branches, 应建未建 (PB-1) and the 两个覆盖, scoped like every read."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from socorg.core.api import ERRORS, caller, json_bytes, json_response, permission
from socorg.core.inputs import InputSchema
from socorg.party.models import PartyBranch
from socorg.party.selectors import branches as selectors

router = Router(tags=["party"])


class CoverageQuery(InputSchema):
    by: Literal["jurisdiction", "type", "department", "committee"] = Field(
        "jurisdiction",
        description="分组：jurisdiction 区划、type 类型、department 党建管理部门、committee 隶属机构",
    )
    year: int | None = Field(
        None, ge=2000, le=2100, description="年度（截至该年12月31日；当年截至今天）"
    )


class CoverageRowOut(Schema):
    key: str
    name: str
    total: int
    organizational: int = Field(description="已建立党组织（组织覆盖）")
    work: int = Field(description="党的工作覆盖（有党组织或有党建工作指导员）")
    organizational_percent: float
    work_percent: float


class CoverageOut(Schema):
    as_of: date
    by: str
    summary: CoverageRowOut
    items: list[CoverageRowOut]


@router.get(
    "/party/coverage",
    response={200: CoverageOut, **ERRORS},
    tags=["党建"],
    summary="两个覆盖（组织覆盖、工作覆盖）按区划、类型、部门或隶属机构",
    openapi_extra=permission("party.view"),
)
def coverage(request: HttpRequest, query: Query[CoverageQuery]) -> HttpResponse:
    on = selectors.as_of_for_year(query.year)
    report = selectors.party_coverage(caller(request), by=query.by, on=on)
    body = {
        "as_of": report.on,
        "by": report.by,
        "summary": report.summary.as_dict(),
        "items": [r.as_dict() for r in report.rows],
    }
    return json_response(json_bytes(body))


class BranchQuery(InputSchema):
    organization: str = Field("", max_length=100, description="统一社会信用代码（精确）或名称包含")
    kind: Literal["", "independent", "joint"] = Field(
        "", description="independent 单独建立；joint 联合党支部"
    )


class BranchOut(Schema):
    id: int
    name: str
    kind: str
    body: str | None = Field(description="隶属机构编码")
    secretary: str
    founded_on: date
    members_total: int
    members_full_time: int
    elected_on: date | None
    next_election_on: date | None
    dissolved_on: date | None
    organizations: list[str] = Field(description="覆盖的社会组织（统一社会信用代码）")


class BranchesOut(Schema):
    items: list[BranchOut]


def _branch(b: PartyBranch) -> dict[str, Any]:
    return {
        "id": b.pk,
        "name": b.name,
        "kind": b.kind,
        "body": b.body.department.code if b.body else None,
        "secretary": b.secretary,
        "founded_on": b.founded_on,
        "members_total": b.members_total,
        "members_full_time": b.members_full_time,
        "elected_on": b.elected_on,
        "next_election_on": b.next_election_on,
        "dissolved_on": b.dissolved_on,
        "organizations": [m.organization.uscc for m in b.members.all() if m.left_on is None],
    }


@router.get(
    "/party/branches",
    response={200: BranchesOut, **ERRORS},
    tags=["党建"],
    summary="社会组织党组织（单独建立、联合党支部）",
    openapi_extra=permission("party.view"),
)
def branches(request: HttpRequest, query: Query[BranchQuery]) -> HttpResponse:
    rows = selectors.branch_rows(caller(request), organization=query.organization, kind=query.kind)
    return json_response(json_bytes({"items": [_branch(b) for b in rows[:1000]]}))


class UnbuiltItem(Schema):
    uscc: str | None
    name: str
    year: int = Field(description="依据的年度")
    party_members: int
    full_time_party_members: int
    branch_answer: str = Field(description="年报所填党组织建立情况")
    source: str
    annual_report: int | None


class UnbuiltOut(Schema):
    as_of: date
    rule: str
    minimum: int = Field(description="应建党组织的专职人员党员人数下限（参数）")
    items: list[UnbuiltItem]


@router.get(
    "/party/unbuilt",
    response={200: UnbuiltOut, **ERRORS},
    tags=["党建"],
    summary="应建未建：专职人员中党员达到下限却没有党组织的社会组织，附依据",
    openapi_extra=permission("party.view"),
)
def unbuilt(request: HttpRequest) -> HttpResponse:
    listing = selectors.unbuilt(caller(request))
    body = {
        "as_of": listing.on,
        "rule": listing.rule_id,
        "minimum": listing.minimum,
        "items": [
            {
                "uscc": r.organization.uscc,
                "name": r.organization.name,
                "year": r.year,
                "party_members": r.party_members,
                "full_time_party_members": r.full_time_party_members,
                "branch_answer": r.branch_answer,
                "source": r.source,
                "annual_report": r.annual_report_id,
            }
            for r in listing.rows
        ],
    }
    return json_response(json_bytes(body))
