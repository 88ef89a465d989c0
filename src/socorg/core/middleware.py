from __future__ import annotations

import errno
import ipaddress
import re
import secrets
import time
import uuid
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _

from socorg.core.auth import OWES_PASSWORD_CHANGE, OWES_TOTP_SETUP
from socorg.core.context import request_context
from socorg.core.params import param
from socorg.core.text import control_problem

# A caller-supplied request id is kept only when it is short and plain (it is echoed in a
# header and written to the audit log).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_of(request: HttpRequest) -> str:
    supplied = request.headers.get("X-Request-ID", "")
    return supplied if _REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in networks)


def client_address(request: HttpRequest) -> str | None:
    """The caller's address: ``REMOTE_ADDR``, unless that is a trusted reverse proxy
    (``SOCORG_TRUSTED_PROXIES``); then ``X-Forwarded-For`` read from the right, skipping the
    trusted proxies, so a client cannot choose its own address by sending the header."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(settings.SOCORG_TRUSTED_PROXIES))
    if not remote or not networks or not _trusted(remote, networks):
        return remote
    forwarded = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in forwarded if h]):
        if not _trusted(hop, networks):
            return hop
    return remote


class RequestContextMiddleware:
    """Gives each request an id (echoed as ``X-Request-ID``) and records the source address
    (:func:`client_address`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        with request_context(request_id=request_id, source_ip=client_address(request)):
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
    """Refuses (400, before any view runs):

    - a path or a query string holding a control character: PostgreSQL refuses NUL in any
      text it is given, and no page or API parameter needs one;
    - a multipart body Django cannot parse (no boundary, a broken one);
    - NUL in any submitted form value (a view may read one without a form; PostgreSQL would
      fail on it, and nobody types it);
    - an uploaded file whose name holds a control character or is longer than
      ``FILE_NAME_MAX`` characters (a file system stores at most 255 bytes of a name).

    Form and JSON bodies are cleaned by the forms and schemas (``core.inputs``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = url_problem(request) or upload_problem(request) or form_problem(request)
        if problem is None:
            return self.get_response(request)
        if _is_api(request):
            return JsonResponse(
                {"detail": problem}, status=400, json_dumps_params={"ensure_ascii": False}
            )
        body = f"<!doctype html><meta charset=utf-8><title>400</title><p>{escape(problem)}</p>"
        return HttpResponse(body, status=400, content_type="text/html; charset=utf-8")


FILE_NAME_MAX = 80
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")


def url_problem(request: HttpRequest) -> str | None:
    values = [request.path, *request.GET.keys()]
    values += [value for _key, items in request.GET.lists() for value in items]
    for value in values:
        if problem := control_problem(value):
            return _("网址或查询参数有误：%(problem)s") % {"problem": problem}
    return None


def upload_problem(request: HttpRequest) -> str | None:
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.lower().startswith("multipart/"):
        return None
    _kind, params = parse_header_parameters(content_type)
    if not _BOUNDARY.fullmatch(params.get("boundary", "")):
        return _("上传的请求格式有误：multipart 请求缺少有效的分隔边界（boundary）。")
    if request.method != "POST":
        return None
    try:
        files = request.FILES
    except MultiPartParserError:
        return _("上传的请求格式有误，无法读取，请重新选择文件上传。")
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return _file_name_too_long()
        raise
    names = [upload.name or "" for _key, uploads in files.lists() for upload in uploads]
    return next(filter(None, map(file_name_problem, names)), None)


def form_problem(request: HttpRequest) -> str | None:
    if request.method != "POST" or not _is_form(request):
        return None
    for key, values in request.POST.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return _("提交的内容含有空字符（U+0000），请删除后重新提交。")
    return None


def _is_form(request: HttpRequest) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "").lower()
    return content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))


def file_name_problem(name: str) -> str | None:
    if problem := control_problem(name):
        return _("文件名有误：%(problem)s") % {"problem": problem}
    if len(name) > FILE_NAME_MAX:
        return _file_name_too_long()
    return None


def _file_name_too_long() -> str:
    return _("文件名过长（最多 %(n)s 个字符），请改短文件名后重新上传。") % {"n": FILE_NAME_MAX}


# Session keys of the idle timeout (MLPS-2): the last request's time and the timeout in force
# when the session started (read once, at login, so requests cost no parameter lookup).
LAST_ACTIVITY = "socorg_last_activity"
IDLE_SECONDS = "socorg_idle_seconds"
# The last activity is written at most this often, so a busy session is not a write per request.
ACTIVITY_RESOLUTION = 60


def session_start(request: HttpRequest, user: Any = None, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: every new session starts its idle clock (MLPS-2)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_ACTIVITY] = time.time()
        session[IDLE_SECONDS] = int(param("MLPS-2.idle_timeout_minutes")) * 60


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


@cache
def _open_paths() -> tuple[str, ...]:
    """Where a session that owes a password change or a two-factor set-up may still go."""
    names = ("login", "login_totp", "logout", "password_change", "account_security")
    return tuple(reverse(name) for name in names)


class SessionPolicyMiddleware:
    """Ends a session idle longer than MLPS-2 allows, and holds a session that owes a password
    change (MLPS-1) or the set-up of two-factor login (MLPS-3) to that page. Requests without a
    session cookie (bearer tokens, the public) pass untouched and cost nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        session = request.session
        if SESSION_KEY not in session:
            return self.get_response(request)
        now = time.time()
        idle = session.get(IDLE_SECONDS)
        last = session.get(LAST_ACTIVITY)
        if idle and last and now - float(last) > float(idle):
            return self._expired(request)
        if idle is None:
            session[IDLE_SECONDS] = int(param("MLPS-2.idle_timeout_minutes")) * 60
        if last is None or now - float(last) > ACTIVITY_RESOLUTION:
            session[LAST_ACTIVITY] = now
        owed = self._owed(request)
        return owed if owed is not None else self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        message = _("由于长时间未操作，您已自动退出，请重新登录。")
        if _is_api(request):
            return JsonResponse({"detail": message}, status=401)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())

    def _owed(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        if request.path in _open_paths() or request.path.startswith(settings.STATIC_URL):
            return None
        if session.get(OWES_PASSWORD_CHANGE):
            target, message = "password_change", _("您的密码已过期或由管理员重置，请先修改密码。")
        elif session.get(OWES_TOTP_SETUP):
            target, message = "account_security", _("您的账号须启用动态口令后才能继续使用。")
        else:
            return None
        if _is_api(request):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return redirect(target)


def csp_header(nonce: str) -> str:
    """Everything from this server only: no CDN, no inline script or style without the
    request's nonce, no framing, no plugins."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            # Bootstrap draws some icons (selects, close buttons) as data: SVG in its CSS.
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    """A ``Content-Security-Policy`` header on every response, with a fresh nonce per request
    for the few inline ``<script>``/``<style>`` blocks (templates read it as ``csp_nonce``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = csp_header(nonce)
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body (``Content-Length``) exceeds
    ``SOCORG_REQUEST_MAX_BYTES`` with 413, before anything reads the body: without it a
    multipart upload of any size is read in full (to a temporary file) before the attachment
    service finds it too large. Under WSGI the body Django reads is capped at the declared
    length, so the declaration is the bound. It sits before every middleware that reads the
    body (the input guard reads uploads)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.SOCORG_REQUEST_MAX_BYTES
        if declared_length(request) > limit:
            return too_large_response(request, limit)
        return self.get_response(request)


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("提交的内容过大（上限 %(mb)s MB），未被接收；请压缩或拆分文件后重新上传。") % {
        "mb": round(limit / 1024 / 1024, 1)
    }
    if _is_api(request) or "json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"detail": message}, status=413, json_dumps_params={"ensure_ascii": False}
        )
    title = _("内容过大")
    body = (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><p>{escape(message)}</p></body></html>"
    )
    return HttpResponse(body, status=413, content_type="text/html; charset=utf-8")
