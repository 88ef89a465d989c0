"""Random inspections in the public API: the verification bundle of every committed plan
(``GET /inspection-plans``, ``GET /inspection-plans/{id}``), anyone's without signing in, so an
outsider can recompute the draw with ``supervision/draw.py``, and the published results of a
drawn plan (``GET /inspection-plans/{id}/results``, RI-6). The seed is ``null`` until the
draw reveals it; risk weights are published without their causes. The plan's process routes
(``/inspection_plan/{id}``) are the staff's."""

from __future__ import annotations

import gzip
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from socorg.core.api import ERRORS, json_response, not_modified, register_permission
from socorg.supervision.processes import INSPECTION_PLAN
from socorg.supervision.selectors.inspections import (
    published_bundle,
    published_plan_list,
    published_results,
    published_stored_bundle,
)

router = Router(tags=["supervision"])

register_permission(INSPECTION_PLAN.name, "inspection.view")


class PlanSummary(Schema):
    id: int
    year: int
    authority: str = Field(description="登记管理机关（行政区划）")
    state: str = Field(description="committed 已锁定待抽取；drawn 已抽取并公开种子")
    commitment: str = Field(description="SHA-256(种子)，锁定时公布")
    pool_hash: str = Field(description="检查对象名录库摘要")
    seed: str | None = Field(description="随机种子，抽取时公开；此前为 null")


class StratumOut(Schema):
    stratum: str
    size: int
    ratio: str
    k: int


class PoolEntryOut(Schema):
    uscc: str
    stratum: str
    weight: str = Field(description="权重（三位小数）")


class InspectorOut(Schema):
    id: int
    department: str | None


class ConflictOut(Schema):
    inspector: int
    uscc: str
    reason: str


class SelectedOut(Schema):
    uscc: str
    stratum: str
    inspectors: list[int]


class PlanBundle(PlanSummary):
    strata: list[StratumOut]
    pool: list[PoolEntryOut]
    inspectors: list[InspectorOut]
    conflicts: list[ConflictOut]
    selected: list[SelectedOut]
    algorithm: str = Field(description="efraimidis-spirakis-sha256-v1")


@router.get(
    "/inspection-plans",
    response={200: list[PlanSummary], **ERRORS},
    auth=None,
    summary="随机抽查计划（已锁定或已抽取）",
)
def plan_list(request: HttpRequest) -> list[dict[str, Any]]:
    return published_plan_list()


@router.get(
    "/inspection-plans/{id}",
    response={200: PlanBundle, **ERRORS},
    auth=None,
    summary="随机抽查计划的验证数据包",
)
def plan_bundle(request: HttpRequest, id: int) -> HttpResponse | dict[str, Any]:
    """A drawn plan's bundle as stored after the draw (the same JSON, byte for byte; sent
    compressed to a client that accepts gzip, with an ``ETag``); until then, built from the
    pools."""
    stored = published_stored_bundle(id)
    if stored is None:
        return published_bundle(id)
    compressed = _accepts_gzip(request)
    tag = f'"{stored.sha256}{"-gzip" if compressed else ""}"'
    unchanged = not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    body = bytes(stored.body)
    response = json_response(body if compressed else gzip.decompress(body), etag=tag)
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    return response


def _accepts_gzip(request: HttpRequest) -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _sep, params = part.strip().partition(";")
        if name.strip().lower() == "gzip":
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


class ResultOut(Schema):
    uscc: str
    organization: str
    matter: str = Field(description="抽查事项")
    result: str = Field(description="compliant 未发现问题；issues 责令整改；serious 移交立案")
    result_label: str
    description: str = Field(description="发现的问题")
    recorded_on: date
    rectification_number: str = Field(description="责令整改通知书文号（如有）")


@router.get(
    "/inspection-plans/{id}/results",
    response={200: list[ResultOut], **ERRORS},
    auth=None,
    summary="随机抽查结果公示（RI-6）",
)
def plan_results(request: HttpRequest, id: int) -> list[dict[str, Any]]:
    return published_results(id)
