"""Reads of complaints and tips: the staff list through the caller's scope
(``supervision.access``), one complaint with its actions and clock, the public tracking view
(state, dates and the reply only), the organization a complainant names, the department that
answers for it (the responsibility map), the rate limit of public filing, and the
organizations with a complaint verified since a date (the draw's risk weight, RI-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from socorg.core.attachments import attachments_of
from socorg.core.models import Attachment, Deadline, Department, Role, User
from socorg.core.ratelimit import window_throttled
from socorg.core.workflow import (
    Action,
    available_actions,
    get_process,
    item_deadline,
)
from socorg.registry.models import Organization, Responsibility
from socorg.registry.selectors import RowPage, page_of
from socorg.supervision import access
from socorg.supervision.models import Complaint, ComplaintResult, ComplaintState
from socorg.supervision.rules import complaints as rules
from socorg.supervision.selectors.credit import HistoryEntry, _history

# (filings, seconds): how many complaints one client address may file per window.
RATE_LIMIT: tuple[int, int] = getattr(settings, "SOCORG_COMPLAINT_RATE", (5, 600))


# --- routing ---------------------------------------------------------------------------------


def responsible_department(organization: Organization, on: date | None = None) -> Department | None:
    """The department that verifies a complaint about ``organization``: the current rows of
    the responsibility map (comprehensive supervision before pre-review), then the
    organization's supervisory unit, then its industry regulator; None when none is named
    (the bureau verifies itself)."""
    rows = {
        row.kind: row.department
        for row in Responsibility.objects.current(on)
        .filter(organization=organization, kind__in=rules.ROUTING_KINDS)
        .select_related("department")
        .order_by("-effective_from", "-id")[:20]
    }
    for kind in rules.ROUTING_KINDS:
        if kind in rows:
            return rows[kind]
    return organization.supervisory_unit or organization.industry_regulator


# --- public intake ---------------------------------------------------------------------------


def organization_named(key: str) -> Organization | None:
    """The organization a complainant names by its credit code or its exact full name (a
    registered or filed organization of the public register)."""
    key = (key or "").strip()
    if not key:
        return None
    return Organization.objects.filter(Q(uscc=key.upper()) | Q(name=key)).order_by("pk").first()


def complaint_filing_throttled(client: str) -> bool:
    """True when ``client`` (an IP address) has used up its filings in the current window.
    (``core.ratelimit``)."""
    limit, window = RATE_LIMIT
    return window_throttled("complaint-file", client, limit, window)


@dataclass(frozen=True)
class Tracking:
    """What the complainant sees by tracking code: never the findings, the department, the
    handler or the complainant's own identity."""

    tracking_code: str
    state: str
    state_label: str
    organization: str
    subject: str
    received_on: date
    triaged_on: date | None
    routed_on: date | None
    replied_on: date | None
    closed_on: date | None
    reply: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "tracking_code": rules.tracking_code_display(self.tracking_code),
            "state": self.state,
            "state_label": self.state_label,
            "organization": self.organization,
            "subject": self.subject,
            "received_on": self.received_on,
            "triaged_on": self.triaged_on,
            "routed_on": self.routed_on,
            "replied_on": self.replied_on,
            "closed_on": self.closed_on,
            "reply": self.reply,
        }


def complaint_track(typed_code: str) -> Tracking | None:
    code = rules.tracking_code_normalize(typed_code)
    if code is None:
        return None
    complaint = Complaint.objects.select_related("organization").filter(tracking_code=code).first()
    if complaint is None:
        return None
    return Tracking(
        tracking_code=complaint.tracking_code,
        state=complaint.state,
        state_label=str(ComplaintState(complaint.state).label),
        organization=complaint.organization.name,
        subject=complaint.subject,
        received_on=complaint.received_on,
        triaged_on=complaint.triaged_on,
        routed_on=complaint.routed_on,
        replied_on=complaint.replied_on,
        closed_on=complaint.closed_on,
        reply=complaint.public_reply if complaint.replied_on else "",
    )


