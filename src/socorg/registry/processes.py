"""Workflow processes of the registry, declared as data: states, actions, who may act (from the
permission table) and clocks (from the rule parameters). What a transition does is in
``effects.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socorg.core.access import roles_with
from socorg.core.models import DayUnit, User
from socorg.core.workflow import Action, Clock, Process, register
from socorg.registry import access as registry_access
from socorg.registry import effects
from socorg.registry.models import CorrectionState, DataCorrection


def _proposer_only(correction: DataCorrection, actor: User) -> str | None:
    if correction.proposed_by_id == actor.pk:
        return None
    return str(_("只有提出人可以撤回更正申请。"))


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
            Clock(
                state=CorrectionState.PROPOSED,
                param="CR-1.entry_working_days",
                unit=DayUnit.WORKING,
                rule_id="CR-1",
            ),
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
                roles=roles_with("registry.decide_correction"),
                effect=effects.correction_approved,
                style="success",
            ),
            Action(
                name="reject",
                label=_("驳回"),
                sources=(CorrectionState.PROPOSED,),
                target=CorrectionState.REJECTED,
                roles=roles_with("registry.decide_correction"),
                comment_required=True,
                style="danger",
            ),
            Action(
                name="withdraw",
                label=_("撤回"),
                sources=(CorrectionState.PROPOSED,),
                target=CorrectionState.WITHDRAWN,
                roles=roles_with("registry.propose_correction"),
                guard=_proposer_only,
                style="secondary",
            ),
        ),
    )
)
