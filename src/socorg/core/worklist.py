"""Reads for the home worklist (工作台) and the layout, always through the caller's data scope.

The page shows what the user should do next: what awaits their decision, where their own
proposals stand, which clocks run out (RG-3), and how many organizations in their scope are in
each status. Which sections appear depends on the role; what they contain, on the scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from socorg.core import access, calendar, selectors, workflow
from socorg.core.models import Deadline, Role, User
from socorg.core.workflow import all_processes
from socorg.registry import access as registry_access
from socorg.registry.models import CorrectionState, DataCorrection, Organization, OrgStatus

WORKLIST_LIMIT = 20
DUE_SOON_WORKING_DAYS = 3

# Pages that show one item of a process, tried in order (faces are built one by one).
ITEM_PAGES: dict[str, tuple[str, ...]] = {
    "data_correction": ("registry:correction_detail",),
}


def reverse_or_none(name: str, *args: Any, query: dict[str, str] | None = None) -> str | None:
    """The URL of a page, or None while that page does not exist yet."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def organization_url(org: Organization) -> str | None:
    return reverse_or_none("registry:organization_detail", org.uscc or org.pk)


def item_url(process: str, obj: Any) -> str | None:
    """The item's own page, else its organization's profile."""
    for name in ITEM_PAGES.get(process, ()):
        if url := reverse_or_none(name, obj.pk):
            return url
    org = getattr(obj, "organization", None)
    return organization_url(org) if isinstance(org, Organization) else None


def user_scope_label(user: User) -> str:
    """The user's data scope in words: an organization, a department or a jurisdiction."""
    if user.role == Role.ORGANIZATION and user.organization_id:
        return str(user.organization)
    if user.role in access.DEPARTMENT_ROLES and user.department_id:
        return str(user.department)
    if user.jurisdiction_id:
        return str(user.jurisdiction)
    if user.department_id:
        return str(user.department)
    return ""


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
    qs = (
        registry_access.scope_corrections(user)
        .filter(state=CorrectionState.PROPOSED)
        .select_related("organization", "proposed_by")
        .order_by("created_at", "id")[:WORKLIST_LIMIT]
    )
    return _correction_rows(list(qs), timezone.localdate())


def corrections_proposed_by(user: User) -> list[CorrectionRow]:
    """The registrar's own latest correction proposals and where each stands."""
    qs = (
        registry_access.scope_corrections(user)
        .filter(proposed_by=user)
        .select_related("organization", "proposed_by")
        .order_by("-created_at", "-id")[:WORKLIST_LIMIT]
    )
    return _correction_rows(list(qs), timezone.localdate())


@dataclass(frozen=True)
class DueItem:
    process_label: str
    title: str
    due_on: date
    days_left: int
    unit: str
    rule_id: str
    url: str | None

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days_left)


def deadlines_due(user: User, *, today: date | None = None) -> list[DueItem]:
    """Running clocks in the user's scope that are overdue or due within
    DUE_SOON_WORKING_DAYS working days (RG-3), most urgent first."""
    today = today or timezone.localdate()
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    clocks = selectors.deadlines_in_scope(user=user).filter(due_on__lte=horizon)
    return _due_items(user, list(clocks[:WORKLIST_LIMIT]), today)


def _due_items(user: User, clocks: list[Deadline], today: date) -> list[DueItem]:
    processes = all_processes()
    items = []
    for name in sorted({c.process for c in clocks}):
        process = processes[name]
        keys = [int(c.object_id) for c in clocks if c.process == name]
        objects = _items(process.model, keys)
        for clock in clocks:
            obj = objects.get(int(clock.object_id)) if clock.process == name else None
            if obj is not None:
                # Process labels are stored as zh-Hans text; translate them for display.
                items.append(_due_item(str(process.label), clock, obj, today))
    return sorted(items, key=lambda i: (i.due_on, i.title))


def _items(model: type[Model], keys: list[int]) -> dict[Any, Any]:
    """Items whose clocks were already read through the caller's scope, with their organization."""
    qs = model._default_manager.all()
    if any(f.name == "organization" for f in model._meta.get_fields()):
        qs = qs.select_related("organization")
    return qs.in_bulk(keys)


def _due_item(label: str, clock: Deadline, obj: Any, today: date) -> DueItem:
    org = getattr(obj, "organization", None)
    return DueItem(
        process_label=label,
        title=org.name if isinstance(org, Organization) else str(obj),
        due_on=clock.due_on,
        days_left=calendar.days_left(today, clock.due_on, clock.unit),
        unit=clock.unit,
        rule_id=clock.rule_id,
        url=item_url(clock.process, obj),
    )


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


@dataclass(frozen=True)
class WorkCount:
    """One kind of waiting work another capability reports for the home page."""

    label: str
    count: int
    url: str | None
    icon: str = "inbox"


WorkProvider = Callable[[User], list[WorkCount]]
_WORK_PROVIDERS: list[WorkProvider] = []


def register_work_provider(provider: WorkProvider) -> WorkProvider:
    """Capabilities (registration, later supervision and support) report their waiting work
    here, from their ``AppConfig.ready``; the home page shows the non-zero counts."""
    if provider not in _WORK_PROVIDERS:
        _WORK_PROVIDERS.append(provider)
    return provider


def waiting_work(user: User) -> list[WorkCount]:
    return [item for provider in _WORK_PROVIDERS for item in provider(user) if item.count]


@dataclass
class Worklist:
    """What the home page shows. A section is present by role (``sections``); an empty one says
    so in words rather than disappearing."""

    name: str
    role_label: str
    scope_label: str
    sections: list[str] = field(default_factory=list)
    search_url: str | None = None
    status_cards: list[StatusCard] = field(default_factory=list)
    awaiting_decision: list[CorrectionRow] = field(default_factory=list)
    my_corrections: list[CorrectionRow] = field(default_factory=list)
    deadlines: list[DueItem] = field(default_factory=list)
    own_organization: OwnOrganization | None = None
    waiting: list[WorkCount] = field(default_factory=list)
    awaiting_url: str | None = None
    my_corrections_url: str | None = None


def home_worklist(user: User) -> Worklist:
    """The home page of ``user``: sections depend on the role, data on the scope."""
    work = Worklist(
        name=user.full_name or user.get_username(),
        role_label=user.get_role_display() if user.role else _("未分配角色"),
        scope_label=user_scope_label(user),
    )
    work.waiting = waiting_work(user)
    if work.waiting:
        work.sections.append("waiting")
    if user.role == Role.ORGANIZATION:
        work.own_organization = own_organization(user)
        work.sections.append("own_organization")
    elif access.has_perm(user, "registry.view"):
        _fill_staff(work, user)
    return work


def _fill_staff(work: Worklist, user: User) -> None:
    if access.has_perm(user, "registry.decide_correction"):
        work.awaiting_decision = corrections_awaiting_decision(user)
        work.awaiting_url = reverse_or_none("registry:correction_list", query={"view": "todo"})
        work.sections.append("awaiting_decision")
    if access.has_perm(user, "registry.propose_correction"):
        work.my_corrections = corrections_proposed_by(user)
        work.my_corrections_url = reverse_or_none(
            "registry:correction_list", query={"view": "mine"}
        )
        work.sections.append("my_corrections")
    work.search_url = reverse_or_none("registry:organization_list")
    if work.search_url:
        work.sections.append("search")
    work.status_cards = organization_status_cards(user)
    work.sections.append("status_cards")
    work.deadlines = deadlines_due(user)
    work.sections.append("deadlines")
