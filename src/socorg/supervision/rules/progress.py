"""Filing progress rules (AR-1, AR-2): who had to file for a year, as bounds a query can use,
and where a filing stands. Pure functions of plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socorg.supervision.rules.annual_reports import (
    FOUNDATION,
    SOCIAL_GROUP,
    SOCIAL_SERVICE_AGENCY,
    _months_before_year_end,
)

# Types that file an annual report (community organizations are filed, not registered: AR-2).
FILING_TYPES = (SOCIAL_GROUP, SOCIAL_SERVICE_AGENCY, FOUNDATION)

# Where a filing stands, for the progress page (report states grouped as the bureau counts them).
NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED = "submitted"
CONCLUDED = "concluded"
PUBLISHED = "published"
BUCKETS = (NOT_STARTED, DRAFT, SUBMITTED, CONCLUDED, PUBLISHED)
FILED_BUCKETS = frozenset({SUBMITTED, CONCLUDED, PUBLISHED})
STATE_BUCKET = {
    "draft": DRAFT,
    "unit_review": SUBMITTED,
    "bureau_review": SUBMITTED,
    "returned": SUBMITTED,
    "concluded": CONCLUDED,
    "published": PUBLISHED,
}


@dataclass(frozen=True)
class FilingWindow:
    """AR-2 as bounds: an organization files for the year if founded on or before
    ``founded_by`` and not removed before ``present_from`` (the next year's 01-01)."""

    founded_by: date
    present_from: date


def filing_window(*, year: int, min_months: int) -> FilingWindow:
    """The bounds of ``rules.annual_reports.must_file`` for ``year`` (AR-2)."""
    return FilingWindow(_months_before_year_end(year, min_months), date(year + 1, 1, 1))


def is_late(*, due_on: date, submitted_on: date | None, today: date) -> bool:
    """AR-1: filed after the due day, or not filed and the due day has passed."""
    if submitted_on is not None:
        return submitted_on > due_on
    return today > due_on


def default_year(today: date) -> int:
    """The year whose reports the bureau follows now: last year's (due in this one)."""
    return today.year - 1
