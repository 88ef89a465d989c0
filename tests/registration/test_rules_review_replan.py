"""RG-14 after 补正, as a pure rule: which opinions a corrected application's joint review
withdraws, reopens and opens, and which planned opinions approval still misses."""

from __future__ import annotations

from socorg.registration.models import OpinionRole, OpinionState
from socorg.registration.rules.applications import (
    GivenOpinion,
    OpinionPlan,
    changed_facts,
    review_gaps,
    review_replan,
    reviewed_facts,
)

UNIT, PARTY, DIVISION, NEW_UNIT = 1, 2, 3, 4
FACTS = {"name": "日照市健康促进会", "purpose": "普及健康知识", "supervisory_unit": "EDU"}


def _dual(unit: int) -> list[OpinionPlan]:
    return [
        OpinionPlan(OpinionRole.SUPERVISORY_UNIT_CONSENT, unit, 1),
        OpinionPlan(OpinionRole.PARTY_BUILDING, PARTY, 2),
        OpinionPlan(OpinionRole.REGISTRATION_DIVISION, DIVISION, 2),
    ]


def _given(facts: dict[str, object], state: str = OpinionState.CONSENTED) -> list[GivenOpinion]:
    return [
        GivenOpinion(10, OpinionRole.SUPERVISORY_UNIT_CONSENT, UNIT, state, facts),
        GivenOpinion(11, OpinionRole.PARTY_BUILDING, PARTY, state, facts),
        GivenOpinion(12, OpinionRole.REGISTRATION_DIVISION, DIVISION, state, facts),
    ]


def test_contact_details_are_not_reviewed_facts() -> None:
    data = {**FACTS, "contact_phone": "0633-1", "consulted_departments": ["WJW"]}
    assert reviewed_facts(data) == FACTS
    assert changed_facts(FACTS, {**FACTS, "purpose": "营利"}) == ["purpose"]


def test_unchanged_facts_keep_every_opinion() -> None:
    replan = review_replan(plan=_dual(UNIT), given=_given(FACTS), facts=FACTS)
    assert (replan.withdraw, replan.reopen, replan.open) == ((), (), ())
    assert review_gaps(plan=_dual(UNIT), given=_given(FACTS), facts=FACTS) == []


def test_new_supervisory_unit_is_asked_and_the_later_phase_waits_for_it() -> None:
    facts = {**FACTS, "supervisory_unit": "WJW"}
    replan = review_replan(plan=_dual(NEW_UNIT), given=_given(FACTS), facts=facts)
    assert set(replan.withdraw) == {10, 11, 12} and replan.reopen == ()
    assert replan.open == (OpinionPlan(OpinionRole.SUPERVISORY_UNIT_CONSENT, NEW_UNIT, 1),)
    assert len(review_gaps(plan=_dual(NEW_UNIT), given=_given(FACTS), facts=facts)) == 3


def test_changed_facts_reopen_the_consent_first_and_withdraw_the_rest() -> None:
    facts = {**FACTS, "purpose": "开展营利性培训"}
    replan = review_replan(plan=_dual(UNIT), given=_given(FACTS), facts=facts)
    assert replan.reopen == (10,) and set(replan.withdraw) == {11, 12} and replan.open == ()


def test_refusal_on_old_facts_is_reopened_too() -> None:
    facts = {**FACTS, "name": "日照市健康教育促进会"}
    given = _given(FACTS, OpinionState.REFUSED)
    replan = review_replan(plan=_dual(UNIT), given=given, facts=facts)
    assert replan.reopen == (10,)


def test_direct_registration_reopens_all_at_once() -> None:
    plan = [
        OpinionPlan(OpinionRole.OPINION_REQUEST, NEW_UNIT, 1),
        OpinionPlan(OpinionRole.PARTY_BUILDING, PARTY, 1),
    ]
    given = [
        GivenOpinion(20, OpinionRole.OPINION_REQUEST, UNIT, OpinionState.REFUSED, FACTS),
        GivenOpinion(21, OpinionRole.PARTY_BUILDING, PARTY, OpinionState.CONSENTED, FACTS),
    ]
    facts = {**FACTS, "industry_regulator": "WJW"}
    replan = review_replan(plan=plan, given=given, facts=facts)
    assert replan.withdraw == (20,) and replan.reopen == (21,)
    assert replan.open == (plan[0],)


def test_withdrawn_opinion_of_a_department_asked_again_is_reopened() -> None:
    given = [
        GivenOpinion(10, OpinionRole.SUPERVISORY_UNIT_CONSENT, UNIT, OpinionState.CONSENTED, FACTS),
        GivenOpinion(11, OpinionRole.PARTY_BUILDING, PARTY, OpinionState.WITHDRAWN, {}),
        GivenOpinion(12, OpinionRole.REGISTRATION_DIVISION, DIVISION, OpinionState.PENDING, {}),
    ]
    replan = review_replan(plan=_dual(UNIT), given=given, facts=FACTS)
    assert replan.reopen == (11,) and replan.withdraw == () and replan.open == ()
