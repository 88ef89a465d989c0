"""Random-inspection rules (RI-3, RI-5, RI-6) as pure functions of plain values; no ORM.

The stratum of an organization is its type and registration level (``"social_group:city"``);
its draw weight is the product of the risk weights (RI-3 "organizations with many complaints or
on a credit list are sampled more") of the factors that apply to it, each a rule parameter, so a
risk raises the chance of being drawn without making it certain. Which organizations had a
complaint verified in the last 12 months is an input (``RiskFacts.complaint_verified``): the
complaint records feed it, an empty set while there are none."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from socorg.core import calendar
from socorg.supervision.models.inspections import ConflictReason

WEIGHT_KEYS = {
    "complaint_verified": "RI-3.weight.complaint_verified",
    "credit_listing": "RI-3.weight.credit_listing",
    "report_failed": "RI-3.weight.report_failed",
}
RATIO_KEYS = {"city": "RI-3.ratio.city", "county": "RI-3.ratio.county"}
PUBLICATION_KEY = "RI-6.publication_working_days"
COMPLAINT_LOOKBACK_MONTHS = 12
# RI-4: what a scheduled check covers, the first published list of inspection matters.
RI4_MATTERS: tuple[tuple[str, str], ...] = (
    ("annual_report", "年度工作报告"),
    ("disclosure", "信息公开"),
    ("governance", "内部治理"),
    ("finances", "财务管理"),
    ("activities", "业务活动"),
)


@dataclass(frozen=True)
class RiskFacts:
    """The organizations (ids) each risk factor applies to."""

    complaint_verified: frozenset[int] = field(default_factory=frozenset)
    credit_listing: frozenset[int] = field(default_factory=frozenset)
    report_failed: frozenset[int] = field(default_factory=frozenset)

    def causes(self, organization_id: int) -> list[str]:
        return [name for name in WEIGHT_KEYS if organization_id in getattr(self, name)]


def stratum(org_type: str, level: str) -> str:
    return f"{org_type}:{level}"


def risk_weight(causes: Iterable[str], weights: Mapping[str, str | float]) -> Decimal:
    """The product of the weights of ``causes`` (1 with none), rounded to 3 decimals."""
    value = Decimal(1)
    for cause in causes:
        value *= Decimal(str(weights[cause]))
    return value.quantize(Decimal("0.001"))


def department_conflict(
    inspector_department: int | None, supervisory_unit: int | None, industry_regulator: int | None
) -> bool:
    """RI-5: an inspector whose department sponsors or regulates the organization recuses."""
    return inspector_department is not None and inspector_department in (
        supervisory_unit,
        industry_regulator,
    )


def conflict_reasons(
    *,
    inspector_department: int | None,
    supervisory_unit: int | None,
    industry_regulator: int | None,
    declared: bool,
    inspected_last_year: bool,
) -> list[str]:
    reasons = []
    if department_conflict(inspector_department, supervisory_unit, industry_regulator):
        reasons.append(ConflictReason.DEPARTMENT.value)
    if declared:
        reasons.append(ConflictReason.DECLARED.value)
    if inspected_last_year:
        reasons.append(ConflictReason.PREVIOUS_YEAR.value)
    return reasons


def publication_deadline(recorded_on: date, working_days: int) -> date:
    """RI-6: the day by which a finding is published."""
    return calendar.add_working_days(recorded_on, working_days)
