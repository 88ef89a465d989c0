"""Supervision's sections of a department liaison's page (``core.liaison_sections``): how
their department's organizations stand with last year's annual report (AR-1), the random
inspections the liaison is assigned to, and the complaints routed to the department for
verification. Each within the liaison's own scope (their department)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access
from socorg.core.liaison_sections import LiaisonSection, register_liaison_section
from socorg.core.models import Role, User
from socorg.core.worklist import reverse_or_none
from socorg.supervision.models import ComplaintState
from socorg.supervision.rules.progress import default_year
from socorg.supervision.selectors import complaints, inspections, progress

SHOWN = 10


def _liaison(user: User, perm: str) -> bool:
    return user.role == Role.DEPARTMENT_LIAISON and access.has_perm(user, perm)


@dataclass(frozen=True)
class FilingStatus:
    year: int
    tally: progress.Tally
    late_url: str | None


def annual_report_section(user: User) -> LiaisonSection | None:
    """Last year's filing by the department's organizations: filed, unfiled, late."""
    if not _liaison(user, "annual_report.progress"):
        return None
    year = default_year(timezone.localdate())
    report = progress.progress_report(user, year)
    late = reverse_or_none("supervision:progress", query={"state": "unfiled", "late": "on"})
    return LiaisonSection(
        key="annual_reports",
        label=_("%(year)s 年度报告报送情况") % {"year": year},
        template="supervision/liaison/_annual_reports.html",
        data=FilingStatus(year, report.total, late),
        count=report.total.unfiled,
        url=reverse_or_none("supervision:progress"),
        order=20,
    )


def inspection_section(user: User) -> LiaisonSection | None:
    """The drawn inspections the liaison takes part in, and the findings still to record."""
    if not _liaison(user, "inspection.record"):
        return None
    tasks = inspections.my_tasks(user)
    return LiaisonSection(
        key="inspections",
        label=_("随机抽查检查任务"),
        template="supervision/liaison/_inspections.html",
        data=tasks[:SHOWN],
        count=sum(1 for t in tasks if not t.done),
        url=reverse_or_none("supervision:inspection_mine"),
        order=30,
    )


def complaint_section(user: User) -> LiaisonSection | None:
    """Complaints routed to the department and waiting for its verification (CP-1)."""
    if not _liaison(user, "complaint.verify"):
        return None
    routed = complaints.complaint_search(
        user, complaints.ComplaintFilters(state=ComplaintState.ROUTED)
    )
    return LiaisonSection(
        key="complaints",
        label=_("转本部门核查的投诉举报"),
        template="supervision/liaison/_complaints.html",
        data=list(routed[:SHOWN]),
        count=complaints.open_complaints_count(user),
        url=reverse_or_none("supervision:complaint_list"),
        order=40,
    )


def register() -> None:
    """Called from ``SupervisionConfig.ready``."""
    register_liaison_section(annual_report_section)
    register_liaison_section(inspection_section)
    register_liaison_section(complaint_section)
