from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from socorg.core.context import request_context
from socorg.core.text import control_problem

# A caller-supplied request id is kept only when it is short and plain (it is echoed in a
# header and written to the audit log).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_of(request: HttpRequest) -> str:
    supplied = request.headers.get("X-Request-ID", "")
    return supplied if _REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex


class RequestContextMiddleware:
    """Gives each request an id (echoed as ``X-Request-ID``) and records the source IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        with request_context(request_id=request_id, source_ip=request.META.get("REMOTE_ADDR")):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class ChosenLanguageMiddleware:
    """The interface is zh-Hans unless the user chose another language (the language cookie or
    an explicit choice); the browser's Accept-Language header is ignored, so a clerk on an
    English-language browser still gets the Chinese interface by default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class InputGuardMiddleware:
    """Refuses (400, before any view runs) a path or a query string holding a control character:
    PostgreSQL refuses NUL in any text it is given, and no page or API parameter needs one.
    Form and JSON bodies are cleaned by the forms and schemas (``core.inputs``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self.problem(request)
        if problem is None:
            return self.get_response(request)
        message = _("网址或查询参数有误：%(problem)s") % {"problem": problem}
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
            )
        body = f"<!doctype html><meta charset=utf-8><title>400</title><p>{escape(message)}</p>"
        return HttpResponse(body, status=400, content_type="text/html; charset=utf-8")

    @staticmethod
    def problem(request: HttpRequest) -> str | None:
        for value in (request.path, *request.GET.keys()):
            if problem := control_problem(value):
                return problem
        for values in request.GET.lists():
            for value in values[1]:
                if problem := control_problem(value):
                    return problem
        return None
