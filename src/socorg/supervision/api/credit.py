"""Supervision API: annual reports, credit lists. The uniform process endpoints
(``GET /<process>/{id}``, ``POST /<process>/{id}/transitions``) of the annual report, the credit
listing and the dormant candidate come from the process registry; this module declares who may
read them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from socorg.core.api import (
    ERRORS,
    ValidationErrorOut,
    caller,
    json_bytes,
    json_response,
    permission,
    register_permission,
)
from socorg.core.inputs import MAX_PAGE, InputSchema, MultiLine
from socorg.core.text import LONG_TEXT_MAX
from socorg.registry import access as registry_access
from socorg.supervision import access
from socorg.supervision.models import CreditList, CreditListing, ListingGround
from socorg.supervision.processes import CREDIT_LISTING
from socorg.supervision.selectors.credit import ListingFilters, listing_page
from socorg.supervision.services.credit import listing_create_manual

router = Router(tags=["supervision"])

register_permission(CREDIT_LISTING.name, "credit.view")


# --- credit lists (CR-2 … CR-6) ----------------------------------------------------------------


class CreditListQuery(InputSchema):
    list: CreditList | None = Field(
        None, description="名录：abnormal 活动异常名录，serious 严重违法失信名单"
    )
    active: bool | None = Field(None, description="true 仅在列；false 仅已移出")
    organization: str = Field("", max_length=100, description="统一社会信用代码（精确）或名称包含")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码（从 1 开始）")
    page_size: int = Field(20, ge=1, le=100, description="每页条数（最多 100）")


class CreditListingItem(Schema):
    id: int
    uscc: str | None
    name: str
    list: str
    ground: str
    ground_label: str
    rule: str = Field(description="规则编号")
    evidence: dict[str, Any] = Field(description="事实依据；未报年报时 years 列出所缺年度")
    state: str
    listed_on: date | None
    delist_earliest: date | None
    delisted_on: date | None
    delist_reason: str


class CreditListPageOut(Schema):
    count: int
    count_exact: bool = Field(description="false 表示结果过多，count 为上限值")
    page: int
    page_size: int
    items: list[CreditListingItem]


def _iso_date_only(value: Any) -> Any:
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(_("日期格式不正确，应为 YYYY-MM-DD。"))
    return value


class ManualListingIn(InputSchema):
    organization: str = Field(max_length=30, description="统一社会信用代码")
    ground: ListingGround = Field(description="列入事由（决定列入哪一名录）")
    evidence: MultiLine = Field(max_length=LONG_TEXT_MAX, description="认定的事实与依据")
    facts_on: date | None = Field(None, description="事实发生日期")
    decision_document: str = Field("", max_length=100, description="决定书文号（必填）")

    _dates_as_text = field_validator("facts_on", mode="before")(_iso_date_only)


def _listing_item(listing: CreditListing) -> dict[str, Any]:
    org = listing.organization
    return {
        "id": listing.pk,
        "uscc": org.uscc,
        "name": org.name,
        "list": listing.list,
        "ground": listing.ground,
        "ground_label": listing.get_ground_display(),
        "rule": listing.rule_id,
        "evidence": listing.evidence or {},
        "state": listing.state,
        "listed_on": listing.listed_on,
        "delist_earliest": listing.delist_earliest,
        "delisted_on": listing.delisted_on,
        "delist_reason": listing.delist_reason,
    }


@router.get(
    "/credit-lists",
    response={200: CreditListPageOut, 422: ValidationErrorOut, **ERRORS},
    tags=["信用名录"],
    summary="查询信用名录",
    openapi_extra=permission("credit.view"),
)
def credit_list(request: HttpRequest, query: Query[CreditListQuery]) -> HttpResponse:
    """Listings that took effect (in force or delisted), in the caller's data scope; notices
    still in their response window are not on a list yet."""
    filters = ListingFilters(
        list=query.list or "",
        active=query.active,
        organization=query.organization,
        effective_only=True,
    )
    page = listing_page(caller(request), filters, query.page, query.page_size)
    return json_response(
        json_bytes(
            {
                "count": page.total,
                "count_exact": page.exact,
                "page": page.number,
                "page_size": query.page_size,
                "items": [_listing_item(row) for row in page.rows],
            }
        )
    )


@router.post(
    "/credit-lists",
    response={201: CreditListingItem, 422: ValidationErrorOut, **ERRORS},
    tags=["信用名录"],
    summary="依决定列入信用名录（执法人员、登记员）",
    openapi_extra=permission("credit.list"),
)
def credit_list_create(request: HttpRequest, payload: ManualListingIn) -> Status[dict[str, Any]]:
    user = caller(request)
    organization = registry_access.access_organization(user, payload.organization)
    listing = listing_create_manual(
        actor=user,
        organization=organization,
        ground=payload.ground,
        evidence_text=payload.evidence,
        facts_on=payload.facts_on,
        decision_document=payload.decision_document,
    )
    return Status(201, _listing_item(access.access_listing(user, listing.pk)))
