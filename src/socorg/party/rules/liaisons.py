"""Pure rules of the liaison roster and its training: phone numbers, service periods, the
training year. No ORM, no request."""

from __future__ import annotations

import re
from datetime import date

# A mainland mobile number (11 digits, 1 then 3–9) or a landline with its area code
# (0633-8771234, 06338771234), optionally with an extension (-123).
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def phone_normalize(value: str) -> str:
    """Spaces removed; full-width digits and dashes made ASCII."""
    table = str.maketrans("０１２３４５６７８９－—", "0123456789--")
    return "".join(value.translate(table).split())


def phone_valid(value: str) -> bool:
    number = phone_normalize(value)
    return bool(MOBILE.match(number) or LANDLINE.match(number))


def phone_masked(value: str) -> str:
    """The number as lists show it to everyone who may open them: a mobile's middle four
    digits hidden (138****5678), a landline's last four shown after its area code."""
    number = phone_normalize(value)
    if MOBILE.match(number):
        return f"{number[:3]}****{number[-4:]}"
    if len(number) > 4:
        return f"{'*' * (len(number) - 4)}{number[-4:]}"
    return "****"


def serving_on(starts_on: date, ends_on: date | None, on: date) -> bool:
    """Whether a service period covers ``on`` (both ends included)."""
    return starts_on <= on and (ends_on is None or ends_on >= on)


def periods_overlap(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def training_year(on: date) -> tuple[date, date]:
    """The calendar year a department's training completion is counted in."""
    return date(on.year, 1, 1), date(on.year, 12, 31)
