"""Account security rules (GB/T 22239-2019 8.1.4.1, rules MLPS-1..3): password shape and age,
login throttling delays, two-factor time steps."""

from __future__ import annotations

import hmac
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from django.utils.translation import gettext as _

_CLASSES = (set(string.ascii_uppercase), set(string.ascii_lowercase), set(string.digits))
_LETTERS_AND_DIGITS = set().union(*_CLASSES)


def character_classes(password: str) -> int:
    """How many of the four classes (upper, lower, digit, symbol) ``password`` uses (MLPS-1)."""
    chars = set(password)
    used = sum(1 for members in _CLASSES if chars & members)
    return used + (1 if chars - _LETTERS_AND_DIGITS else 0)


def password_problems(password: str, *, min_length: int, min_classes: int) -> list[str]:
    """What is wrong with ``password`` under MLPS-1, in the words the user reads."""
    problems = []
    if len(password) < min_length:
        problems.append(_("密码至少需要 %(n)d 个字符。") % {"n": min_length})
    if character_classes(password) < min_classes:
        problems.append(
            _("密码需包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": min_classes}
        )
    return problems


def password_expired(changed_at: datetime, *, max_age_days: int, now: datetime) -> bool:
    """MLPS-1: a password older than ``max_age_days`` must be changed (0: never expires)."""
    return max_age_days > 0 and now - changed_at > timedelta(days=max_age_days)


@dataclass(frozen=True)
class ThrottleDelays:
    """Free failures per account name and per client address, and the longest wait."""

    account_free: int
    address_free: int
    cap: int


def delay_seconds(failures: int, *, free: int, cap: int) -> int:
    """The wait after ``failures`` failures in a row: none while fewer than ``free``, then 1, 2,
    4 … seconds (2^k after ``free + k`` failures), never more than ``cap``."""
    over = failures - free
    if over < 0:
        return 0
    return min(2 ** min(over, 30), cap)


def totp_matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The 30-second time step (RFC 6238) whose code is ``code``: the current step or one of
    its neighbours (clock drift); None when none matches."""
    code = code.strip().replace(" ", "")
    if not (secret and len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
