"""Complaints and tips: the tracking code, the abuse guard's timing, and the order in which
the responsibility map names the department that verifies a complaint. Pure functions."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: a code read over the phone or copied by hand is not mistyped.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12  # 31^12 ≈ 7.9 × 10^17: not guessable at any rate the limits allow
_SEPARATORS = re.compile(r"[\s\-_.·]+")


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def tracking_code_normalize(typed: str) -> str | None:
    """The code as stored, from what a person typed (any case, spaces or dashes between the
    groups, O for 0 and I/L for 1 are not in the alphabet so they are not guessed at); None
    when it cannot be a code."""
    code = _SEPARATORS.sub("", typed or "").upper()
    if len(code) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in code):
        return None
    return code


def tracking_code_display(code: str) -> str:
    """``ABCD-EFGH-JKMN``: three groups of four, easier to read and to type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def filled_too_fast(started_at: float, now: float, min_seconds: float) -> bool:
    """The abuse guard: a person needs some seconds to fill the form; a script posts at once.
    A start time in the future (a forged value) counts as too fast too."""
    return not (0 <= now - started_at) or now - started_at < min_seconds


# The responsibility map's kinds that make a department answer for an organization's conduct,
# in order of preference; party-building management is not verification of a complaint.
ROUTING_KINDS = ("comprehensive_supervision", "pre_review")
