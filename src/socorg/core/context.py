"""Per-request context (request id, source IP) that services read when they write audit rows.

Services never take ``request``; the middleware sets this context and tests may set it too."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    source_ip: str | None = None


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "socorg_request_context", default=None
)


def current() -> RequestContext:
    """The context of the running request, or an empty one (console, tasks)."""
    return _current.get() or _EMPTY


@contextmanager
def request_context(
    *, request_id: str | None = None, source_ip: str | None = None
) -> Iterator[None]:
    token = _current.set(RequestContext(request_id or uuid.uuid4().hex, source_ip))
    try:
        yield
    finally:
        _current.reset(token)
