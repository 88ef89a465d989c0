"""The home worklist (工作台): the mechanism every capability reports its waiting work through.

The page shows what the user should do next: what awaits their decision, where their own
proposals stand, which clocks run out (RG-3). Core knows no capability: each app registers,
from its ``AppConfig.ready``,

- work providers (``register_work_provider``): counts of waiting work shown as cards;
- section providers (``register_section_provider``): the sections of the page, each rendered by
  the app's own template, present by role and filled within the caller's data scope;
- item pages (``register_item_url``): where an item of a process is opened from a deadline.

Core itself contributes, last, the deadlines of every process in a staff member's scope
(``deadlines_due``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from socorg.core import access, calendar, selectors
from socorg.core.models import Deadline, Role, User
from socorg.core.workflow import all_processes

WORKLIST_LIMIT = 20
DUE_SOON_WORKING_DAYS = 3


def reverse_or_none(name: str, *args: Any, query: dict[str, str] | None = None) -> str | None:
    """The URL of a page, or None while that page does not exist yet."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


ItemUrl = Callable[[Any], str | None]
_ITEM_URLS: dict[str, ItemUrl] = {}
_SUBJECT_URLS: list[ItemUrl] = []


def register_item_url(process: str, item_url: ItemUrl) -> None:
    """The page that shows one item of ``process``."""
    _ITEM_URLS[process] = item_url


def register_subject_url(subject_url: ItemUrl) -> None:
    """Where an item without a page of its own is shown (e.g. its organization's profile)."""
    if subject_url not in _SUBJECT_URLS:
        _SUBJECT_URLS.append(subject_url)


def item_url(process: str, obj: Any) -> str | None:
    """The item's own page, else the page of what it is about."""
    if (own := _ITEM_URLS.get(process)) and (url := own(obj)):
        return url
    return next((url for subject in _SUBJECT_URLS if (url := subject(obj))), None)


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
    clocks = selectors.deadlines_due_by(user=user, horizon=horizon, limit=WORKLIST_LIMIT)
    return _due_items(clocks, today)


def _due_items(clocks: list[Deadline], today: date) -> list[DueItem]:
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
    """Items whose clocks were already read through the caller's scope, with their subject."""
    qs = model._default_manager.all()
    if any(f.name == "organization" and f.is_relation for f in model._meta.get_fields()):
        qs = qs.select_related("organization")
    return qs.in_bulk(keys)


def _due_item(label: str, clock: Deadline, obj: Any, today: date) -> DueItem:
    subject = getattr(obj, "organization", None)
    return DueItem(
        process_label=label,
        title=str(subject) if subject is not None else str(obj),
        due_on=clock.due_on,
        days_left=calendar.days_left(today, clock.due_on, clock.unit),
        unit=clock.unit,
        rule_id=clock.rule_id,
        url=item_url(clock.process, obj),
    )


@dataclass(frozen=True)
class WorkCount:
    """One kind of waiting work a capability reports for the home page."""

    label: str
    count: int
    url: str | None
    icon: str = "inbox"


WorkProvider = Callable[[User], list[WorkCount]]
_WORK_PROVIDERS: list[WorkProvider] = []


def register_work_provider(provider: WorkProvider) -> WorkProvider:
    """Capabilities report their waiting work here, from their ``AppConfig.ready``; the home
    page shows the non-zero counts."""
    if provider not in _WORK_PROVIDERS:
        _WORK_PROVIDERS.append(provider)
    return provider


def waiting_work(user: User) -> list[WorkCount]:
    """The non-zero counts that lead somewhere: a count without the list behind it is not shown."""
    return [
        item for provider in _WORK_PROVIDERS for item in provider(user) if item.count and item.url
    ]


@dataclass(frozen=True)
class Section:
    """One section of the home page: ``template`` renders ``data`` (as ``data`` in the
    template). ``head`` sections sit in the page header (a quick search)."""

    key: str
    template: str
    data: Any = None
    head: bool = False


SectionProvider = Callable[[User], list[Section]]
_SECTION_PROVIDERS: list[SectionProvider] = []


def register_section_provider(provider: SectionProvider) -> SectionProvider:
    """A capability's sections of the home page, in registration order after the waiting work."""
    if provider not in _SECTION_PROVIDERS:
        _SECTION_PROVIDERS.append(provider)
    return provider


def deadline_section(user: User) -> Section:
    """Overdue and soon-due items of every process in the user's scope."""
    return Section("deadlines", "core/home/_deadlines.html", deadlines_due(user))


@dataclass
class Worklist:
    """What the home page shows. A section is present by role; an empty one says so in words
    rather than disappearing."""

    name: str
    role_label: str
    scope_label: str
    waiting: list[WorkCount] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    panels: list[Section] = field(default_factory=list)

    def data(self, key: str) -> Any:
        """The data of the section ``key`` (KeyError when the section is absent)."""
        for panel in self.panels:
            if panel.key == key:
                return panel.data
        raise KeyError(key)

    @property
    def head(self) -> list[Section]:
        return [p for p in self.panels if p.head]

    @property
    def body(self) -> list[Section]:
        return [p for p in self.panels if not p.head]


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
    panels = [section for provider in _SECTION_PROVIDERS for section in provider(user)]
    if access.is_staff_user(user) and user.role != Role.ORGANIZATION:
        panels.append(deadline_section(user))
    for section in panels:
        work.panels.append(section)
        work.sections.append(section.key)
    return work
