from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from socorg.core.context import request_context

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
