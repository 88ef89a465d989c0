"""Rule messages go through the catalogue: the same refusal reads in Chinese by default and in
English for an English page, with the figures in place."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from socorg.registration.rules import applications as rules


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
