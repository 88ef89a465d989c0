"""The dormant-organization criteria (DO-1) as pure functions of plain values: any one of them
makes an organization a candidate of a cleanup campaign. The parameters (how many years) come
from the caller, which reads them from ``core.params`` and snapshots them on the campaign.

Years are report years: a year is *closed* once every annual report for it has fallen due
(AR-1), and only closed years count. Years before the first annual report on record say nothing
about an organization's activity and are not judged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from socorg.supervision.rules.annual_reports import must_file

# The keys of the parameters a campaign snapshots (DO-1, AR-2, CR-2).
PARAMETER_KEYS = (
    "DO-1.missed_reports_consecutive_years",
    "DO-1.inactive_after_certificate_years",
    "DO-1.inactive_in_scope_years",
    "AR-2.min_months_before_year_end",
    "CR-2.letter_count",
)
DUE_KEYS = ("AR-1.supervisory_unit_due", "AR-1.authority_due", "AR-1.foundation_due")


class DormantCriterion:
    """DO-1's criteria (codes stored on ``DormantCandidate.criteria``): any one is enough."""

    MISSED_REPORTS = "missed_reports"
    INACTIVE_AFTER_CERTIFICATE = "inactive_after_certificate"
    INACTIVE_IN_SCOPE = "inactive_in_scope"
    UNREACHABLE = "unreachable"


CRITERION_LABELS = {
    DormantCriterion.MISSED_REPORTS: _("连续未报送年度工作报告"),
    DormantCriterion.INACTIVE_AFTER_CERTIFICATE: _("取得登记证书后未开展活动"),
    DormantCriterion.INACTIVE_IN_SCOPE: _("近年未在业务范围内开展活动"),
    DormantCriterion.UNREACHABLE: _("通过住所或法定代表人无法取得联系"),
}


@dataclass(frozen=True)
class Criteria:
    """DO-1's parameters, as a campaign snapshots them."""

    missed_years: int
    after_certificate_years: int
    in_scope_years: int
    min_months: int
    letter_count: int

    @classmethod
    def from_params(cls, values: dict[str, Any]) -> Criteria:
        return cls(
            missed_years=int(values["DO-1.missed_reports_consecutive_years"]),
            after_certificate_years=int(values["DO-1.inactive_after_certificate_years"]),
            in_scope_years=int(values["DO-1.inactive_in_scope_years"]),
            min_months=int(values["AR-2.min_months_before_year_end"]),
            letter_count=int(values["CR-2.letter_count"]),
        )


@dataclass(frozen=True)
class Report:
    """What the criteria read of one annual report: filed or not, activities held."""

    year: int
    filed: bool
    activities_held: int | None


@dataclass(frozen=True)
class Contact:
    kind: str  # ContactKind codes
    made_on: date
    result: str  # ContactResult codes


@dataclass(frozen=True)
class OrgFacts:
    established_on: date
    removed_on: date | None
    reports: Sequence[Report] = ()
    contacts: Sequence[Contact] = ()


@dataclass
class Finding:
    """The criteria an organization meets and the evidence of each."""

    criteria: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.criteria)


def last_closed_year(as_of: date, dues: Iterable[str]) -> int:
    """AR-1: the latest report year whose every due date ("MM-DD" of the next year) has passed
    on ``as_of``."""
    latest = max(tuple(int(p) for p in due.split("-")) for due in dues)
    year = as_of.year - 1
    if (as_of.month, as_of.day) <= latest:
        year -= 1
    return year


def missed_reports(
    facts: OrgFacts, *, years: int, min_months: int, closed: int, records_from: int | None
) -> list[int] | None:
    """DO-1: the report was missed ``years`` years in a row — the last ``years`` closed years in
    which the organization had to file (AR-2) all lack a filed report. Returns those years (the
    whole trailing run), or None."""
    if records_from is None:
        return None
    filed = {r.year for r in facts.reports if r.filed}
    run: list[int] = []
    for year in range(closed, records_from - 1, -1):
        if not must_file(
            established_on=facts.established_on,
            removed_on=facts.removed_on,
            year=year,
            min_months=min_months,
        ):
            break
        if year in filed:
            break
        run.append(year)
    return sorted(run) if len(run) >= years else None


