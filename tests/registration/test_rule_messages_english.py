"""Rule messages go through the catalogue: the same refusal reads in Chinese by default and in
English for an English page, with the figures in place — every message every rule can produce,
reached on crafted bad input, with no Chinese left but the data it quotes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from socorg.registration.models import OpinionRole
from socorg.registration.rules import applications as rules
from socorg.registration.rules import checklists, principals, terms
from socorg.registry.models import OrgType, Post
from socorg.registry.rules import organizations


def _late_deregistration() -> str | None:
    return rules.deregistration_deadline_problem(
        liquidation_ended_on=date(2026, 1, 1), submitted_on=date(2026, 3, 1), within_days=15
    )


def test_rule_message_is_chinese_by_default() -> None:
    with translation.override("zh-hans"):
        assert _late_deregistration() == (
            "注销登记应自清算结束之日（2026-01-01）起15日内申请，最迟为2026-01-16，已逾期。"
        )


def test_rule_message_is_english_on_an_english_page() -> None:
    with translation.override("en"):
        message = _late_deregistration()
        blocker = rules.decision_blocker([])
    assert message is not None and "within 15 days" in message and "2026-01-16" in message
    assert blocker == "The joint review has not started yet."


# --- every message a rule can produce reads in English on an English page ----------------------

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Values the messages quote as recorded (names of people, organizations, places, categories).
DATA = sorted(
    {"王海", "日照市物流协会", "日照市书法家协会", "日照市教育局", "业务主管单位", "科技类", "文化类",
     "城乡社区服务类", "日照市摄影协会东港区分会", "东港区"},
    key=len,
    reverse=True,
)  # fmt: skip


def _t() -> rules.Thresholds:
    return rules.Thresholds(
        min_individual_members=50,
        min_unit_members=30,
        min_mixed_members=50,
        min_funds_local=Decimal(30000),
        min_original_funds={"local_public": Decimal(4_000_000), "non_public": Decimal(2_000_000)},
    )


def _application_messages() -> list[str]:
    t, day = _t(), date(2026, 3, 1)
    direct = rules.DirectRegistration(
        categories=("科技类", "城乡社区服务类"),
        category_fields={"科技类": ("science",)},
        county_only=("城乡社区服务类",),
    )
    found = [
        *rules.social_group_problems(individual_members=10, unit_members=0, funds=Decimal(1), t=t).values(),
        *rules.social_group_problems(individual_members=0, unit_members=10, funds=None, t=t).values(),
        *rules.social_group_problems(individual_members=5, unit_members=5, funds=None, t=t).values(),
        *rules.foundation_problems(foundation_kind="", funds=None, t=t).values(),
        *rules.foundation_problems(foundation_kind="non_public", funds=Decimal(1), t=t).values(),
        rules.legal_representative_problem(name="王海", other_groups=["日照市物流协会"]),
        *(
            rules.change_deadline_problem(
                consent_on=consent, submitted_on=day, within_days=30, dual_management=True
            )
            for consent in (None, date(2026, 4, 1), date(2025, 1, 1))
        ),
        *(
            rules.deregistration_deadline_problem(
                liquidation_ended_on=ended, submitted_on=day, within_days=15
            )
            for ended in (date(2026, 4, 1), date(2025, 1, 1))
        ),
        *rules.new_legal_representative_problems(
            name="王海", id_number="1", vetted_id_numbers=set(), audit_report_uploaded=False
        ),
        *rules.management_problems(
            direct_category="", supervisory_unit="", industry_regulator=""
        ).values(),
        *rules.management_problems(
            direct_category="科技类", supervisory_unit="", industry_regulator=""
        ).values(),
        *rules.direct_registration_problems(
            direct_category="文化类", category="culture", authority_level="city", p=direct, labels={}
        ),
        *rules.direct_registration_problems(
            direct_category="城乡社区服务类", category="x", authority_level="city", p=direct, labels={}
        ),
        *rules.direct_registration_problems(
            direct_category="科技类", category="culture", authority_level="city", p=direct,
            labels={"culture": "Culture", "science": "Science"},
        ),
        rules.decision_blocker([("日照市教育局", str(OpinionRole.OPINION_REQUEST.label), "pending")]),
        rules.decision_blocker([("日照市教育局", str(OpinionRole.OPINION_REQUEST.label), "refused")]),
        rules.decision_blocker([]),
    ]  # fmt: skip
    return [str(m) for m in found if m is not None]


def _principal_messages() -> list[str]:
    base = principals.CandidateFacts(
        birth_date=date(1940, 1, 1),
        election_on=date(2026, 1, 1),
        post=Post.CHAIR,
        org_type=OrgType.SOCIAL_GROUP,
    )
    cadre = replace(
        base,
        is_retired_cadre=True,
        prior_consecutive_terms=2,
        is_paid=True,
        is_legal_representative=True,
        other_social_groups=("日照市书法家协会",),
    )
    serving = replace(
        base,
        birth_date=date(1980, 1, 1),
        org_type=OrgType.FOUNDATION,
        is_state_functionary=True,
        prior_consecutive_terms=2,
    )
    legal = replace(
        base,
        birth_date=date(1980, 1, 1),
        is_legal_representative=True,
        legal_representative_of=("日照市物流协会",),
    )
    board = [principals.SlateMember(Post.DIRECTOR, False, True)] * 3
    findings = [
        *principals.candidate_findings(base),
        *principals.candidate_findings(cadre),
        *principals.candidate_findings(serving),
        *principals.candidate_findings(legal),
        *principals.slate_findings(OrgType.FOUNDATION, board),
    ]
    return [f.message for f in findings]


def _registry_messages() -> list[str]:
    today = date(2026, 3, 1)
    good = organizations.make_uscc(org_type="social_group", area_code="371100", serial="MJ000001")
    wrong_check = good[:17] + ("1" if good[17] != "1" else "2")
    found = [
        *(
            organizations.uscc_problem(code)
            for code in ("123", "51371100MJ00000I0X", "5A371100MJ0000010X", wrong_check)
        ),
        organizations.org_code_problem("MJ0000011"),
        organizations.uscc_record_mismatch("9" + good[1:], org_type="social_group"),
        organizations.uscc_record_mismatch(good, org_type="foundation"),
        organizations.uscc_record_mismatch(good, org_type="social_group", area_code="371102"),
        *organizations.record_date_problems(
            established_on=date(2027, 1, 1), removed_on=date(2020, 1, 1),
            certificate_valid_until=date(2020, 1, 1), today=today,
        ).values(),
        *organizations.record_date_problems(
            established_on=date(1800, 1, 1), removed_on=date(2030, 1, 1),
            certificate_valid_until=date(2200, 1, 1), today=today,
        ).values(),
        *(
            organizations.id_number_problem(number, today=today)
            for number in ("1", "11010119850202002A", "000000198502020022", "110101198513020022",
                           "110101203001010022", "110101198502020021")
        ),
        organizations.branch_problem(parent_type="social_service_agency", kind="branch"),
        organizations.branch_problem(parent_type="community_organization", kind="branch"),
        organizations.branch_problem(
            parent_type="social_group", kind="branch", name="日照市摄影协会东港区分会",
            parent_name="日照市摄影协会", regions=["东港区"],
        ),
        terms.term_length_problem(date(2026, 1, 1), date(2025, 1, 1), max_years=5),
        terms.term_length_problem(date(2026, 1, 1), date(2040, 1, 1), max_years=5),
    ]  # fmt: skip
    return [str(m) for m in found if m is not None]


def _han_outside_data(message: str) -> list[str]:
    for value in DATA:
        message = message.replace(value, " ")
    return HAN.findall(message)


@pytest.mark.parametrize(
    ("group", "produce", "count"),
    [
        ("applications", _application_messages, 22),
        ("principals", _principal_messages, 13),
        ("registry", _registry_messages, 25),
    ],
)
def test_every_rule_message_reads_in_english_on_an_english_page(group, produce, count) -> None:
    with translation.override("en"):
        messages = produce()
    assert len(messages) == count, messages  # every branch of the rules was reached
    chinese = {m: found for m in messages if (found := _han_outside_data(m))}
    assert chinese == {}, group


@pytest.mark.parametrize(
    "produce", [_application_messages, _principal_messages, _registry_messages]
)
def test_the_same_rule_messages_are_chinese_by_default(produce) -> None:
    with translation.override("zh-hans"):
        messages = produce()
    assert messages and all(HAN.search(_strip_data(m)) for m in messages)


def _strip_data(message: str) -> str:
    for value in DATA:
        message = message.replace(value, "")
    return message


def test_a_stored_finding_reads_in_the_language_of_the_page() -> None:
    facts = principals.CandidateFacts(
        birth_date=date(1940, 1, 1),
        election_on=date(2026, 1, 1),
        post=Post.CHAIR,
        org_type=OrgType.SOCIAL_GROUP,
    )
    with translation.override("zh-hans"):
        stored = principals.candidate_findings(facts)[0].as_dict()
    assert "86周岁" in stored["message"]
    with translation.override("en"):
        shown = principals.finding_message(stored)
    assert shown == "Aged 86 on election day (2026-01-01), above the age limit of 70."


def test_material_names_and_term_states_read_in_english() -> None:
    with translation.override("en"):
        labels = [
            str(m.label)
            for kind in ("establishment", "change", "deregistration", "branch_establishment")
            for org_type in ("social_group", "social_service_agency", "foundation")
            for dual in (False, True)
            for m in checklists.checklist(kind, org_type, dual_management=dual)
        ]
        labels += [str(label) for label in terms.TERM_STATUS_LABELS.values()]
    assert labels and [label for label in labels if HAN.search(label)] == []
