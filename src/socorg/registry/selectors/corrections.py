"""Reads of data corrections: the worklist and one correction with its differences, history,
deadline and the actions open to the user, always through the user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from socorg.core import access, workflow
from socorg.core.models import Deadline, Transition, User
from socorg.core.workflow import Action
from socorg.registry import access as registry_access
from socorg.registry.models import CorrectionState, DataCorrection
from socorg.registry.selectors.organizations import RowPage, field_display, field_label, page_of

CORRECTION_PROCESS = "data_correction"


class CorrectionList(models.TextChoices):
    TODO = "todo", gettext_lazy("待处理")
    MINE = "mine", gettext_lazy("我提出的")
    ALL = "all", gettext_lazy("全部")


def correction_worklist(user: User, view: str, state: str = "") -> QuerySet[DataCorrection]:
    """Corrections for the worklist. ``todo``: division heads see every correction awaiting
    approval in their scope, registrars their own awaiting a decision."""
    access.require_perm(user, "registry.view_corrections")
    qs = registry_access.scope_corrections(user).select_related("organization", "proposed_by")
    if view == CorrectionList.TODO:
        qs = qs.filter(state=CorrectionState.PROPOSED)
        if not access.has_perm(user, "registry.decide_correction"):
            qs = qs.filter(proposed_by=user)
    elif view == CorrectionList.MINE:
        qs = qs.filter(proposed_by=user)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def correction_page(user: User, view: str, state: str, number: int) -> RowPage[DataCorrection]:
    """A worklist page; each row carries ``open_deadline`` (one query for the whole page)."""
    page = page_of(correction_worklist(user, view, state), number)
    process = workflow.get_process(CORRECTION_PROCESS)
    deadlines = workflow.open_deadlines(process, [row.pk for row in page.rows])
    for row in page.rows:
        row.open_deadline = deadlines.get(str(row.pk))
    return page


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    before: str
    after: str
    now: str  # the registry's value today (differs from ``before`` once applied or changed)


@dataclass(frozen=True)
class CorrectionDetail:
    correction: DataCorrection
    diff: list[DiffRow]
    history: list[Transition]
    deadline: Deadline | None
    actions: list[Action]


def correction_detail(user: User, pk: int | str) -> CorrectionDetail:
    correction = registry_access.access_correction(user, pk)
    process = workflow.get_process(CORRECTION_PROCESS)
    org = correction.organization
    diff = [
        DiffRow(
            field=name,
            label=field_label(name),
            before=field_display(name, correction.original.get(name)),
            after=field_display(name, value),
            now=field_display(name, getattr(org, name)),
        )
        for name, value in correction.changes.items()
    ]
    return CorrectionDetail(
        correction=correction,
        diff=diff,
        history=list(workflow.history(process, correction)),
        deadline=workflow.item_deadline(process, correction),
        actions=workflow.available_actions(process, correction, user),
    )
