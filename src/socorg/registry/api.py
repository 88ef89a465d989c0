"""Registry endpoints: search, detail and historical entry of organizations, and proposing a
data correction (its review runs through the generic workflow routes of ``core.api``)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from socorg.core.api import (
    ERRORS,
    ValidationErrorOut,
    WorkflowItemOut,
    caller,
    json_bytes,
    json_response,
    not_modified,
    permission,
    register_item_fields,
    register_permission,
    workflow_item,
)
from socorg.core.inputs import MAX_PAGE, InputSchema, MultiLine
from socorg.core.representations import cache_key, cached, etag
from socorg.core.text import LONG_TEXT_MAX, clean_line
from socorg.registry import access as registry_access
from socorg.registry.models import (
    Category,
    DataCorrection,
    Level,
    ManagementMode,
    Organization,
    OrgStatus,
    OrgType,
)
from socorg.registry.processes import DATA_CORRECTION
from socorg.registry.selectors import (
    SORTS,
    OrganizationFilters,
    OrganizationProfile,
    entry_references,
    organization_page,
    organization_profile,
)
from socorg.registry.services import correction_propose, organization_create

router = Router(tags=["社会组织"])

JURISDICTION_CODE = r"^(\d{6}|\d{9}|\d{12})$"
LONG_TEXT_FIELDS = frozenset({"purpose", "business_scope"})


# --- schemas --------------------------------------------------------------------------------


class OrganizationQuery(InputSchema):
    q: str = Field("", max_length=100, description="名称包含")
    uscc: str = Field("", max_length=30, description="统一社会信用代码（精确）")
    type: OrgType | None = Field(None, description="类型")
    level: Level | None = Field(None, description="登记层级")
    jurisdiction: str = Field(
        "", pattern=r"^(\d{6}|\d{9}|\d{12})?$", description="区划代码（GB/T 2260，含下级）"
    )
    status: OrgStatus | None = Field(None, description="状态")
    category: Category | None = Field(None, description="行业分类")
    supervisory_unit: str = Field("", max_length=20, description="业务主管单位编码")
    removed_from: date | None = Field(None, description="注销/撤销日期从（含当日）")
    removed_to: date | None = Field(None, description="注销/撤销日期至（含当日）")
    sort: Literal[tuple(SORTS)] = Field("name", description="排序")  # type: ignore[valid-type]
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码（从 1 开始）")
    page_size: int = Field(20, ge=1, le=100, description="每页条数（最多 100）")


class JurisdictionRef(Schema):
    code: str
    name: str


class OrganizationItem(Schema):
    id: int
    uscc: str | None
    name: str
    org_type: str
    org_type_label: str
    level: str
    level_label: str
    jurisdiction: JurisdictionRef
    status: str
    status_label: str
    category: str
    category_label: str
    supervisory_unit: str | None = Field(description="业务主管单位名称")
    supervisory_unit_code: str | None
    legal_representative: str
    established_on: date
    removed_on: date | None = Field(None, description="注销/撤销日期")


class OrganizationPageOut(Schema):
    count: int
    count_exact: bool = Field(description="false 表示结果过多，count 为上限值")
    page: int
    page_size: int
    items: list[OrganizationItem]


class FormerNameOut(Schema):
    name: str
    used_until: date


class PrincipalOut(Schema):
    name: str
    post: str
    post_label: str
    is_legal_representative: bool
    term: int | None
    starts_on: date
    ends_on: date | None


class TermOut(Schema):
    number: int
    starts_on: date
    ends_on: date
    is_expired: bool


class BranchOut(Schema):
    name: str
    kind: str
    kind_label: str
    principal_name: str
    established_on: date
    status: str
    status_label: str


class ResponsibilityOut(Schema):
    department_code: str
    department: str
    kind: str
    kind_label: str
    effective_from: date
    source_document: str | None


class EventOut(Schema):
    kind: str
    kind_label: str
    reason: str
    reason_label: str
    occurred_on: date
    note: str
    details: dict[str, Any]


class OrganizationDetail(OrganizationItem):
    region_name: str
    core_name: str
    org_form: str
    management_mode: str
    management_mode_label: str
    industry_regulator: str | None
    purpose: str
    business_scope: str
    domicile: str
    contact_person: str
    contact_phone: str
    registered_funds: Decimal | None
    certificate_valid_until: date | None
    removed_on: date | None
    former_names: list[FormerNameOut]
    principals: list[PrincipalOut]
    current_term: TermOut | None
    branches: list[BranchOut]
    responsibilities: list[ResponsibilityOut]
    events: list[EventOut]


def _iso_date_only(value: Any) -> Any:
    """Dates come as ``YYYY-MM-DD`` strings; numbers (timestamps) are refused."""
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(_("日期格式不正确，应为 YYYY-MM-DD。"))
    return value


class OrganizationIn(InputSchema):
    uscc: str | None = Field(
        None, max_length=30, description="统一社会信用代码（社区社会组织可空）"
    )
    name: str = Field(min_length=1, max_length=100)
    region_name: str = Field("", max_length=30)
    core_name: str = Field("", max_length=60)
    org_form: str = Field("", max_length=20)
    org_type: OrgType
    level: Level
    jurisdiction: str = Field(pattern=JURISDICTION_CODE, description="区划代码（GB/T 2260）")
    management_mode: ManagementMode | None = None
    supervisory_unit: str | None = Field(None, max_length=20, description="业务主管单位编码")
    industry_regulator: str | None = Field(None, max_length=20, description="行业管理部门编码")
    category: Category
    purpose: MultiLine = Field("", max_length=LONG_TEXT_MAX)
    business_scope: MultiLine = Field("", max_length=LONG_TEXT_MAX)
    domicile: str = Field("", max_length=200)
    contact_person: str = Field("", max_length=30)
    contact_phone: str = Field("", max_length=30)
    legal_representative: str = Field("", max_length=30)
    registered_funds: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    established_on: date
    certificate_valid_until: date | None = None
    status: OrgStatus = OrgStatus.REGISTERED
    removed_on: date | None = None

    _dates_as_text = field_validator(
        "established_on", "certificate_valid_until", "removed_on", mode="before"
    )(_iso_date_only)


class CorrectionIn(InputSchema):
    organization: str = Field(max_length=30, description="统一社会信用代码")
    changes: dict[str, Any] = Field(description="字段 → 更正后的值（文本或数字）")
    reason: MultiLine = Field(max_length=LONG_TEXT_MAX, description="更正理由")

    @field_validator("changes")
    @classmethod
    def _scalar_values(cls, changes: dict[str, Any]) -> dict[str, Any]:
        for field, value in changes.items():
            if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
                raise ValueError(_("字段“%(field)s”的更正值应为文本或数字。") % {"field": field})
        # Long text keeps its line breaks; every other value is a single line.
        return {
            field: value
            if not isinstance(value, str) or field in LONG_TEXT_FIELDS
            else clean_line(value)
            for field, value in changes.items()
        }


class OrganizationRef(Schema):
    uscc: str | None
    name: str


class DataCorrectionOut(WorkflowItemOut):
    organization: OrganizationRef
    changes: dict[str, Any]
    original: dict[str, Any]
    reason: str
    proposed_by: str
    created_at: datetime


# --- rendering ------------------------------------------------------------------------------


def _item(org: Organization) -> dict[str, Any]:
    unit = org.supervisory_unit
    return {
        "id": org.pk,
        "uscc": org.uscc,
        "name": org.name,
        "org_type": org.org_type,
        "org_type_label": org.get_org_type_display(),
        "level": org.level,
        "level_label": org.get_level_display(),
        "jurisdiction": {"code": org.jurisdiction.code, "name": org.jurisdiction.name},
        "status": org.status,
        "status_label": org.get_status_display(),
        "category": org.category,
        "category_label": org.get_category_display(),
        "supervisory_unit": unit.name if unit else None,
        "supervisory_unit_code": unit.code if unit else None,
        "legal_representative": org.legal_representative,
        "established_on": org.established_on,
        "removed_on": org.removed_on,
    }


def _detail(profile: OrganizationProfile) -> dict[str, Any]:
    org, term = profile.organization, profile.current_term
    plain = ("region_name", "core_name", "org_form", "management_mode", "purpose", "business_scope")
    more = ("domicile", "contact_person", "contact_phone", "registered_funds")
    dates = ("certificate_valid_until", "removed_on")
    return {
        **_item(org),
        **{name: getattr(org, name) for name in (*plain, *more, *dates)},
        "management_mode_label": org.get_management_mode_display() if org.management_mode else "",
        "industry_regulator": org.industry_regulator.name if org.industry_regulator else None,
        "former_names": [
            {"name": n.name, "used_until": n.used_until} for n in profile.former_names
        ],
        "principals": [_principal(p) for p in profile.principals],
        "current_term": _term(term) if term else None,
        "branches": [_branch(b) for b in profile.branches],
        "responsibilities": [_responsibility(r) for r in profile.responsibilities],
        "events": [_event(e) for e in profile.events],
    }


def _principal(p: Any) -> dict[str, Any]:
    return {
        "name": p.person.name,
        "post": p.post,
        "post_label": p.get_post_display(),
        "is_legal_representative": p.is_legal_representative,
        "term": p.term.number if p.term else None,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
    }


def _term(term: Any) -> dict[str, Any]:
    return {
        "number": term.number,
        "starts_on": term.starts_on,
        "ends_on": term.ends_on,
        "is_expired": term.ends_on < timezone.localdate(),
    }


def _branch(b: Any) -> dict[str, Any]:
    return {
        "name": b.name,
        "kind": b.kind,
        "kind_label": b.get_kind_display(),
        "principal_name": b.principal_name,
        "established_on": b.established_on,
        "status": b.status,
        "status_label": b.get_status_display(),
    }


def _responsibility(r: Any) -> dict[str, Any]:
    return {
        "department_code": r.department.code,
        "department": r.department.name,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "effective_from": r.effective_from,
        "source_document": str(r.source_document) if r.source_document else None,
    }


def _event(e: Any) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "reason": e.reason,
        "reason_label": e.get_reason_display(),
        "occurred_on": e.occurred_on,
        "note": e.note,
        "details": e.details,
    }


def _correction_values(correction: DataCorrection, _user: Any) -> dict[str, Any]:
    org = correction.organization
    return {
        "organization": {"uscc": org.uscc, "name": org.name},
        "changes": correction.changes,
        "original": correction.original,
        "reason": correction.reason,
        "proposed_by": str(correction.proposed_by),
        "created_at": correction.created_at,
    }


register_item_fields(DATA_CORRECTION.name, DataCorrectionOut, _correction_values)
register_permission(DATA_CORRECTION.name, "registry.view_corrections")


# --- endpoints ------------------------------------------------------------------------------


@router.get(
    "/organizations",
    response={200: OrganizationPageOut, 422: ValidationErrorOut, **ERRORS},
    summary="查询社会组织",
    openapi_extra=permission("registry.view"),
)
def organization_list(request: HttpRequest, query: Query[OrganizationQuery]) -> HttpResponse:
    filters = OrganizationFilters(
        q=query.q,
        uscc=query.uscc,
        org_type=query.type or "",
        level=query.level or "",
        jurisdiction=query.jurisdiction,
        status=query.status or "",
        category=query.category or "",
        supervisory_unit=query.supervisory_unit,
        removed_from=query.removed_from,
        removed_to=query.removed_to,
        sort=query.sort,
    )
    result = organization_page(caller(request), filters, page=query.page, page_size=query.page_size)
    # Rows are built here from the schema's own fields, so the page is written out directly
    # rather than validated again item by item (tests check it against the schema).
    return json_response(
        json_bytes(
            {
                "count": result.count,
                "count_exact": result.count_exact,
                "page": query.page,
                "page_size": query.page_size,
                "items": [_item(org) for org in result.items],
            }
        )
    )


@router.get(
    "/organizations/{uscc}",
    response={200: OrganizationDetail, **ERRORS},
    summary="查看社会组织详情",
    openapi_extra=permission("registry.view"),
)
def organization_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    """``uscc`` is the credit code (or the internal id of a filed community organization).
    The document is cached under the organization's version and carries it as ``ETag``; a
    request with ``If-None-Match`` naming the current version gets 304."""
    user = caller(request)
    pk, version = registry_access.access_organization_version(user, uscc)
    key = cache_key("registry.organization.api", pk, version)
    tag = etag(key)
    unchanged = not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    body = cached(key, lambda: _detail_json(organization_profile(user, pk)))
    return json_response(body, etag=tag)


def _detail_json(profile: OrganizationProfile) -> bytes:
    return json_bytes(OrganizationDetail.model_validate(_detail(profile)).model_dump())


@router.post(
    "/organizations",
    response={201: OrganizationDetail, 422: ValidationErrorOut, **ERRORS},
    summary="录入历史登记档案（登记员）",
    openapi_extra=permission("registry.create"),
)
def organization_enter(request: HttpRequest, payload: OrganizationIn) -> Status[dict[str, Any]]:
    user = caller(request)
    values = payload.model_dump()
    values.update(
        entry_references(
            jurisdiction=payload.jurisdiction,
            supervisory_unit=payload.supervisory_unit,
            industry_regulator=payload.industry_regulator,
        )
    )
    values["management_mode"] = values["management_mode"] or ""
    org = organization_create(actor=user, values=values)
    return Status(201, _detail(organization_profile(user, org.uscc or org.pk)))


@router.post(
    "/data_correction",
    response={201: DataCorrectionOut, 422: ValidationErrorOut, **ERRORS},
    tags=[str(DATA_CORRECTION.label)],
    summary="提出数据更正",
    openapi_extra=permission("registry.propose_correction"),
)
def correction_create(request: HttpRequest, payload: CorrectionIn) -> Status[dict[str, Any]]:
    user = caller(request)
    org = registry_access.access_organization(user, payload.organization)
    correction = correction_propose(
        actor=user, organization=org, changes=payload.changes, reason=payload.reason
    )
    return Status(
        201, workflow_item(DATA_CORRECTION, DATA_CORRECTION.access(user, correction.pk), user)
    )
