"""Credit-list rules (CR-2 … CR-5) as pure functions of dates and codes; no ORM.

Which rule puts each coded ground on which list (``GROUND_RULES``, ``GROUND_LIST``); the notice
window before an automatic listing takes effect (CR-2 due process, counted in working days with
China's holidays and make-up working days, ``core.calendar``); the earliest delisting date of a
listing (CR-3, CR-5) and when an organization has been on the abnormal list long enough to move
to the serious list (CR-4).

Which grounds are delisted automatically (CR-3: "automatically 6 months after listing where
nothing was to be rectified"): only ``UNREACHABLE``. An organization that cannot be reached at
its domicile has no duty left to perform once the fact is recorded, whereas a missing annual
report must be filed and a rectification notice complied with: those two stay listed until the
organization applies after meeting the duty (CR-3 "on application after the duty is met") or,
after ``CR-4.abnormal_years`` full years, move to the serious list (CR-4).

On the serious list (CR-5) the clean period of ``CR-5.clean_years`` full years applies to every
ground except ``REVOKED`` (delisted only once deregistration is complete) and
``ABNORMAL_TWO_YEARS`` (after the clean period only when the outstanding duties are met, which
the sweep checks against the abnormal grounds it can see).

A new ground while an organization is listed restarts the clock of its open listings on the
same list (CR-3; CR-5 "with no new ground"): ``clock_started_on`` moves to the day the new
ground takes effect and ``delist_earliest`` is recomputed from it."""

from __future__ import annotations

import calendar as _months
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from socorg.core import calendar
from socorg.supervision.models.credit import CreditList, ListingGround

G = ListingGround

GROUND_RULES: dict[str, str] = {
    G.ANNUAL_REPORT_NOT_FILED: "CR-2",
    G.RECTIFICATION_NOT_DONE: "CR-2",
    G.UNREACHABLE: "CR-2",
    G.ABNORMAL_TWO_YEARS: "CR-4",
    G.FRAUDULENT_CHANGE: "CR-4",
    G.SUSPENDED: "CR-4",
    G.LARGE_FINE: "CR-4",
    G.REPEATED_PENALTIES: "CR-4",
    G.DISHONEST_DEBTOR: "CR-4",
    G.REVOKED: "CR-4",
    G.OTHER_STATUTORY: "CR-4",
}

GROUND_LIST: dict[str, str] = {
    ground: (CreditList.ABNORMAL if rule == "CR-2" else CreditList.SERIOUS)
    for ground, rule in GROUND_RULES.items()
}

# CR-3: abnormal grounds with nothing to rectify, delisted automatically after the period.
AUTO_DELIST_GROUNDS: frozenset[str] = frozenset({G.UNREACHABLE})
# CR-5: serious grounds that are not delisted by the clean period alone.
NO_CLEAN_PERIOD_GROUNDS: frozenset[str] = frozenset({G.REVOKED})
# Grounds the compliance sweep finds by itself; the others are listed by hand (creditui).
SWEEP_GROUNDS: frozenset[str] = frozenset(
    {
        G.ANNUAL_REPORT_NOT_FILED,
        G.UNREACHABLE,
        G.ABNORMAL_TWO_YEARS,
        G.REVOKED,
        G.SUSPENDED,
        G.LARGE_FINE,
        G.REPEATED_PENALTIES,
    }
)
# CR-4 grounds the sweep reads from penalty decisions (enforcement cases).
PENALTY_GROUNDS: frozenset[str] = frozenset({G.SUSPENDED, G.LARGE_FINE, G.REPEATED_PENALTIES})


@dataclass(frozen=True)
class PenaltyDecision:
    """One penalty decision of an organization, as the sweep reads it."""

    case_id: int
    number: str
    decided_on: date
    penalty: str
    amount: Decimal | None = None

    def as_evidence(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "case": self.case_id,
            "decision_number": self.number,
            "decided_on": self.decided_on.isoformat(),
            "penalty": self.penalty,
        }
        if self.amount is not None:
            row["amount"] = str(self.amount)
        return row