# --- staff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintFilters:
    state: str = ""
    source: str = ""
    result: str = ""
    organization: str = ""  # credit code (exact) or part of the name
    code: str = ""


def complaint_search(user: User, filters: ComplaintFilters) -> QuerySet[Complaint]:
    qs = access.scope_complaints(user).select_related("organization", "department", "returned_by")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.result:
        qs = qs.filter(result=filters.result)
    if filters.organization:
        key = filters.organization.strip()
        qs = qs.filter(Q(organization__uscc=key.upper()) | Q(organization__name__contains=key))
    if filters.code:
        code = rules.tracking_code_normalize(filters.code)
        qs = qs.filter(tracking_code=code or "-")
    return qs.order_by("-received_on", "-id")


def complaint_page(
    user: User, filters: ComplaintFilters, number: int, size: int = 20
) -> RowPage[Complaint]:
    return page_of(complaint_search(user, filters), number, size)


def complaint_counts(user: User) -> dict[str, int]:
    """Open complaints in the caller's scope by state (the list's tabs)."""
    rows = (
        access.scope_complaints(user)
        .exclude(state=ComplaintState.CLOSED)
        .order_by()
        .values_list("state")
    )
    counts: dict[str, int] = {}
    for (state,) in rows.iterator():
        counts[state] = counts.get(state, 0) + 1
    return counts


@dataclass
class ComplaintDetail:
    complaint: Complaint
    history: list[HistoryEntry]
    actions: list[Action]
    deadline: Deadline | None
    attachments: list[Attachment]
    may_read_identity: bool
    # Routing (only while the complaint waits to be routed): the map's department and the
    # departments a handler may choose instead.
    suggested: Department | None = None
    departments: list[tuple[int, str]] | None = None


def complaint_detail(user: User, pk: int | str) -> ComplaintDetail:
    process = get_process("complaint")
    complaint = access.access_complaint(user, pk)
    actions = available_actions(process, complaint, user)
    routing = any(a.name == "route" for a in actions)
    return ComplaintDetail(
        complaint=complaint,
        history=_history(process, complaint),
        actions=actions,
        deadline=item_deadline(process, complaint),
        attachments=complaint_attachments(complaint),
        may_read_identity=access.may_read_identity(user, complaint),
        suggested=responsible_department(complaint.organization) if routing else None,
        departments=routing_departments() if routing else None,
    )


def routing_departments() -> list[tuple[int, str]]:
    """Every department a complaint can be routed to by hand, by code."""
    return list(Department.objects.order_by("code").values_list("pk", "name"))


def complaint_attachments(complaint: Complaint) -> list[Attachment]:
    """The complainant's files (``complaint`` already read through the caller's scope)."""
    return attachments_of(owner_type=access.COMPLAINT_OWNER, owner_id=complaint.pk)


def open_complaints_count(user: User) -> int:
    """Complaints waiting on the caller: routed to their department, or in the bureau's hands."""
    qs = access.scope_complaints(user)
    if user.role == Role.DEPARTMENT_LIAISON:
        return qs.filter(state=ComplaintState.ROUTED, department_id=user.department_id or 0).count()
    return qs.filter(
        state__in=(ComplaintState.RECEIVED, ComplaintState.TRIAGED, ComplaintState.CONCLUDED)
    ).count()


# --- the draw's risk weight --------------------------------------------------------------------


def organizations_with_verified_complaint(since: date) -> set[int]:
    """Ids of the organizations with a complaint found verified on or after ``since`` (RI-3:
    organizations with complaints are sampled more; the draw asks for the last 12 months).
    The draw reads every organization of its pool, so no user scope applies."""
    return set(
        Complaint.objects.filter(result=ComplaintResult.VERIFIED, concluded_on__gte=since)
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )
