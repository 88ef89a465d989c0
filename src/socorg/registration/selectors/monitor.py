"""The overdue monitor of registration (电子监察): open clocks of applications and opinions due
within two working days or overdue, grouped per department and per person responsible (RG-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import calendar, selectors
from socorg.core.models import Deadline, User
from socorg.registration.access import REVIEW_ROLES
from socorg.registration.models import Application, Opinion


@dataclass
class MonitorRow:
    title: str
    process_label: str
    holder: str
    department: str
    due_on: date
    days_left: int
    rule_id: str
    application_id: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass
class MonitorGroup:
    name: str
    rows: list[MonitorRow]

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.rows if r.overdue)

    @property
    def due_soon_count(self) -> int:
        return len(self.rows) - self.overdue_count


@dataclass
class Monitor:
    rows: list[MonitorRow]
    by_department: list[MonitorGroup]
    by_person: list[MonitorGroup]


MONITOR_WARNING_WORKING_DAYS = 2
MONITOR_LIMIT = 500


def overdue_monitor(user: User, *, today: date | None = None) -> Monitor:
    """Open clocks of applications and opinions due within 2 working days or overdue, grouped
    per department and per person responsible (RG-3, 电子监察)."""
    today = today or timezone.localdate()
    horizon = calendar.add_working_days(today, MONITOR_WARNING_WORKING_DAYS)
    clocks = list(
        selectors.deadlines_in_scope(user=user)
        .filter(process__in=["application", "opinion"], due_on__lte=horizon)
        .order_by("due_on", "id")[:MONITOR_LIMIT]
    )
    rows = _monitor_rows(clocks, today)
    return Monitor(rows, _group(rows, "department"), _group(rows, "holder"))


def _monitor_rows(clocks: list[Deadline], today: date) -> list[MonitorRow]:
    app_ids = [int(c.object_id) for c in clocks if c.process == "application"]
    op_ids = [int(c.object_id) for c in clocks if c.process == "opinion"]
    apps = Application.objects.select_related("jurisdiction").in_bulk(app_ids)
    ops = Opinion.objects.select_related("application", "department").in_bulk(op_ids)
    holders = _department_holders([o.department_id for o in ops.values()])
    rows = []
    for clock in clocks:
        left = calendar.days_left(today, clock.due_on, clock.unit)
        if clock.process == "application" and int(clock.object_id) in apps:
            app = apps[int(clock.object_id)]
            rows.append(
                MonitorRow(
                    str(app.title),
                    _("登记申请"),
                    _("登记科室负责人"),
                    _("登记管理机关"),
                    clock.due_on,
                    left,
                    clock.rule_id,
                    app.pk,
                )
            )
        elif clock.process == "opinion" and int(clock.object_id) in ops:
            op = ops[int(clock.object_id)]
            rows.append(
                MonitorRow(
                    str(op.application.title),
                    str(op.get_role_display()),
                    holders.get(op.department_id, _("（未指定人员）")),
                    str(op.department),
                    clock.due_on,
                    left,
                    clock.rule_id,
                    op.application_id,
                )
            )
    return rows


def _department_holders(dept_ids: list[int]) -> dict[int, str]:
    """Who answers for a department's opinions: its reviewers, by name."""
    names: dict[int, list[str]] = {}
    users = User.objects.filter(
        department_id__in=dept_ids, role__in=REVIEW_ROLES, is_active=True
    ).order_by("username")
    for u in users:
        names.setdefault(u.department_id or 0, []).append(str(u))
    return {k: "、".join(v) for k, v in names.items()}


def _group(rows: list[MonitorRow], attr: str) -> list[MonitorGroup]:
    groups: dict[str, list[MonitorRow]] = {}
    for row in rows:
        groups.setdefault(getattr(row, attr), []).append(row)
    return [MonitorGroup(k, v) for k, v in sorted(groups.items())]