def penalty_grounds(
    decisions: list[PenaltyDecision],
    *,
    as_of: date,
    fine_threshold: Decimal,
    warning_count: int,
    window_years: int,
    recent_years: int,
) -> dict[str, dict[str, Any]]:
    """CR-4's grounds one organization's penalty decisions give on ``as_of``, with the evidence
    naming the decisions: an order to suspend activities and a fine of at least
    ``fine_threshold`` yuan decided within the last ``recent_years`` full years (the clean
    period of CR-5: an older one no longer lists anew); at least ``warning_count`` warnings or
    smaller fines within ``window_years`` full years."""
    recent_from = add_full_years(as_of, -recent_years)
    window_from = add_full_years(as_of, -window_years)
    found: dict[str, dict[str, Any]] = {}

    def evidence(rows: list[PenaltyDecision], **extra: Any) -> dict[str, Any]:
        ordered = sorted(rows, key=lambda d: (d.decided_on, d.case_id))
        return {"decisions": [d.as_evidence() for d in ordered], **extra}

    recent = [d for d in decisions if recent_from < d.decided_on <= as_of]
    suspensions = [d for d in recent if d.penalty == "suspension"]
    if suspensions:
        found[G.SUSPENDED] = evidence(suspensions)
    large = [
        d
        for d in recent
        if d.penalty == "fine" and d.amount is not None and d.amount >= fine_threshold
    ]
    if large:
        found[G.LARGE_FINE] = evidence(large, threshold=str(fine_threshold))
    smaller = [
        d
        for d in decisions
        if window_from < d.decided_on <= as_of
        and (
            d.penalty == "warning"
            or (d.penalty == "fine" and d.amount is not None and d.amount < fine_threshold)
        )
    ]
    if len(smaller) >= warning_count:
        found[G.REPEATED_PENALTIES] = evidence(
            smaller, count=warning_count, window_years=window_years
        )
    return found


def rule_of(ground: str) -> str:
    """The rule id that puts ``ground`` on its list (CR-2 or CR-4)."""
    return GROUND_RULES[ground]


def list_of(ground: str) -> str:
    """The list ``ground`` puts an organization on (abnormal for CR-2, serious for CR-4)."""
    return GROUND_LIST[ground]


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st of a shorter month becomes its last
    day (08-31 + 6 months = 02-28, or 02-29 in a leap year)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _months.monthrange(year, month)[1]))


def add_full_years(day: date, years: int) -> date:
    """The day ``years`` full years after ``day`` are complete (02-29 → 02-28)."""
    return add_months(day, 12 * years)


def respond_by(noticed_on: date, working_days: int) -> date:
    """CR-2 due process: the last day the organization may answer a notice sent on
    ``noticed_on``, ``working_days`` working days later (the notice day does not count;
    statutory holidays are skipped and make-up working days count, ``core.calendar``)."""
    return calendar.add_working_days(noticed_on, working_days)


def window_passed(respond_by_day: date, as_of: date) -> bool:
    """The listing takes effect on the first day after the window (``as_of > respond_by``)."""
    return as_of > respond_by_day


def delist_earliest(
    *, ground: str, clock_started_on: date, auto_months: int, clean_years: int
) -> date | None:
    """The earliest day a listing can leave its list automatically.

    CR-3: an abnormal ground with nothing to rectify (``AUTO_DELIST_GROUNDS``) after
    ``auto_months`` months from the clock's start; the other abnormal grounds have no automatic
    date (None: the organization applies once the duty is met). CR-5: a serious ground after
    ``clean_years`` full years with no new ground, except revocation (None: delisted once the
    deregistration is complete)."""
    if list_of(ground) == CreditList.ABNORMAL:
        if ground in AUTO_DELIST_GROUNDS:
            return add_months(clock_started_on, auto_months)
        return None
    if ground in NO_CLEAN_PERIOD_GROUNDS:
        return None
    return add_full_years(clock_started_on, clean_years)


def abnormal_full_years_reached(*, listed_since: date, as_of: date, years: int) -> bool:
    """CR-4: on the abnormal list for ``years`` full years on ``as_of``."""
    return as_of >= add_full_years(listed_since, years)


def clock_restarted(current: date | None, new_ground_on: date) -> date:
    """CR-3: a new ground while listed restarts the clock; never moves it backwards."""
    if current is None or new_ground_on > current:
        return new_ground_on
    return current


def letters_unsigned(first: date, second: date, *, gap_min: int, gap_max: int) -> bool:
    """CR-2 (draft): two registered letters ``gap_min``–``gap_max`` days apart, both returned,
    show the organization cannot be reached at its domicile."""
    return gap_min <= (second - first).days <= gap_max


def report_years_checked(as_of: date, lookback_years: int) -> range:
    """The report years the sweep checks on ``as_of``: the ``lookback_years`` years before it
    (a report for the current year is never due before next year, AR-1)."""
    return range(as_of.year - lookback_years, as_of.year)


def founded_by_for_year(year: int, min_months: int) -> date:
    """AR-2 as a date bound: an organization files for ``year`` when it was founded on or
    before this day (``min_months`` full months before 12-31; with 6, 06-30). The same bound as
    ``rules.annual_reports.must_file``, for set-wise queries."""
    return add_months(date(year, 12, 31), -min_months) if min_months else date(year, 12, 31)
