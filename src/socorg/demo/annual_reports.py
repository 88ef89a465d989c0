"""The seed city's annual reports 2020–2025 and its returned registered letters.

Every organization that had to file (AR-2) has a report for each year, except for realistic
gaps: about 8 % filed late, about 5 % missed one year, a few hundred missed the last two years
running (and the revoked ones the two years before their revocation), about 3 % failed for
holding no activity (AR-3); the rest passed or passed basically. The 2020–2024 conclusions are
published; the 2025 ones are concluded or published (the demo's day is after that year's
09-30). The 2026 reports are not due yet. About forty of the organizations that stopped filing
were sent two registered letters, 20–60 days apart, both returned (CR-2, DO-1).

The figures of each report come from ``supervision.rules.annual_reports.FIELDS`` and agree with
each other: the balance sheet balances, the totals add up, cash begins + in − out = ends, a
foundation's spending meets RG-12. Deterministic: one seeded ``Random``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from django.db import connection
from django.utils import timezone

from socorg.registry.models import ManagementMode, Organization, OrgStatus
from socorg.supervision.models import (
    AnnualReport,
    AnnualReportState,
    Conclusion,
    ContactAttempt,
    ContactKind,
    ContactResult,
)
from socorg.supervision.rules.annual_reports import (
    FOUNDATION,
    SOCIAL_GROUP,
    fields_for,
    filing_due,
    must_file,
)
from socorg.supervision.rules.progress import FILING_TYPES

SEED = 20251231
YEARS = range(2020, 2026)
# The demo's day (scenario.AS_OF): after 2026-09-30, so the 2025 conclusions are final.
AS_OF = date(2026, 11, 1)
# AR-1 and AR-2 as the national defaults set them (core.rule_defaults).
DUE_DATES = {"supervisory_unit_due": "03-31", "authority_due": "05-31", "foundation_due": "03-31"}
MIN_MONTHS = 6

LATE_SHARE = 0.08
MISSING_ONE_SHARE = 0.05
FAIL_SHARE = 0.03
BASIC_PASS_SHARE = 0.18
# Registered organizations that stopped filing two years ago (DO-1, CR-2).
STOPPED_FILING = 260
STOPPED_YEARS = (2024, 2025)
UNREACHABLE = 40
# The auto-fail ground of AR-3 found in a report with no activity.
NO_ACTIVITY = "no_activity"

# Plausible ranges of the counted figures.
COUNT_RANGES = {
    "individual_members": (20, 800),
    "unit_members": (5, 200),
    "general_meetings": (1, 2),
    "board_meetings": (1, 6),
    "supervisor_meetings": (0, 4),
    "full_time_staff": (1, 30),
    "part_time_staff": (0, 15),
    "volunteers": (0, 300),
    "volunteer_hours": (0, 5000),
    "beneficiaries": (50, 20000),
}

ACTIVITIES = (
    "组织会员开展业务培训和交流活动，编印行业资讯，开展行业调研并向主管部门报送调研报告。",
    "开展公益服务项目，组织志愿者进社区提供服务，举办专题讲座和宣传活动。",
    "举办年度论坛和学术交流会，组织专业技能培训，承接政府购买服务项目。",
    "开展助学助困、扶老助残等公益活动，定期公开项目执行和资金使用情况。",
)


# Columns written by ``insert_reports``, in order (the rest keep their defaults).
COLUMNS = (
    "organization_id",
    "year",
    "org_type",
    "management_mode",
    "supervisory_unit_id",
    "state",
    "data",
    "flags",
    "total_income",
    "total_expenses",
    "net_assets",
    "activities_held",
    "due_on",
    "submitted_on",
    "conclusion",
    "auto_fail",
    "conclusion_reasons",
    "concluded_on",
    "published_on",
    "created_at",
    "updated_at",
)
INSERT_BATCH = 2000


@dataclass
class Reports:
    """Report rows (values of ``COLUMNS`` but the two timestamps) and unsaved contact attempts."""

    reports: list[tuple[Any, ...]] = field(default_factory=list)
    contacts: list[ContactAttempt] = field(default_factory=list)


def due_on(org: Organization, year: int) -> date:
    return filing_due(
        year=year,
        org_type=org.org_type,
        dual_management=org.management_mode == ManagementMode.DUAL_MANAGEMENT,
        dates=DUE_DATES,
    )


def build_reports(organizations: list[Organization]) -> Reports:
    """Report rows and contact attempts for the saved ``organizations``."""
    rng = Random(SEED)
    out = Reports()
    filers = [o for o in organizations if o.org_type in FILING_TYPES]
    registered = [
        o
        for o in filers
        if o.status == OrgStatus.REGISTERED and o.established_on < date(STOPPED_YEARS[0], 1, 1)
    ]
    stopped = {id(o) for o in rng.sample(registered, min(STOPPED_FILING, len(registered)))}
    for org in filers:
        years = [
            y
            for y in YEARS
            if must_file(
                established_on=org.established_on,
                removed_on=org.removed_on,
                year=y,
                min_months=MIN_MONTHS,
            )
        ]
        missing = _missing_years(rng, org, years, id(org) in stopped)
        previous: dict[str, Any] | None = None
        for year in years:
            if year in missing:
                previous = None
                continue
            row, previous = _report(rng, org, year, previous)
            out.reports.append(row)
    unreachable = [o for o in filers if id(o) in stopped][:UNREACHABLE]
    for org in unreachable:
        out.contacts.extend(_returned_letters(rng, org))
    return out


def insert_reports(rows: list[tuple[Any, ...]]) -> int:
    """Write the report rows in a few multi-row statements: the ORM would build and prepare
    a model instance per report, three times slower for these wide rows."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(AnnualReport._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (constant names)
    json_field = AnnualReport._meta.get_field("data")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = []
            for row in rows[start : start + INSERT_BATCH]:
                values = list(row)
                for i in (6, 7, 15):  # data, flags, auto_fail
                    values[i] = json_field.get_db_prep_save(values[i], connection)
                for i in (12, 13, 17, 18):  # the dates
                    values[i] = ops.adapt_datefield_value(values[i])
                batch.append((*values, now, now))
            cursor.executemany(sql, batch)
    return len(rows)


