"""The JSON API's shared parts: authentication, the error shape, and the workflow routes that
every registered process gets (``GET /<process>/{id}``, ``POST /<process>/{id}/transitions``).

Errors: 401 ``{"detail"}`` without valid credentials, 403 ``{"detail"}`` for a forbidden action,
404 ``{"detail"}`` outside the caller's scope (existence is not revealed), 409 ``{"detail"}``
when the item moved meanwhile, 422 ``{"detail", "errors": {field: [messages]}}`` for bad input,
400 ``{"detail"}`` for a request refused at the door (``core.middleware.InputGuardMiddleware``).

No ``from __future__ import annotations`` here: the workflow routes are built in a loop and
django-ninja reads their parameter types from the live annotations."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial, wraps
from typing import Any, Literal

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import create_model

from socorg.core import access, calendar, workflow
from socorg.core.inputs import InputSchema, MultiLine
from socorg.core.models import DayUnit, Deadline, User
from socorg.core.text import LONG_TEXT_MAX
from socorg.core.tokens import token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# --- authentication -------------------------------------------------------------------------


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` (tokens from ``socorg token create``)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_authenticate(token)


class SessionCsrfAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods must also carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # CSRF is checked below, and only for a signed-in session: a request without any
        # credentials must get 401, not a CSRF 403.
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF 校验失败，请刷新页面后重试。"))
        return user


# Bearer first: a token client has no session, and must not be asked for a CSRF token.
API_AUTH = [BearerTokenAuth(), SessionCsrfAuth()]


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


_ENCODER = NinjaJSONEncoder()
_JSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _json_default(value: Any) -> Any:
    # Timestamps, decimals and the rest as Django writes them (ISO 8601 to the millisecond,
    # decimals as strings).
    return _ENCODER.default(value)


def json_bytes(data: Any) -> bytes:
    """UTF-8 JSON with Chinese as characters, not ``\\uXXXX`` escapes (orjson: several times
    faster than the standard library for the same text, apart from whitespace)."""
    return orjson.dumps(data, default=_json_default, option=_JSON_OPTIONS)


class FastJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return json_bytes(data)


def json_response(body: bytes, *, status: int = 200, etag: str = "") -> HttpResponse:
    """A response whose body is already JSON (a cached representation)."""
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if etag:
        response["ETag"] = etag
    return response


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """304 when the caller already holds the representation ``etag`` names."""
    held = request.headers.get("If-None-Match", "")
    if etag and etag in {tag.strip() for tag in held.split(",")}:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    return None


# --- error shape ----------------------------------------------------------------------------

PYDANTIC_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("此项为必填项。"),
    "int_parsing": gettext_lazy("请输入整数。"),
    "int_type": gettext_lazy("请输入整数。"),
    "int_from_float": gettext_lazy("请输入整数。"),
    "greater_than_equal": gettext_lazy("不能小于 %(ge)s。"),
    "greater_than": gettext_lazy("须大于 %(gt)s。"),
    "less_than_equal": gettext_lazy("不能大于 %(le)s。"),
    "less_than": gettext_lazy("须小于 %(lt)s。"),
    "enum": gettext_lazy("取值无效，可选值为：%(expected)s。"),
    "literal_error": gettext_lazy("取值无效，可选值为：%(expected)s。"),
    "date_parsing": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD。"),
    "date_from_datetime_parsing": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD。"),
    "date_from_datetime_inexact": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD。"),
    "date_type": gettext_lazy("日期格式不正确，应为 YYYY-MM-DD。"),
    "string_type": gettext_lazy("应为文本。"),
    "string_too_long": gettext_lazy("长度不能超过 %(max_length)s 个字符。"),
    "string_too_short": gettext_lazy("长度不能少于 %(min_length)s 个字符。"),
    "string_pattern_mismatch": gettext_lazy("格式不正确。"),
    "decimal_parsing": gettext_lazy("请输入数字。"),
    "decimal_type": gettext_lazy("请输入数字。"),
    "float_parsing": gettext_lazy("请输入数字。"),
    "decimal_max_digits": gettext_lazy("数字不能超过 %(max_digits)s 位。"),
    "decimal_max_places": gettext_lazy("小数不能超过 %(decimal_places)s 位。"),
    "decimal_whole_digits": gettext_lazy("整数部分位数过多。"),
    "bool_parsing": gettext_lazy("应为 true 或 false。"),
    "dict_type": gettext_lazy("应为 JSON 对象。"),
    "model_attributes_type": gettext_lazy("应为 JSON 对象。"),
    "list_type": gettext_lazy("应为列表。"),
    "json_invalid": gettext_lazy("请求体不是有效的 JSON。"),
}
ALL_FIELDS = "__all__"


def pydantic_message(error: dict[str, Any]) -> str:
    """A Chinese message for one pydantic error (its own text for our validators' errors)."""
    ctx = error.get("ctx") or {}
    if error.get("type") == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    template = PYDANTIC_MESSAGES.get(error.get("type", ""))
    if template is None:
        return _("取值无效。")
    if "expected" in ctx:
        # pydantic says "'a', 'b' or 'c'"; list the values the Chinese way.
        ctx = {**ctx, "expected": "、".join(re.findall(r"'([^']*)'", str(ctx["expected"])))}
    try:
        return str(template) % ctx
    except (KeyError, TypeError):
        return str(template).split("%")[0].rstrip("：，, ") + "。"


def error_field(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("query", "page")`` -> ``page``; ``("body", "payload", "a", 0)`` -> ``a.0``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    elif parts and parts[0] == "body":
        parts = parts[2:]
    return ".".join(parts) or ALL_FIELDS


def unprocessable(
    api: NinjaAPI, request: HttpRequest, errors: dict[str, list[str]]
) -> HttpResponse:
    payload = {"detail": _("提交的数据有误，请检查后重试。"), "errors": errors}
    return api.create_response(request, payload, status=422)


def _ninja_validation_error(
    request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI
) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(error_field(error.get("loc", ())), []).append(pydantic_message(error))
    return unprocessable(api, request, errors)


def _django_validation_error(
    request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI
) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        errors = {ALL_FIELDS: [str(m) for m in exc.messages]}
    return unprocessable(api, request, errors)


def _detail(
    status: int, default: str, request: HttpRequest, exc: Exception, api: NinjaAPI
) -> HttpResponse:
    message = str(exc) if exc.args and str(exc) else default
    return api.create_response(request, {"detail": message}, status=status)


# django-ninja's own English messages, in Chinese.
NINJA_MESSAGES = {
    "Cannot parse request body": gettext_lazy("请求体不是有效的 JSON。"),
    "Too many requests.": gettext_lazy("请求过于频繁，请稍后再试。"),
}


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    message = str(exc)
    for english, chinese in NINJA_MESSAGES.items():
        if message.startswith(english):
            message = str(chinese)
    return api.create_response(request, {"detail": message}, status=exc.status_code)


def _unauthenticated(request: HttpRequest, exc: AuthenticationError, api: NinjaAPI) -> HttpResponse:
    message = _("未登录或身份凭证无效：请登录，或在 Authorization 头中提供有效的 Bearer 令牌。")
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="socorg"'
    return response


def _workflow_error(
    request: HttpRequest, exc: workflow.WorkflowError, api: NinjaAPI
) -> HttpResponse:
    if isinstance(exc, workflow.ActionRefused):
        return unprocessable(api, request, {ALL_FIELDS: [str(exc)]})
    return api.create_response(request, {"detail": str(exc)}, status=exc.status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Chinese messages and one shape for every refusal (see the module docstring)."""
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(AuthenticationError, partial(_unauthenticated, api=api))
    api.add_exception_handler(NinjaValidationError, partial(_ninja_validation_error, api=api))
    api.add_exception_handler(DjangoValidationError, partial(_django_validation_error, api=api))
    api.add_exception_handler(workflow.WorkflowError, partial(_workflow_error, api=api))
    api.add_exception_handler(Http404, partial(_detail, 404, _("未找到，或您无权查看。"), api=api))
    api.add_exception_handler(
        PermissionDenied, partial(_detail, 403, _("您没有执行此操作的权限。"), api=api)
    )


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


# --- workflow items -------------------------------------------------------------------------


class ActionOut(Schema):
    name: str
    label: str
    comment_required: bool


class TransitionOut(Schema):
    action: str
    action_label: str
    from_state: str
    from_state_label: str
    to_state: str
    to_state_label: str
    actor: str
    actor_role: str
    comment: str
    created_at: datetime


class DeadlineOut(Schema):
    rule_id: str
    state: str
    unit: str
    unit_label: str
    days: int
    started_on: date
    due_on: date
    is_open: bool
    paused_on: date | None
    days_left: int | None = Field(
        description="剩余天数（按时限单位计），仅对进行中且未暂停的时限给出"
    )


class WorkflowItemOut(Schema):
    id: int
    process: str
    process_label: str
    state: str
    state_label: str
    is_final: bool
    available_actions: list[ActionOut]
    history: list[TransitionOut]
    deadline: DeadlineOut | None


class GenericItemOut(WorkflowItemOut):
    fields: dict[str, Any]


class TransitionIn(InputSchema):
    action: str = Field(description="操作名称（见 available_actions）")
    comment: MultiLine = Field("", max_length=LONG_TEXT_MAX, description="意见")
    expected_state: str | None = Field(
        None, max_length=40, description="提交时所见的状态；若事项已被他人处理则返回 409"
    )


@dataclass(frozen=True)
class ItemFields:
    """What a process adds to its item: a schema extending WorkflowItemOut and the function
    that gives the values of the extra fields."""

    schema: type[WorkflowItemOut]
    # (item, the user it is shown to): what a user sees of an item may depend on who they are.
    values: Callable[[Any, User], dict[str, Any]]


_ITEM_FIELDS: dict[str, ItemFields] = {}


def register_item_fields(
    process: str, schema: type[WorkflowItemOut], values: Callable[[Any, User], dict[str, Any]]
) -> None:
    """Declare the fields of ``process``'s items that matter (call before the routes are built)."""
    _ITEM_FIELDS[process] = ItemFields(schema, values)


JSON_SCALARS = (str, int, float, bool, date, datetime, Decimal, type(None))


def _generic_values(obj: Any, user: User) -> dict[str, Any]:
    """Every field of an item whose process declared none (files and relations as text)."""
    fields = {
        name: value if isinstance(value, JSON_SCALARS) else str(value)
        for name, value in model_to_dict(obj).items()
    }
    return {"fields": fields}


# The permission that lets a role see a process's items, by process name. The API documents it
# as ``x-permission`` on the process's routes (the process's access function enforces the
# scope); the access-matrix test reads it from the schema.
_PERMISSIONS: dict[str, str] = {}


def register_permission(process: str, perm: str) -> None:
    """Declare the permission behind ``process``'s routes (call before the routes are built)."""
    _PERMISSIONS[process] = permission(perm)["x-permission"]


def enforce_declared_permissions(api: NinjaAPI) -> int:
    """Every operation that declares ``x-permission`` refuses (403) a caller whose role lacks
    it, before its own code runs: the permission the schema shows is the check that runs. Call
    once all routers are added; returns how many operations are guarded."""
    guarded = 0
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                perm = (operation.openapi_extra or {}).get("x-permission")
                if perm:
                    operation.view_func = _requiring(perm, operation.view_func)
                    guarded += 1
    return guarded


def _requiring(perm: str, view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        access.require_perm(caller(request), perm)
        return view(request, *args, **kwargs)

    return guarded


def permission(perm: str) -> dict[str, Any]:
    """``openapi_extra`` of a route: the permission it requires, as ``x-permission``."""
    if perm not in access.PERMISSIONS:
        raise ValueError(f"unknown permission {perm!r}")
    return {"x-permission": perm}


def item_fields(process: workflow.Process) -> ItemFields:
    return _ITEM_FIELDS.get(process.name) or ItemFields(GenericItemOut, _generic_values)


def _action_label(process: workflow.Process, name: str) -> str:
    for act in process.actions:
        if act.name == name:
            return str(act.label)
    return name


def _transition(process: workflow.Process, row: Any) -> dict[str, Any]:
    return {
        "action": row.action,
        "action_label": str(_action_label(process, row.action)),
        "from_state": row.from_state,
        "from_state_label": str(process.state_label(row.from_state)),
        "to_state": row.to_state,
        "to_state_label": str(process.state_label(row.to_state)),
        "actor": str(row.actor) if row.actor else "",
        "actor_role": row.actor_role,
        "comment": row.comment,
        "created_at": row.created_at,
    }


def _deadline(row: Deadline | None) -> dict[str, Any] | None:
    if row is None:
        return None
    is_open = row.closed_at is None
    running = is_open and row.paused_on is None
    return {
        "rule_id": row.rule_id,
        "state": row.state,
        "unit": row.unit,
        "unit_label": str(DayUnit(row.unit).label),
        "days": row.days,
        "started_on": row.started_on,
        "due_on": row.due_on,
        "is_open": is_open,
        "paused_on": row.paused_on,
        "days_left": calendar.days_left(timezone.localdate(), row.due_on, row.unit)
        if running
        else None,
    }


def workflow_item(process: workflow.Process, obj: Any, user: User) -> dict[str, Any]:
    """The item as the API shows it to ``user`` (``obj`` already passed ``process.access``)."""
    return {
        "id": obj.pk,
        "process": process.name,
        "process_label": str(process.label),
        "state": obj.state,
        "state_label": str(process.state_label(obj.state)),
        "is_final": obj.state in process.final_states,
        "available_actions": [
            {"name": a.name, "label": str(a.label), "comment_required": a.comment_required}
            for a in workflow.available_actions(process, obj, user)
        ],
        "history": [_transition(process, row) for row in workflow.history(process, obj)],
        "deadline": _deadline(workflow.item_deadline(process, obj)),
        **item_fields(process).values(obj, user),
    }


# --- workflow routes ------------------------------------------------------------------------

# 400: refused at the door (a control character in the path or query string, a malformed
# multipart body), before the operation runs.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _transition_schema(process: workflow.Process) -> type[TransitionIn]:
    """TransitionIn whose ``action`` lists the process's actions (so OpenAPI shows them)."""
    names: Any = Literal[tuple(act.name for act in process.actions)]
    return create_model(
        f"{process.name.title().replace('_', '')}TransitionIn",
        __base__=TransitionIn,
        action=(names, Field(description="操作名称（见 available_actions）")),
    )


def add_process_routes(router: Router, process: workflow.Process) -> None:
    """``GET /<process>/{id}`` and ``POST /<process>/{id}/transitions`` for one process."""
    schema = item_fields(process).schema
    transition_in = _transition_schema(process)
    tags = [str(process.label)]
    extra = permission(_PERMISSIONS[process.name]) if process.name in _PERMISSIONS else None

    def item_detail(request: HttpRequest, id: int) -> dict[str, Any]:
        user = caller(request)
        return workflow_item(process, process.access(user, id), user)

    def item_transition(request: HttpRequest, id: int, payload: transition_in) -> dict[str, Any]:  # type: ignore[valid-type]
        user = caller(request)
        workflow.fire(
            process=process,
            key=id,
            action=payload.action,  # type: ignore[attr-defined]
            actor=user,
            comment=payload.comment,  # type: ignore[attr-defined]
            expected_state=payload.expected_state,  # type: ignore[attr-defined]
        )
        # Read again: the action's effect may have changed related records.
        return workflow_item(process, process.access(user, id), user)

    router.get(
        f"/{process.name}/{{id}}",
        response={200: schema, **ERRORS},
        tags=tags,
        operation_id=f"{process.name}_detail",
        summary=_("查看%(label)s事项") % {"label": process.label},
        openapi_extra=extra,
    )(item_detail)
    router.post(
        f"/{process.name}/{{id}}/transitions",
        response={200: schema, 409: ErrorOut, 422: ValidationErrorOut, **ERRORS},
        tags=tags,
        operation_id=f"{process.name}_transition",
        summary=_("办理%(label)s事项（执行操作）") % {"label": process.label},
        openapi_extra=extra,
    )(item_transition)


def workflow_router() -> Router:
    """Routes for every process registered so far; call once the apps are ready."""
    router = Router()
    for process in workflow.all_processes().values():
        add_process_routes(router, process)
    return router