def inactive_after_certificate(
    facts: OrgFacts, *, years: int, closed: int, records_from: int | None
) -> list[int] | None:
    """DO-1 (RG-9): no activity within ``years`` year(s) of receiving the certificate — no filed
    report shows an activity for the years from the founding to its ``years``-th anniversary.
    Judged once those years are closed and on record. Returns the years of the window."""
    if records_from is None:
        return None
    first = facts.established_on.year
    last = first + years
    if first < records_from or last > closed:
        return None
    window = list(range(first, last + 1))
    active = {r.year for r in facts.reports if r.filed and (r.activities_held or 0) > 0}
    return None if active.intersection(window) else window


def inactive_in_scope(
    facts: OrgFacts, *, years: int, closed: int, records_from: int | None
) -> list[int] | None:
    """DO-1: no activity within its scope for the last ``years`` closed years — for each, the
    report states no activity or there is no report. The organization must have existed for the
    whole window (from 1 January of its first year), and the window must be on record."""
    window = list(range(closed - years + 1, closed + 1))
    if records_from is None or window[0] < records_from:
        return None
    if facts.established_on > date(window[0], 1, 1):
        return None
    active = {r.year for r in facts.reports if r.filed and (r.activities_held or 0) > 0}
    return None if active.intersection(window) else window


def unreachable(facts: OrgFacts, *, letter_count: int) -> dict[str, Any] | None:
    """DO-1 (CR-2): the organization cannot be reached — since the last successful contact,
    ``letter_count`` registered letters were all returned, or the legal representative could
    not be reached by phone ``letter_count`` times. Returns the dates of each."""
    contacts = sorted(facts.contacts, key=lambda c: c.made_on)
    reached = [c.made_on for c in contacts if c.result in ("signed", "reached")]
    since = max(reached) if reached else None
    recent = [c for c in contacts if since is None or c.made_on > since]
    letters = [
        c.made_on.isoformat()
        for c in recent
        if c.kind == "registered_letter" and c.result == "returned"
    ]
    calls = [c.made_on.isoformat() for c in recent if c.kind == "phone" and c.result == "unreached"]
    found: dict[str, Any] = {}
    if len(letters) >= letter_count:
        found["letters_returned"] = letters
    if len(calls) >= letter_count:
        found["representative_unreached"] = calls
    return found or None


def find(facts: OrgFacts, criteria: Criteria, *, closed: int, records_from: int | None) -> Finding:
    """Every DO-1 criterion the organization meets, with its evidence (the years not reported,
    the last year with an activity, the letters returned and the calls unanswered)."""
    finding = Finding()
    missed = missed_reports(
        facts,
        years=criteria.missed_years,
        min_months=criteria.min_months,
        closed=closed,
        records_from=records_from,
    )
    if missed:
        finding.criteria.append(DormantCriterion.MISSED_REPORTS)
        finding.evidence["years_not_reported"] = missed
    after = inactive_after_certificate(
        facts, years=criteria.after_certificate_years, closed=closed, records_from=records_from
    )
    if after:
        finding.criteria.append(DormantCriterion.INACTIVE_AFTER_CERTIFICATE)
        finding.evidence["established_on"] = facts.established_on.isoformat()
    in_scope = inactive_in_scope(
        facts, years=criteria.in_scope_years, closed=closed, records_from=records_from
    )
    if in_scope:
        finding.criteria.append(DormantCriterion.INACTIVE_IN_SCOPE)
        finding.evidence["inactive_years"] = in_scope
    if after or in_scope:
        active = [r.year for r in facts.reports if r.filed and (r.activities_held or 0) > 0]
        finding.evidence["last_activity_year"] = max(active) if active else None
    contact = unreachable(facts, letter_count=criteria.letter_count)
    if contact:
        finding.criteria.append(DormantCriterion.UNREACHABLE)
        finding.evidence.update(contact)
    return finding


def criterion_labels(codes: Iterable[str]) -> list[str]:
    return [str(CRITERION_LABELS.get(code, code)) for code in codes]
