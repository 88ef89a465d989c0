"""The registry's sections of the home worklist, always through the caller's data scope: the
organization account's own organization; for staff the corrections awaiting their decision
(CR-1 clocks), their own proposals, a quick search and the organizations per status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import access, calendar, workflow
from socorg.core.models import Role, User
from socorg.core.worklist import WORKLIST_LIMIT, Section, item_url, reverse_or_none
from socorg.registry import access as registry_access
from socorg.registry.models import CorrectionState, DataCorrection, Organization, OrgStatus
from socorg.registry.selectors.corrections import CorrectionList, correction_worklist


def organization_url(org: Organization) -> str | None:
    return reverse_or_none("registry:organization_detail", org.uscc or org.pk)


def correction_url(correction: DataCorrection) -> str | None:
    return reverse_or_none("registry:correction_detail", correction.pk)


def subject_url(obj: Any) -> str | None:
    """An item about an organization is shown on the organization's profile."""
    org = getattr(obj, "organization", None)
    return organization_url(org) if isinstance(org, Organization) else None


@dataclass(frozen=True)
class StatusCard:
    status: str
    label: str
    count: int
    url: str | None


def organization_status_cards(user: User) -> list[StatusCard]:
    """Organizations in scope per status (one query), each linking to the filtered list."""
    rows = (
        registry_access.scope_organizations(user)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return [
        StatusCard(
            status=value,
            label=str(label),
            count=counts.get(value, 0),
            url=reverse_or_none("registry:organization_list", query={"status": value}),
        )
        for value, label in OrgStatus.choices
    ]


@dataclass(frozen=True)
class CorrectionRow:
    correction: DataCorrection
    due_on: date | None
    days_left: int | None
    url: str | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def is_open(self) -> bool:
        return self.correction.state == CorrectionState.PROPOSED

    @property
    def fields_label(self) -> str:
        """The names of the corrected fields, as the registry shows them."""
        labels = []
        for name in self.correction.changes:
            try:
                field = Organization._meta.get_field(name)
            except FieldDoesNotExist:
                labels.append(name)
                continue
            labels.append(str(getattr(field, "verbose_name", name)))
        return _("、").join(labels)


def _correction_rows(corrections: list[DataCorrection], today: date) -> list[CorrectionRow]:
    clocks = workflow.open_deadlines(
        workflow.get_process("data_correction"), [c.pk for c in corrections]
    )
    rows = []
    for correction in corrections:
        clock = clocks.get(str(correction.pk))
        due = clock.due_on if clock else None
        left = calendar.days_left(today, clock.due_on, clock.unit) if clock else None
        rows.append(CorrectionRow(correction, due, left, item_url("data_correction", correction)))
    return rows


def corrections_awaiting_decision(user: User) -> list[CorrectionRow]:
    """Proposed corrections in the division head's scope, oldest first, with their CR-1 due dates."""
    todo = correction_worklist(user, CorrectionList.TODO).order_by("created_at", "id")
    return _correction_rows(list(todo[:WORKLIST_LIMIT]), timezone.localdate())


def corrections_proposed_by(user: User) -> list[CorrectionRow]:
    """The registrar's own latest correction proposals and where each stands."""
    mine = correction_worklist(user, CorrectionList.MINE)
    return _correction_rows(list(mine[:WORKLIST_LIMIT]), timezone.localdate())


@dataclass(frozen=True)
class CorrectionSection:
    rows: list[CorrectionRow]
    url: str | None


@dataclass(frozen=True)
class OwnOrganization:
    organization: Organization
    url: str | None


def own_organization(user: User) -> OwnOrganization | None:
    """The organization account's own organization."""
    org = (
        registry_access.scope_organizations(user)
        .select_related("jurisdiction", "supervisory_unit", "industry_regulator")
        .first()
    )
    return OwnOrganization(org, organization_url(org)) if org is not None else None


def registry_sections(user: User) -> list[Section]:
    """The organization account sees its own organization; staff with the registry see their
    correction work, the quick search and the organizations per status."""
    if user.role == Role.ORGANIZATION:
        return [Section("own_organization", "registry/home/_own.html", own_organization(user))]
    if not access.has_perm(user, "registry.view"):
        return []
    sections = []
    if access.has_perm(user, "registry.decide_correction"):
        todo = reverse_or_none("registry:correction_list", query={"view": "todo"})
        rows = corrections_awaiting_decision(user)
        sections.append(
            Section(
                "awaiting_decision", "registry/home/_awaiting.html", CorrectionSection(rows, todo)
            )
        )
    if access.has_perm(user, "registry.propose_correction"):
        mine = reverse_or_none("registry:correction_list", query={"view": "mine"})
        rows = corrections_proposed_by(user)
        sections.append(
            Section("my_corrections", "registry/home/_mine.html", CorrectionSection(rows, mine))
        )
    search = reverse_or_none("registry:organization_list")
    sections.append(Section("search", "registry/home/_search.html", search, head=True))
    cards = organization_status_cards(user)
    sections.append(Section("status_cards", "registry/home/_status_cards.html", cards))
    return sections
