"""JSON API of registration applications: applicants open drafts, save the proposed data and
upload materials here; every state change (submit, accept, consent, approve …) goes through the
generic workflow routes ``POST /api/v1/application/{id}/transitions`` and
``POST /api/v1/opinion/{id}/transitions``.

No ``from __future__ import annotations``: django-ninja reads the live annotations."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from socorg.core.api import (
    ERRORS,
    ValidationErrorOut,
    WorkflowItemOut,
    caller,
    permission,
    register_item_fields,
    register_permission,
    workflow_item,
)
from socorg.core.inputs import InputSchema
from socorg.core.models import User
from socorg.registration.access import access_application
from socorg.registration.models import Application, Opinion
from socorg.registration.processes import (
    APPLICATION,
    OPINION,
    PRINCIPAL_REVIEW,
    TERM_TRANSITION,
)
from socorg.registration.selectors import applications as selectors
from socorg.registration.services import applications as services

router = Router(tags=["登记申请"])


class OpinionBrief(Schema):
    id: int
    department: str
    role: str
    role_label: str
    state: str
    state_label: str
    comment: str
    due_on: date
    escalated: bool


class MaterialFileOut(Schema):
    id: int
    name: str
    size: int


class MaterialOut(Schema):
    key: str
    label: str
    required: bool
    kinds: list[str]
    files: list[MaterialFileOut]


class ApplicationOut(WorkflowItemOut):
    kind: str
    kind_label: str
    org_type: str
    title: str
    management_mode: str
    organization_uscc: str | None
    data: dict[str, Any]
    submitted_at: datetime | None
    complete_on: date | None
    reasons: str
    opinions: list[OpinionBrief]
    materials: list[MaterialOut]


class OpinionOut(WorkflowItemOut):
    application_id: int
    application_title: str
    department: str
    role: str
    role_label: str
    comment: str
    due_on: date
    escalated: bool


def _opinion_brief(o: Opinion, comment: str) -> dict[str, Any]:
    return {
        "id": o.pk,
        "department": str(o.department),
        "role": o.role,
        "role_label": str(o.get_role_display()),
        "state": o.state,
        "state_label": str(o.get_state_display()),
        "comment": comment,
        "due_on": o.due_on,
        "escalated": o.escalated_at is not None,
    }


def _application_values(app: Application, user: User) -> dict[str, Any]:
    return {
        "kind": app.kind,
        "kind_label": str(app.get_kind_display()),
        "org_type": app.org_type,
        "title": app.title,
        "management_mode": app.management_mode,
        "organization_uscc": app.organization.uscc if app.organization else None,
        "data": app.data,
        "submitted_at": app.submitted_at,
        "complete_on": app.complete_on,
        "reasons": app.reasons,
        "opinions": [
            _opinion_brief(row.opinion, row.comment) for row in selectors.opinions_for(user, app)
        ],
        "materials": [
            {
                "key": row.material.key,
                "label": str(row.material.label),
                "required": row.material.required,
                "kinds": sorted(row.material.kinds),
                "files": [{"id": f.pk, "name": f.original_name, "size": f.size} for f in row.files],
            }
            for row in selectors.material_rows(app)
        ],
    }


def _opinion_values(o: Opinion, _user: User) -> dict[str, Any]:
    # ``o`` passed ``access_opinion``: the caller's own department's opinion, or the division
    # head's follow-up, shown in full.
    brief = _opinion_brief(o, o.comment)
    return {
        "application_id": o.application_id,
        "application_title": o.application.title,
        **{
            k: brief[k]
            for k in ("department", "role", "role_label", "comment", "due_on", "escalated")
        },
    }


register_item_fields(APPLICATION.name, ApplicationOut, _application_values)
register_item_fields(OPINION.name, OpinionOut, _opinion_values)
register_permission(APPLICATION.name, "registration.view")
register_permission(OPINION.name, "registration.view_opinions")
# Principal candidate review and term transitions use the generic item.
register_permission(PRINCIPAL_REVIEW.name, "principals.view")
register_permission(TERM_TRANSITION.name, "terms.view")
APPLY = permission("registration.apply")


class ApplicationIn(InputSchema):
    kind: str = Field(
        max_length=40, description="申请事项，如 establishment、change、deregistration"
    )
    org_type: str = Field("", max_length=40, description="组织类型（成立登记、名称核准时必填）")
    jurisdiction: str = Field(
        "", max_length=12, description="登记管理机关所在区划代码（成立登记、名称核准时必填）"
    )
    data: dict[str, Any] = Field(default_factory=dict, description="申请内容（按事项的表单字段）")


class ApplicationDataIn(InputSchema):
    data: dict[str, Any]


class MaterialIn(InputSchema):
    key: str = Field(max_length=60, description="材料清单中的材料项")


class ApplicationRow(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    state: str
    state_label: str
    submitted_at: datetime | None


CREATED = {200: ApplicationOut, 422: ValidationErrorOut, **ERRORS}


@router.post("/applications", response=CREATED, summary="新建登记申请（草稿）", openapi_extra=APPLY)
def application_create(request: HttpRequest, payload: ApplicationIn) -> dict[str, Any]:
    user = caller(request)
    app = services.application_create(
        actor=user,
        kind=payload.kind,
        org_type=payload.org_type,
        jurisdiction_code=payload.jurisdiction,
        data=payload.data,
    )
    return workflow_item(APPLICATION, access_application(user, app.pk), user)


@router.get(
    "/applications",
    response={200: list[ApplicationRow], **ERRORS},
    summary="我可见的登记申请",
    openapi_extra=permission("registration.view"),
)
def application_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    return [
        {
            "id": a.pk,
            "kind": a.kind,
            "kind_label": str(a.get_kind_display()),
            "title": a.title,
            "state": a.state,
            "state_label": str(a.get_state_display()),
            "submitted_at": a.submitted_at,
        }
        for a in selectors.applications_of_applicant(user)[:200]
    ]


@router.put(
    "/applications/{id}/data",
    response=CREATED,
    summary="保存申请内容（草稿或补正）",
    openapi_extra=APPLY,
)
def application_update(request: HttpRequest, id: int, payload: ApplicationDataIn) -> dict[str, Any]:
    user = caller(request)
    app = access_application(user, id)
    services.application_update(actor=user, application=app, data=payload.data)
    return workflow_item(APPLICATION, access_application(user, id), user)


@router.post(
    "/applications/{id}/materials", response=CREATED, summary="上传申请材料", openapi_extra=APPLY
)
def material_upload(
    request: HttpRequest, id: int, form: Form[MaterialIn], file: File[UploadedFile]
) -> dict[str, Any]:
    user = caller(request)
    app = access_application(user, id)
    services.material_upload(actor=user, application=app, key=form.key, upload=file)
    return workflow_item(APPLICATION, access_application(user, id), user)
