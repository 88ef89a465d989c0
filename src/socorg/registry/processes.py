"""Workflow processes of the registry, declared as data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socorg.core.models import DayUnit, Role
from socorg.core.workflow import Action, Clock, Process, register
from socorg.registry import access as registry_access
from socorg.registry.models import CorrectionState, DataCorrection

DATA_CORRECTION = register(
    Process(
        name="data_correction",
        label=_("数据更正"),
        model=DataCorrection,
        states=dict(CorrectionState.choices),
        initial=CorrectionState.PROPOSED,
        access=registry_access.access_correction,
        scope=registry_access.scope_corrections,
        clocks=(
            Clock(state=CorrectionState.PROPOSED, days=5, unit=DayUnit.WORKING, rule_id="CR-1"),
        ),
        final_states=frozenset(
            {CorrectionState.APPROVED, CorrectionState.REJECTED, CorrectionState.WITHDRAWN}
        ),
        actions=(
            Action(
                name="approve",
                label=_("批准"),
                sources=(CorrectionState.PROPOSED,),
                target=CorrectionState.APPROVED,
                roles=frozenset({Role.DIVISION_HEAD}),
                effect=lambda correction, actor, comment: _apply(correction, actor),
                style="success",
            ),
            Action(
                name="reject",
                label=_("驳回"),
                sources=(CorrectionState.PROPOSED,),
                target=CorrectionState.REJECTED,
                roles=frozenset({Role.DIVISION_HEAD}),
                comment_required=True,
                style="danger",
            ),
            Action(
                name="withdraw",
                label=_("撤回"),
                sources=(CorrectionState.PROPOSED,),
                target=CorrectionState.WITHDRAWN,
                roles=frozenset({Role.REGISTRAR}),
                guard=lambda correction, actor: (
                    None
                    if correction.proposed_by_id == actor.pk
                    else str(_("只有提出人可以撤回更正申请。"))
                ),
                style="secondary",
            ),
        ),
    )
)


def _apply(correction: DataCorrection, actor: object) -> None:
    from socorg.registry.services import correction_apply

    correction_apply(correction=correction, actor=actor)  # type: ignore[arg-type]
