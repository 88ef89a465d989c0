"""Filing progress: reminders to organizations that have not filed their annual report (AR-1),
and the record of an export of the progress list."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from socorg.core import access
from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.core.notices import notice_send
from socorg.core.worklist import reverse_or_none
from socorg.supervision.selectors import progress as selectors

# Most organizations one reminder reaches (the largest "remind all" of a city's list).
REMIND_MAX = 5000


def reminder_subject(organization_id: int, year: int) -> str:
    """What a reminder is about: the same organization and year is told once a day."""
    return f"annual_report:{organization_id}:{year}"


def annual_report_remind(
    *, actor: User, year: int, organization_ids: list[int], today: date | None = None
) -> dict[str, int]:
    """Remind the accounts of each chosen organization that has not filed its report for
    ``year`` (AR-1): an in-app notice with the due day, at most once a day per organization and
    year. Organizations outside the actor's scope, or that have filed, are left out. Returns
    ``{"organizations", "notices"}``: how many were reminded and how many notices were written."""
    access.require_perm(actor, "annual_report.remind")
    ids = sorted({int(pk) for pk in organization_ids})[:REMIND_MAX]
    orgs = list(selectors.remindable(actor, year, ids, today=today).order_by("pk"))
    accounts = selectors.organization_accounts([org.pk for org in orgs])
    link = reverse_or_none("supervision:annual_report_mine") or ""
    reminded, written = [], 0
    with transaction.atomic():
        for org in orgs:
            recipients = accounts.get(org.pk, [])
            if not recipients:
                continue
            sent = notice_send(
                recipients=recipients,
                title=f"请按时报送 {year} 年度工作报告",
                body=(
                    f"{org.name}：贵组织 {year} 年度工作报告应于 {org.due:%Y-%m-%d} 前报送，"
                    "目前尚未报送，请尽快登录平台填报。"
                ),
                link=link,
                subject=reminder_subject(org.pk, year),
                sender=actor,
            )
            if sent:
                reminded.append(org.pk)
                written += sent
        audit_record(
            actor=actor,
            action="annual_report.remind",
            object_type="supervision.annual_report",
            object_id=str(year),
            after={"year": year, "organizations": reminded, "notices": written},
        )
    return {"organizations": len(reminded), "notices": written}


def progress_export_record(*, actor: User, filters: dict[str, Any], row_count: int) -> None:
    """Record an export of the filing progress list: who took which rows out of the system."""
    access.require_perm(actor, "annual_report.progress")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="annual_report.progress_export",
            object_type="supervision.annual_report",
            object_id="export",
            after={"filters": filters, "rows": row_count, "at": timezone.now().isoformat()},
        )
