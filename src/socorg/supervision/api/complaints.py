"""Complaints and tips API. Public: ``POST /complaints`` (anonymous, rate-limited per client
address) → ``{"tracking_code"}``; ``GET /complaints/track/{code}`` → state, dates and the
public reply only. Staff: the uniform process endpoints (``GET /complaint/{id}``,
``POST /complaint/{id}/transitions``) with the fields declared here — the complainant's
identity is never among them (it is read on the page, audited) — and the staff intake.

No ``from __future__ import annotations``: django-ninja reads the live annotations."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from socorg.core.api import (
    ERRORS,
    ErrorOut,
    ValidationErrorOut,
    WorkflowItemOut,
    caller,
    permission,
    register_item_fields,
    register_permission,
    workflow_item,
)
from socorg.core.inputs import InputSchema, MultiLine
from socorg.core.middleware import client_address
from socorg.core.models import User
from socorg.core.text import LONG_TEXT_MAX
from socorg.supervision import access
from socorg.supervision.models import Complaint, ComplaintSource
from socorg.supervision.processes import COMPLAINT
from socorg.supervision.rules.complaints import tracking_code_display
from socorg.supervision.selectors import complaints as selectors
from socorg.supervision.services import complaints as services

router = Router(tags=["投诉举报"])

register_permission(COMPLAINT.name, "complaint.view")


class ComplaintOut(WorkflowItemOut):
    tracking_code: str
    uscc: str | None
    organization: str
    source: str
    source_reference: str
    subject: str
    content: str
    received_on: date
    triaged_on: date | None
    department: str | None = Field(description="核查部门（责任部门）")
    routed_on: date | None
    result: str
    findings: str
    concluded_on: date | None
    public_reply: str
    replied_on: date | None
    closed_on: date | None
    attachments: list[str] = Field(description="附件文件名")


def _complaint_values(complaint: Complaint, _user: User) -> dict[str, Any]:
    org = complaint.organization
    return {
        "tracking_code": tracking_code_display(complaint.tracking_code),
        "uscc": org.uscc,
        "organization": org.name,
        "source": complaint.source,
        "source_reference": complaint.source_reference,
        "subject": complaint.subject,
        "content": complaint.content,
        "received_on": complaint.received_on,
        "triaged_on": complaint.triaged_on,
        "department": complaint.department.name if complaint.department else None,
        "routed_on": complaint.routed_on,
        "result": complaint.result,
        "findings": complaint.findings,
        "concluded_on": complaint.concluded_on,
        "public_reply": complaint.public_reply,
        "replied_on": complaint.replied_on,
        "closed_on": complaint.closed_on,
        "attachments": [a.original_name for a in selectors.complaint_attachments(complaint)],
    }


register_item_fields(COMPLAINT.name, ComplaintOut, _complaint_values)


class ComplaintIn(InputSchema):
    organization: str = Field(
        ..., min_length=1, max_length=100, description="被投诉组织的统一社会信用代码或全称"
    )
    subject: str = Field(..., min_length=1, max_length=100, description="投诉事项")
    content: MultiLine = Field(..., min_length=1, max_length=LONG_TEXT_MAX, description="投诉内容")
    name: str = Field("", max_length=50, description="投诉人姓名（可不填，匿名投诉）")
    phone: str = Field("", max_length=30, description="联系电话（可不填）")
    id_number: str = Field("", max_length=18, description="身份证号码（可不填）")


class ComplaintIntakeIn(ComplaintIn):
    source: ComplaintSource = Field(description="来源：hotline_12345 / referral / visit")
    source_reference: str = Field("", max_length=60, description="12345 工单号或转办文号")


class TrackingCodeOut(Schema):
    tracking_code: str = Field(description="查询码（凭此查询办理进度和答复）")


class TrackingOut(Schema):
    tracking_code: str
    state: str
    state_label: str
    organization: str
    subject: str
    received_on: date
    triaged_on: date | None
    routed_on: date | None
    replied_on: date | None
    closed_on: date | None
    reply: str = Field(description="答复意见（答复后公开给投诉人）")


def _input(payload: ComplaintIn, **extra: Any) -> services.ComplaintInput:
    return services.ComplaintInput(
        organization=payload.organization,
        subject=payload.subject,
        content=payload.content,
        name=payload.name,
        phone=payload.phone,
        id_number=payload.id_number,
        **extra,
    )


@router.post(
    "/complaints",
    auth=None,
    response={200: TrackingCodeOut, 400: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="投诉举报（公开，可匿名）",
)
def complaint_file(
    request: HttpRequest, response: HttpResponse, payload: ComplaintIn
) -> Status[dict[str, Any]]:
    """Files a complaint about an organization; the answer is the tracking code, the only key
    to its progress and reply. Attachments are filed on the web page."""
    if selectors.complaint_filing_throttled(client_address(request) or "unknown"):
        response["Retry-After"] = str(selectors.RATE_LIMIT[1])
        return Status(429, {"detail": _("提交过于频繁，请稍后再试。")})
    complaint = services.complaint_file_public(data=_input(payload))
    return Status(200, {"tracking_code": tracking_code_display(complaint.tracking_code)})


@router.get(
    "/complaints/track/{code}",
    auth=None,
    response={200: TrackingOut, 400: ErrorOut, 404: ErrorOut},
    summary="查询投诉举报办理进度（公开）",
)
def complaint_track(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    tracking = selectors.complaint_track(code)
    if tracking is None:
        return Status(404, {"detail": _("未找到该查询码对应的投诉举报，请核对后重新输入。")})
    return Status(200, tracking.as_dict())


@router.post(
    "/complaints/intake",
    response={200: ComplaintOut, 422: ValidationErrorOut, **ERRORS},
    summary="登记投诉举报（12345热线、转办件、来访来信）",
    openapi_extra=permission("complaint.intake"),
)
def complaint_intake(request: HttpRequest, payload: ComplaintIntakeIn) -> dict[str, Any]:
    user = caller(request)
    complaint = services.complaint_intake(
        actor=user,
        data=_input(payload, source=payload.source, source_reference=payload.source_reference),
    )
    return workflow_item(COMPLAINT, access.access_complaint(user, complaint.pk), user)
