"""Public endpoint of the name check: ``POST /api/v1/name-check`` (anonymous, rate-limited per
client address). Input is parsed here; the check itself is ``name_check.name_check``."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from socorg.core.api import ErrorOut, ValidationErrorOut
from socorg.core.inputs import InputSchema
from socorg.registration.selectors.names import RATE_LIMIT, name_check, name_check_throttled

router = Router(tags=["名称查重"])


class NameCheckIn(InputSchema):
    name: str = Field(..., max_length=100, description="拟用名称")
    type: str = Field(
        ...,
        max_length=30,
        description="组织类型：social_group / social_service_agency / foundation / community_organization",
    )
    jurisdiction: str = Field(
        ..., pattern=r"^(\d{6}|\d{9}|\d{12})$", description="登记管理机关所在区划代码（GB/T 2260）"
    )


class NamePartsOut(Schema):
    region: str = Field(description="行政区划")
    core: str = Field(description="字号（含行业表述）")
    org_form: str = Field(description="组织形式")


class NameHitOut(Schema):
    rule: str = Field(description="规则编号（RG-2、RG-13、RG-15）")
    kind: str = Field(
        description="问题类别，如 exact、homophone、traditional、filler、national_word"
    )
    name: str = Field(description="相关名称")
    uscc: str | None = Field(description="相关组织的统一社会信用代码")
    reason: str = Field(description="原因")


class NameCheckOut(Schema):
    verdict: str = Field(description="ok 可用；conflict 重名或近似；invalid 名称不规范")
    normalized: str
    parts: NamePartsOut
    hits: list[NameHitOut]


def client_address(request: HttpRequest) -> str:
    """The caller's address as the server sees it (the reverse proxy sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


@router.post(
    "/name-check",
    auth=None,
    response={200: NameCheckOut, 400: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="名称查重（公开）",
)
def name_check_api(
    request: HttpRequest, response: HttpResponse, payload: NameCheckIn
) -> Status[dict[str, Any]]:
    """RG-2, RG-13, RG-15: whether a proposed name may be used, and why not."""
    if name_check_throttled(client_address(request)):
        response["Retry-After"] = str(RATE_LIMIT[1])
        return Status(429, {"detail": _("查询过于频繁，请稍后再试。")})
    result = name_check(
        name=payload.name, org_type=payload.type, jurisdiction_code=payload.jurisdiction
    )
    return Status(200, result.as_dict())
