"""Fixed-window rate limits in Django's cache, shared by all app processes (the public name
check, the public complaint intake)."""

from __future__ import annotations

import time

from django.core.cache import cache


def window_throttled(scope: str, client: str, limit: int, window: int) -> bool:
    """True when ``client`` (an IP address) has used up its ``limit`` calls of ``scope`` in the
    current ``window`` of seconds; counts this call."""
    key = f"{scope}:{client}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 1):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return False
    return count > limit
