"""Supervision API: annual reports, credit lists. The uniform process endpoints
(``GET /<process>/{id}``, ``POST /<process>/{id}/transitions``) of the annual report, the credit
listing and the dormant candidate come from the process registry; this module declares who may
read them, and adds the annual reports' list and the organization's own filing (the same
validation as the page: ``rules.annual_reports``).

No ``from __future__ import annotations``: django-ninja reads the live annotations."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from socorg.core.api import (
    ERRORS,
    ValidationErrorOut,
    WorkflowItemOut,
    caller,
    json_bytes,
    json_response,
    permission,
    register_item_fields,
    register_permission,
    workflow_item,
)
from socorg.core.inputs import MAX_PAGE, InputSchema
from socorg.core.models import User
from socorg.supervision.models import AnnualReport, AnnualReportState, Conclusion
from socorg.supervision.processes import ANNUAL_REPORT, DORMANT_CANDIDATE
from socorg.supervision.rules import annual_reports as rules
from socorg.supervision.selectors import annual_reports as selectors
from socorg.supervision.services import annual_reports as services

router = Router(tags=["supervision"])

register_permission(ANNUAL_REPORT.name, "annual_report.view")
register_permission(DORMANT_CANDIDATE.name, "campaign.view")


class AnnualReportOut(WorkflowItemOut):
    uscc: str | None
    name: str
    year: int
    org_type: str
    due_on: date | None
    submitted_on: date | None
    conclusion: str
    conclusion_label: str
    conclusion_reasons: str
    concluded_on: date | None
    published_on: date | None
    data: dict[str, Any]
    problems: dict[str, str] = Field(description="报送前须修改的问题（按字段）")
    flags: dict[str, str] = Field(description="基金会支出比例提示（按字段，不影响报送）")
    auto_fail: list[str] = Field(description="应当认定为不合格的情形（代码）")


def _report_values(report: AnnualReport, _user: User) -> dict[str, Any]:
    org = report.organization
    # What would stop a submission matters only while the organization can still change it.
    editable = report.state in (AnnualReportState.DRAFT, AnnualReportState.RETURNED)
    return {
        "uscc": org.uscc,
        "name": org.name,
        "year": report.year,
        "org_type": report.org_type,
        "due_on": report.due_on,
        "submitted_on": report.submitted_on,
        "conclusion": report.conclusion,
        "conclusion_label": str(report.get_conclusion_display()) if report.conclusion else "",
        "conclusion_reasons": report.conclusion_reasons,
        "concluded_on": report.concluded_on,
        "published_on": report.published_on,
        "data": report.data,
        "problems": rules.filing_problems(report.org_type, report.data) if editable else {},
        "flags": rules.flag_messages(report.flags or {}),
        "auto_fail": list(report.auto_fail or []),
    }


register_item_fields(ANNUAL_REPORT.name, AnnualReportOut, _report_values)


class AnnualReportQuery(InputSchema):
    organization: str = Field("", max_length=30, description="统一社会信用代码或组织编号")
    year: int | None = Field(None, ge=1990, le=2100, description="报告年度")
    state: AnnualReportState | None = Field(None, description="状态")
    conclusion: Conclusion | None = Field(None, description="年检结论")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码（从 1 开始）")
    page_size: int = Field(20, ge=1, le=100, description="每页条数（最多 100）")


class AnnualReportItem(Schema):
    id: int
    uscc: str | None
    name: str
    year: int
    state: str
    conclusion: str
    submitted_on: date | None
    concluded_on: date | None


class AnnualReportPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[AnnualReportItem]


class AnnualReportIn(InputSchema):
    year: int = Field(ge=1990, le=2100, description="报告年度")
    data: dict[str, Any] = Field(
        default_factory=dict, description="报告内容（按组织类型的年度报告字段）"
    )


class AnnualReportDataIn(InputSchema):
    data: dict[str, Any] = Field(description="报告内容（按组织类型的年度报告字段）")


SAVED = {200: AnnualReportOut, 422: ValidationErrorOut, **ERRORS}


@router.get(
    "/annual-reports",
    response={200: AnnualReportPageOut, 422: ValidationErrorOut, **ERRORS},
    summary="查询年度报告",
    openapi_extra=permission("annual_report.view"),
)
def annual_report_list(request: HttpRequest, query: Query[AnnualReportQuery]) -> HttpResponse:
    filters = selectors.ReportFilters(
        organization=query.organization,
        year=query.year,
        state=query.state or "",
        conclusion=query.conclusion or "",
    )
    page = selectors.report_page(
        caller(request), filters, page=query.page, page_size=query.page_size
    )
    items = [
        {
            "id": r.pk,
            "uscc": r.organization.uscc,
            "name": r.organization.name,
            "year": r.year,
            "state": r.state,
            "conclusion": r.conclusion,
            "submitted_on": r.submitted_on,
            "concluded_on": r.concluded_on,
        }
        for r in page.object_list
    ]
    # A page past the end answers the last page's number (as the registry list does not
    # pretend to have items there): the number asked is echoed, the items are empty.
    if query.page > page.paginator.num_pages:
        items = []
    return json_response(
        json_bytes(
            {
                "count": page.paginator.count,
                "page": query.page,
                "page_size": query.page_size,
                "items": items,
            }
        )
    )


@router.post(
    "/annual-reports",
    response=SAVED,
    summary="填报年度报告（本组织）",
    openapi_extra=permission("annual_report.file"),
)
def annual_report_create(request: HttpRequest, payload: AnnualReportIn) -> dict[str, Any]:
    """Opens the year's report (pre-filled from last year's) and saves ``data`` over it; a
    value of the wrong kind refuses the whole request and nothing is created."""
    user = caller(request)
    report = services.annual_report_file(actor=user, year=payload.year, data=payload.data)
    return workflow_item(ANNUAL_REPORT, selectors.report_for(user, report.pk), user)


@router.put(
    "/annual-reports/{id}",
    response=SAVED,
    summary="保存年度报告内容（草稿或退回修改）",
    openapi_extra=permission("annual_report.file"),
)
def annual_report_update(
    request: HttpRequest, id: int, payload: AnnualReportDataIn
) -> dict[str, Any]:
    user = caller(request)
    report = selectors.report_for(user, id)
    services.annual_report_save(actor=user, report=report, data=payload.data)
    return workflow_item(ANNUAL_REPORT, selectors.report_for(user, id), user)


@router.post(
    "/annual-reports/{id}/audit-report",
    response=SAVED,
    summary="上传财务审计报告（PDF）",
    openapi_extra=permission("annual_report.file"),
)
def audit_report_upload(request: HttpRequest, id: int, file: File[UploadedFile]) -> dict[str, Any]:
    user = caller(request)
    report = selectors.report_for(user, id)
    services.audit_report_attach(actor=user, report=report, upload=file)
    return workflow_item(ANNUAL_REPORT, selectors.report_for(user, id), user)
