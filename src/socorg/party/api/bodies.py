"""Party-building API: the committees (党建工作机构) and each organization's affiliation with
its history; an affiliation change carries its adjusting document."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from socorg.core.api import (
    ERRORS,
    ValidationErrorOut,
    caller,
    json_bytes,
    json_response,
    permission,
)
from socorg.core.inputs import InputSchema
from socorg.party import access as party_access
from socorg.party.models import PartyAffiliation
from socorg.party.selectors import bodies as selectors
from socorg.party.selectors import source_document_get
from socorg.party.services.affiliations import affiliation_change

router = Router(tags=["party"])


class CommitteeItem(Schema):
    code: str = Field(description="机构编码（部门编码）")
    name: str
    organizations: int = Field(description="现隶属该机构、在调用者范围内的社会组织数")
    parent: str = Field(description="上级机构编码；两新工委为空")
    kind: str


class CommitteesOut(Schema):
    items: list[CommitteeItem]


@router.get(
    "/party/committees",
    response={200: CommitteesOut, **ERRORS},
    tags=["党建"],
    summary="党建工作机构（两新工委、行业党委）及其所属社会组织数",
    openapi_extra=permission("party.view"),
)
def committees(request: HttpRequest) -> HttpResponse:
    user = caller(request)
    parents = {b.pk: b.department.code for b in selectors.bodies()}
    by_code = {b.department.code: b for b in selectors.bodies()}
    items = [
        {
            "code": row.code,
            "name": row.name,
            "organizations": row.organizations,
            "parent": parents.get(by_code[row.code].parent_id or 0, ""),
            "kind": row.kind,
        }
        for row in selectors.body_rows(user)
    ]
    return json_response(json_bytes({"items": items}))


class AffiliationItem(Schema):
    id: int
    changed_on: date
    body: str = Field(description="隶属机构编码")
    body_name: str
    previous_body: str | None
    reason: str
    document: dict[str, Any] | None = Field(
        description="调整依据文件：id、title、number、issued_on、issuers（联合发文部门数）"
    )
    note: str


class AffiliationsOut(Schema):
    organization: str
    name: str
    current: str | None = Field(description="现隶属机构编码")
    items: list[AffiliationItem]


def _item(row: PartyAffiliation, issuers: dict[int, int]) -> dict[str, Any]:
    doc = row.source_document
    return {
        "id": row.pk,
        "changed_on": row.changed_on,
        "body": row.body.department.code,
        "body_name": row.body.department.name,
        "previous_body": row.previous_body.department.code if row.previous_body else None,
        "reason": row.reason,
        "document": {
            "id": doc.pk,
            "title": doc.title,
            "number": doc.number,
            "issued_on": doc.issued_on,
            "issuers": issuers.get(doc.pk, 0),
        }
        if doc
        else None,
        "note": row.note,
    }


@router.get(
    "/party/affiliations/{uscc}",
    response={200: AffiliationsOut, **ERRORS},
    tags=["党建"],
    summary="社会组织的党组织隶属关系及其调整历史",
    openapi_extra=permission("party.view"),
)
def affiliations(request: HttpRequest, uscc: str) -> HttpResponse:
    org = party_access.access_party_organization(caller(request), uscc)
    history = selectors.affiliation_history(org)
    current = selectors.current_affiliation(org.pk)
    issuers = selectors.document_issuer_counts(
        {r.source_document_id for r in history if r.source_document_id}
    )
    body = {
        "organization": org.uscc,
        "name": org.name,
        "current": current.body.department.code if current else None,
        "items": [_item(r, issuers) for r in history],
    }
    return json_response(json_bytes(body))


class AffiliationIn(InputSchema):
    organization: str = Field(max_length=30, description="统一社会信用代码")
    body: str = Field(max_length=20, description="新隶属机构编码")
    changed_on: date = Field(description="生效日期")
    document: int | None = Field(None, description="调整依据文件编号（调整时必填）")
    note: str = Field("", max_length=200)


@router.post(
    "/party/affiliations",
    response={201: AffiliationItem, 422: ValidationErrorOut, **ERRORS},
    tags=["党建"],
    summary="调整社会组织的党组织隶属关系（须附调整依据文件）",
    openapi_extra=permission("party.affiliate"),
)
def affiliation_create(request: HttpRequest, payload: AffiliationIn) -> Status[dict[str, Any]]:
    user = caller(request)
    org = party_access.access_party_organization(user, payload.organization)
    body = selectors.bodies().filter(department__code=payload.body).first()
    if body is None:
        raise ValidationError({"body": [_("隶属机构编码不存在。")]})
    doc = source_document_get(payload.document) if payload.document else None
    if payload.document and doc is None:
        raise ValidationError({"document": [_("所选的依据文件不存在。")]})
    row = affiliation_change(
        actor=user,
        organization=org,
        body=body,
        changed_on=payload.changed_on,
        source_document=doc,
        note=payload.note,
    )
    issuers = selectors.document_issuer_counts([doc.pk] if doc else [])
    return Status(201, _item(row, issuers))
