"""The pure rules of TT-1, TT-2, TT-3, RG-4 and RG-11, with their edges."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from socorg.registration.rules import principals as pr
from socorg.registration.rules import terms as tr
from socorg.registration.rules.principals import CandidateFacts, Severity
from socorg.registration.rules.terms import add_months, add_years

births = st.dates(min_value=date(1930, 1, 1), max_value=date(1990, 12, 31))


def facts(**kw: object) -> CandidateFacts:
    values: dict[str, object] = {
        "birth_date": date(1960, 6, 15),
        "election_on": date(2026, 6, 1),
        "post": "chair",
        "org_type": "social_group",
    }
    values.update(kw)
    return CandidateFacts(**values)  # type: ignore[arg-type]


def rules_of(findings: list[pr.Finding], severity: Severity) -> set[str]:
    return {f.rule_id for f in findings if f.severity == severity}


@given(births)
def test_tt2_seventy_on_the_day_before_the_71st_birthday_is_still_eligible(born: date) -> None:
    day_before_71 = add_years(born, 71) - timedelta(days=1)
    assert pr.age_on(born, day_before_71) == 70
    assert pr.candidate_findings(facts(birth_date=born, election_on=day_before_71)) == []


@given(births)
def test_tt2_on_the_71st_birthday_the_candidate_exceeds_seventy(born: date) -> None:
    birthday_71 = add_years(born, 71)
    if (born.month, born.day) == (2, 29):
        birthday_71 += timedelta(days=1)  # a 29 February birthday comes on 1 March
    findings = pr.candidate_findings(facts(birth_date=born, election_on=birthday_71))
    assert rules_of(findings, Severity.BLOCKING) == {"TT-2"}
    assert "71周岁" in findings[0].message


@given(births)
def test_tt2_the_70th_birthday_itself_is_eligible(born: date) -> None:
    assert pr.candidate_findings(facts(birth_date=born, election_on=add_years(born, 70))) == []


def test_tt2_a_29_february_birthday_counts_from_1_march() -> None:
    born = date(1956, 2, 29)
    assert pr.age_on(born, date(2027, 2, 28)) == 70
    assert pr.age_on(born, date(2027, 3, 1)) == 71


@given(st.integers(min_value=0, max_value=6))
def test_tt2_a_third_consecutive_term_needs_the_exception(served: int) -> None:
    findings = pr.candidate_findings(facts(prior_consecutive_terms=served))
    if served >= 2:
        assert rules_of(findings, Severity.NEEDS_EXCEPTION) == {"TT-2"}
        assert rules_of(findings, Severity.BLOCKING) == set()
    else:
        assert findings == []


def test_tt3_retired_cadre_limits_are_blocking() -> None:
    cadre = {"is_retired_cadre": True}
    assert rules_of(
        pr.candidate_findings(facts(**cadre, prior_consecutive_terms=2)), Severity.BLOCKING
    ) == {"TT-3"}
    assert rules_of(pr.candidate_findings(facts(**cadre, is_paid=True)), Severity.BLOCKING) == {
        "TT-3"
    }
    other = pr.candidate_findings(facts(**cadre, other_social_groups=("日照市书法家协会",)))
    assert any("日照市书法家协会" in f.message for f in other if f.severity == Severity.BLOCKING)
    old = pr.candidate_findings(facts(**cadre, birth_date=date(1950, 1, 1)))
    assert rules_of(old, Severity.BLOCKING) == {"TT-3"}


def test_tt3_retired_cadre_as_legal_representative_needs_approval_and_filing_is_noted() -> None:
    findings = pr.candidate_findings(facts(is_retired_cadre=True, is_legal_representative=True))
    assert rules_of(findings, Severity.NEEDS_EXCEPTION) == {"TT-3"}
    assert rules_of(findings, Severity.INFO) == {"TT-3"}
    assert rules_of(findings, Severity.BLOCKING) == set()


def test_tt3_one_social_group_rule_does_not_apply_to_a_foundation_post() -> None:
    findings = pr.candidate_findings(
        facts(
            is_retired_cadre=True, org_type="foundation", other_social_groups=("日照市书法家协会",)
        )
    )
    assert rules_of(findings, Severity.BLOCKING) == set()


@given(st.sampled_from(["chair", "vice_chair", "secretary_general", "director", "supervisor"]))
def test_tt3_serving_state_functionary_may_not_be_a_foundation_officer(post: str) -> None:
    findings = pr.candidate_findings(
        facts(org_type="foundation", post=post, is_state_functionary=True)
    )
    blocked = rules_of(findings, Severity.BLOCKING) == {"TT-3"}
    assert blocked == (post in {"chair", "vice_chair", "secretary_general"})


def test_tt3_serving_state_functionary_in_a_social_group_is_not_a_foundation_matter() -> None:
    assert pr.candidate_findings(facts(is_state_functionary=True)) == []


def test_rg4_legal_representative_of_another_social_group_is_blocking() -> None:
    findings = pr.candidate_findings(
        facts(is_legal_representative=True, legal_representative_of=("日照市物流协会",))
    )
    assert rules_of(findings, Severity.BLOCKING) == {"RG-4"}
    assert "日照市物流协会" in findings[0].message
    # Not the legal representative here, or a foundation: RG-4 (社团 §12) does not apply.
    assert pr.candidate_findings(facts(legal_representative_of=("日照市物流协会",))) == []
    assert (
        pr.candidate_findings(
            facts(
                org_type="foundation", is_legal_representative=True, legal_representative_of=("x",)
            )
        )
        == []
    )


def test_rg11_foundation_board_size_and_paid_members() -> None:
    member = pr.SlateMember
    board = [member("chair", True, False)] + [member("director", False, False)] * 3
    assert rules_of(pr.slate_findings("foundation", board), Severity.BLOCKING) == {"RG-11"}
    board = [member("chair", True, False)] + [member("director", False, i < 2) for i in range(5)]
    assert pr.slate_findings("foundation", board) == []  # 2 paid of 6 = 1/3
    board = [member("chair", True, True)] + [member("director", False, i < 2) for i in range(5)]
    assert rules_of(pr.slate_findings("foundation", board), Severity.BLOCKING) == {"RG-11"}


def test_rg4_slate_without_a_legal_representative_is_noted() -> None:
    findings = pr.slate_findings(
        "social_group", [pr.SlateMember("secretary_general", False, False)]
    )
    assert rules_of(findings, Severity.INFO) == {"RG-4"}


# --- TT-1 ---------------------------------------------------------------------------------------


def test_add_months_clamps_the_day() -> None:
    assert add_months(date(2026, 5, 31), -3) == date(2026, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_tt1_term_status_boundaries(today: date) -> None:
    w = tr.term_windows(today)
    until, since = add_months(today, 3), add_years(today, -1)
    S = tr.TermStatus
    assert tr.term_status(until + timedelta(days=1), w) == S.CURRENT
    assert tr.term_status(until, w) == S.EXPIRING
    assert tr.term_status(today, w) == S.EXPIRING  # the last day of the term
    assert tr.term_status(today - timedelta(days=1), w) == S.OVERDUE
    assert tr.term_status(since, w) == S.OVERDUE  # exactly one year late is still within TT-1
    assert tr.term_status(since - timedelta(days=1), w) == S.OVERDUE_LONG


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_tt1_term_is_at_most_five_years_counted_inclusively(start: date) -> None:
    # The fifth anniversary of 29 February is 1 March when that year has no 29 February.
    if (start.month, start.day) == (2, 29) and not calendar.isleap(start.year + 5):
        anniversary = date(start.year + 5, 3, 1)
    else:
        anniversary = add_years(start, 5)
    latest = anniversary - timedelta(days=1)
    assert tr.term_length_problem(start, latest, max_years=5) is None
    assert tr.term_length_problem(start, latest + timedelta(days=1), max_years=5)
    assert tr.term_length_problem(start, start, max_years=5)