def _missing_years(rng: Random, org: Organization, years: list[int], stopped: bool) -> set[int]:
    if stopped:
        return set(STOPPED_YEARS) & set(years)
    if org.status == OrgStatus.REVOKED and len(years) >= 2:
        # Revoked after two years without a report.
        return set(years[-2:])
    if years and rng.random() < MISSING_ONE_SHARE:
        return {rng.choice(years)}
    return set()


def _report(
    rng: Random, org: Organization, year: int, previous: dict[str, Any] | None
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    due = due_on(org, year)
    late = rng.random() < LATE_SHARE
    if late:
        submitted = due + timedelta(days=rng.randint(1, 75))
    else:
        submitted = due - timedelta(days=rng.randint(0, 70))
    failed = rng.random() < FAIL_SHARE
    data = report_data(rng, org, previous, active=not failed)
    if failed:
        conclusion, reasons = Conclusion.FAIL, "本年度未开展任何业务活动。"
    elif late or rng.random() < BASIC_PASS_SHARE:
        conclusion, reasons = Conclusion.BASIC_PASS, "未按时报送年度报告。" if late else ""
    else:
        conclusion, reasons = Conclusion.PASS, ""
    concluded = min(submitted + timedelta(days=rng.randint(20, 90)), date(year + 1, 9, 30))
    published = concluded + timedelta(days=rng.randint(7, 30))
    is_published = year != YEARS[-1] or rng.random() < 0.7
    row: tuple[Any, ...] = (
        org.pk,
        year,
        org.org_type,
        org.management_mode,
        org.supervisory_unit_id,
        AnnualReportState.PUBLISHED.value if is_published else AnnualReportState.CONCLUDED.value,
        data,
        {},
        Decimal(data["total_income"]),
        Decimal(data["total_expenses"]),
        Decimal(data["net_assets"]),
        data["activities_held"],
        due,
        submitted,
        conclusion.value,
        [NO_ACTIVITY] if failed else [],
        reasons,
        concluded,
        published if is_published else None,
    )
    return row, data


# --- the report's figures, in cents (integers) so every total adds up exactly ------------------


def _yuan(cents: int) -> str:
    """Cents as the report stores money: a decimal string with two places."""
    return f"{cents // 100}.{cents % 100:02d}"


def _cents(text: str) -> int:
    whole, _dot, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def _split(rng: Random, total: int, parts: int) -> list[int]:
    """``total`` cents in ``parts`` non-negative amounts that add up to it exactly."""
    weights = [rng.random() + 0.05 for _ in range(parts)]
    scale = total / sum(weights)
    amounts = [int(w * scale) for w in weights[:-1]]
    amounts.append(total - sum(amounts))
    return amounts


class _TypeFields:
    """The keys a type reports, sorted by how their values are made."""

    def __init__(self, org_type: str) -> None:
        fields = fields_for(org_type)
        self.income = [f.key for f in fields if f.key.startswith("income_")]
        self.expense = [f.key for f in fields if f.key.startswith("expense_")]
        self.counts = [
            (f.key, COUNT_RANGES.get(f.key, (0, 200)))
            for f in fields
            if f.kind == "count" and f.key not in SPECIAL_COUNTS
        ]
        self.flags = [f.key for f in fields if f.kind == "flag" and f.key not in SPECIAL_FLAGS]
        self.keys = [f.key for f in fields]


SPECIAL_COUNTS = frozenset({"activities_held", "party_members", "full_time_party_members"})
SPECIAL_FLAGS = frozenset({"profit_distributed", "public_fundraising", "election_held"})
_TYPE_FIELDS: dict[str, _TypeFields] = {}


def _type_fields(org_type: str) -> _TypeFields:
    if org_type not in _TYPE_FIELDS:
        _TYPE_FIELDS[org_type] = _TypeFields(org_type)
    return _TYPE_FIELDS[org_type]


def report_data(
    rng: Random, org: Organization, previous: dict[str, Any] | None, *, active: bool = True
) -> dict[str, Any]:
    """One report's content, keyed as ``FIELDS`` for the organization's type; the figures
    agree with each other (and with last year's closing cash when there is one)."""
    kind = org.org_type
    spec = _type_fields(kind)
    scale = {FOUNDATION: 300_000_000, SOCIAL_GROUP: 40_000_000}.get(kind, 60_000_000)
    income = int(scale * rng.uniform(0.2, 1.8)) if active else scale // 50
    assets = int(scale * rng.uniform(0.5, 3.0))
    liabilities = int(assets * rng.uniform(0.0, 0.35))
    expenses = int(income * rng.uniform(0.8, 1.1))
    data: dict[str, Any] = {}
    if kind == FOUNDATION:
        # RG-12: public-fundraising foundations spend at least 70 % of last year's income on
        # their programs, the others 8 % of last year's closing balance; staff and admin at
        # most 10 % of the spending.
        public = previous["public_fundraising"] if previous else rng.random() < 0.3
        prior_income = _cents(previous["total_income"]) if previous else income
        prior_balance = _cents(previous["net_assets"]) if previous else assets - liabilities
        floor = prior_income * 72 // 100 if public else prior_balance * 9 // 100
        programs = max(int(expenses * rng.uniform(0.91, 0.95)), floor)
        expenses = max(expenses, programs * 100 // 93)
        spent = [programs, *_split(rng, expenses - programs, len(spec.expense) - 1)]
        data["public_fundraising"] = public
        data["prior_year_income"] = _yuan(prior_income)
        data["prior_year_end_balance"] = _yuan(prior_balance)
        data["charitable_spending"] = _yuan(programs)
    else:
        spent = _split(rng, expenses, len(spec.expense))
    for key, cents in zip(spec.income, _split(rng, income, len(spec.income)), strict=True):
        data[key] = _yuan(cents)
    for key, cents in zip(spec.expense, spent, strict=True):
        data[key] = _yuan(cents)
    data["total_income"] = _yuan(income)
    data["total_expenses"] = _yuan(expenses)
    data["staff_costs"] = _yuan(int(_cents(data["expense_admin"]) * rng.uniform(0.3, 0.9)))
    data["total_assets"] = _yuan(assets)
    data["total_liabilities"] = _yuan(liabilities)
    data["net_assets"] = _yuan(assets - liabilities)
    begin = _cents(previous["cash_end"]) if previous else assets * 2 // 5
    outflow = min(expenses, begin + income)
    data["cash_begin"] = _yuan(begin)
    data["cash_inflow"] = _yuan(income)
    data["cash_outflow"] = _yuan(outflow)
    data["cash_end"] = _yuan(begin + income - outflow)
    # Who, what, how many.
    data["office_address"] = org.domicile or "日照市"
    data["contact_person"] = org.contact_person or org.legal_representative or "办公室"
    data["contact_phone"] = org.contact_phone or "0633-0000000"
    for key, (low, high) in spec.counts:
        data[key] = rng.randint(low, high)
    for key in spec.flags:
        data[key] = rng.random() < 0.97
    data["election_held"] = rng.random() < 0.95
    data["profit_distributed"] = False
    data["activities_held"] = rng.randint(3, 40) if active else 0
    data["major_activities"] = rng.choice(ACTIVITIES) if active else "本年度未开展业务活动。"
    data["disclosure_channel"] = "本单位网站、民政部门指定信息平台"
    branch = previous["party_branch"] if previous else rng.choice(BRANCHES)
    data["party_branch"] = branch
    data["party_members"] = 0 if branch == "none" else rng.randint(3, 25)
    data["full_time_party_members"] = min(data["party_members"], rng.randint(0, 5))
    data["no_branch_reason"] = "党员人数不足三人，已联系上级党组织。" if branch == "none" else ""
    # In form order, only the type's own fields.
    return {key: data[key] for key in spec.keys if key in data}


BRANCHES = ("independent", "joint", "joint", "none")


def _returned_letters(rng: Random, org: Organization) -> list[ContactAttempt]:
    """Two registered letters to the domicile, 20–60 days apart, both returned (CR-2)."""
    first = date(2026, 3, 2) + timedelta(days=rng.randint(0, 120))
    second = first + timedelta(days=rng.randint(20, 60))
    return [
        ContactAttempt(
            organization=org,
            kind=ContactKind.REGISTERED_LETTER,
            made_on=day,
            result=ContactResult.RETURNED,
            note="按登记住所寄送挂号信，查无此单位，原件退回。",
        )
        for day in (first, second)
    ]
