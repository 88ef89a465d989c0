from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from socorg.core.context import request_context

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
