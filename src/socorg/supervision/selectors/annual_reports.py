"""Reads of annual reports for the pages and the API, always through the data scope
(``supervision.access``): an organization's years, the staff list with its filters, and one
report laid out by section with its problems, flags and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from socorg.core import workflow
from socorg.core.access import has_perm
from socorg.core.attachments import attachments_of
from socorg.core.models import Attachment, User
from socorg.registry.models import ManagementMode, Organization
from socorg.supervision.access import (
    ANNUAL_REPORT_OWNER,
    access_annual_report,
    scope_annual_reports,
)
from socorg.supervision.models import AnnualReport, AnnualReportState
from socorg.supervision.processes import ANNUAL_REPORT
from socorg.supervision.rules import annual_reports as rules

PAGE_SIZE = 20


@dataclass(frozen=True)
class ReportFilters:
    organization: str = ""
    year: int | None = None
    state: str = ""
    conclusion: str = ""


def report_queryset(user: User, filters: ReportFilters) -> QuerySet[AnnualReport]:
    qs = scope_annual_reports(user).select_related("organization")
    if filters.organization:
        key = filters.organization
        if key.isdigit() and len(key) < 19:
            qs = qs.filter(organization_id=int(key))
        else:
            qs = qs.filter(organization__uscc=key)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.conclusion:
        qs = qs.filter(conclusion=filters.conclusion)
    return qs.order_by("-year", "organization__name", "pk")


def report_page(
    user: User, filters: ReportFilters, *, page: int, page_size: int = PAGE_SIZE
) -> Page:
    return Paginator(report_queryset(user, filters), page_size).get_page(page)


@dataclass(frozen=True)
class YearRow:
    year: int
    report: AnnualReport | None
    can_start: bool


def organization_years(
    user: User, organization: Organization, open_year: int | None
) -> list[YearRow]:
    """The organization's reports, newest first, with the year now open for filing on top
    when it has no report yet (``open_year``: last year, or None when it need not file)."""
    reports = list(scope_annual_reports(user).filter(organization=organization).order_by("-year"))
    rows = [YearRow(r.year, r, False) for r in reports]
    if open_year and all(r.year != open_year for r in reports):
        rows.insert(0, YearRow(open_year, None, has_perm(user, "annual_report.file")))
    return rows


def today() -> date:
    return timezone.localdate()


def last_year() -> int:
    return today().year - 1


def submit_action(report: AnnualReport) -> workflow.Action:
    """AR-1: under dual management the report goes to the supervisory unit, otherwise straight
    to the registration authority."""
    dual = report.management_mode == ManagementMode.DUAL_MANAGEMENT and report.supervisory_unit_id
    return ANNUAL_REPORT.action("submit_to_unit" if dual else "submit_to_bureau")


@dataclass(frozen=True)
class FieldRow:
    field: rules.Field
    value: Any
    display: str
    problem: str = ""
    flag: str = ""
    carried: bool = False


@dataclass(frozen=True)
class SectionRows:
    section: rules.Section
    rows: list[FieldRow] = field(default_factory=list)


def display_value(f: rules.Field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if f.kind == "flag":
        return str(_yes) if value else str(_no)
    if f.kind == "choice":
        return str(dict(f.choices).get(value, value))
    if f.kind == "money":
        return f"{rules.money({'v': value}, 'v'):,.2f}"
    return str(value)


def report_sections(report: AnnualReport, *, problems: dict[str, str]) -> list[SectionRows]:
    """The report by section, each value with its problem and its RG-12 flag."""
    flags = rules.flag_messages(report.flags or {})
    sections: list[SectionRows] = []
    for section in rules.SECTIONS:
        rows = [
            FieldRow(
                field=f,
                value=report.data.get(f.key),
                display=display_value(f, report.data.get(f.key)),
                problem=problems.get(f.key, ""),
                flag=flags.get(f.key, ""),
            )
            for f in rules.fields_for(report.org_type)
            if f.section == section.key
        ]
        if rows:
            sections.append(SectionRows(section, rows))
    return sections


def previous_values(report: AnnualReport) -> dict[str, str]:
    """Last year's values of the organization's report, for display beside this year's
    fields (the figures it pre-filled from, and the others for comparison)."""
    last = (
        AnnualReport.objects.filter(organization_id=report.organization_id, year=report.year - 1)
        .only("data", "org_type")
        .first()
    )
    if last is None:
        return {}
    fields = rules.field_map(report.org_type)
    return {
        key: display_value(fields[key], value)
        for key, value in last.data.items()
        if key in fields and value not in (None, "")
    }


@dataclass(frozen=True)
class HistoryRow:
    transition: Any
    action_label: str
    state_label: str


def report_detail(user: User, pk: int | str) -> dict[str, Any]:
    """Everything the report page shows: the report by section, its problems (what stops the
    submission), the RG-12 flags, AR-3's automatic fail grounds, the audit report, the
    actions the user may take and the history."""
    report = access_annual_report(user, pk)
    problems = rules.filing_problems(report.org_type, report.data)
    history = [
        HistoryRow(
            t,
            str(_action_label(t.action)),
            ANNUAL_REPORT.state_label(t.to_state),
        )
        for t in workflow.history(ANNUAL_REPORT, report).order_by("created_at", "pk")
    ]
    return {
        "report": report,
        "sections": report_sections(report, problems=problems),
        "problems": problems,
        "flag_messages": rules.flag_messages(report.flags or {}),
        "ratios": {
            name: {k: rules.percent(v) if k != "base" else v for k, v in row.items()}
            for name, row in (report.flags or {}).get("ratios", {}).items()
        },
        "auto_fail": [str(rules.AutoFail(code).label) for code in report.auto_fail or []],
        "audit_reports": audit_reports(report),
        "actions": workflow.available_actions(ANNUAL_REPORT, report, user),
        "history": history,
        "editable": report.state in (AnnualReportState.DRAFT, AnnualReportState.RETURNED),
    }


def _action_label(name: str) -> str:
    try:
        return str(ANNUAL_REPORT.action(name).label)
    except workflow.UnknownAction:
        return name


def audit_reports(report: AnnualReport) -> list[Attachment]:
    """The report's audit reports, newest first (the report was read through the scope)."""
    return attachments_of(owner_type=ANNUAL_REPORT_OWNER, owner_id=report.pk)


def report_for(user: User, pk: int | str) -> AnnualReport:
    return access_annual_report(user, pk)


_yes = rules.YES_LABEL
_no = rules.NO_LABEL
