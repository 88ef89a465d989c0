"""The home page's part of filing progress: an organization account sees the report it has to
file now, with its due day (AR-1); a department's liaison and reviewer see how many of their
organizations have not filed it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.models import Role, User
from socorg.core.worklist import (
    Section,
    WorkCount,
    register_section_provider,
    register_work_provider,
    reverse_or_none,
)
from socorg.supervision.rules.progress import default_year
from socorg.supervision.selectors import progress as selectors


@dataclass(frozen=True)
class DueReportSection:
    report: selectors.DueReport
    url: str | None


def due_report_sections(user: User) -> list[Section]:
    """The organization account's report for last year, when it had to file one."""
    if user.role != Role.ORGANIZATION or not access.has_perm(user, "annual_report.view"):
        return []
    report = selectors.own_due_report(user)
    if report is None:
        return []
    url = reverse_or_none("supervision:annual_report_list")
    return [
        Section(
            "annual_report_due", "supervision/home/_due_report.html", DueReportSection(report, url)
        )
    ]


def unfiled_work(user: User) -> list[WorkCount]:
    """A department's staff: their organizations that have not filed last year's report."""
    if user.role not in access.DEPARTMENT_ROLES or not access.has_perm(
        user, "annual_report.progress"
    ):
        return []
    year = default_year(timezone.localdate())
    count = selectors.unfiled_count(user)
    # The page shows last year by default: one parameter keeps the link plain.
    url = reverse_or_none("supervision:progress", query={"state": "unfiled"})
    if url:
        url += "#filings"  # the list on the page
    label = _("尚未报送 %(year)s 年度报告的组织") % {"year": year}
    return [WorkCount(label, count, url, "journal-arrow-up")]


def register() -> None:
    """Called from ``SupervisionConfig.ready``."""
    register_section_provider(due_report_sections)
    register_work_provider(unfiled_work)
