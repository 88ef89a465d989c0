"""DO-1's criteria as pure functions: each finds exactly what the rule says, with its evidence."""

from __future__ import annotations

from datetime import date

from socorg.supervision.rules import campaigns as rules
from socorg.supervision.rules.campaigns import Contact, Criteria, OrgFacts, Report

CRITERIA = Criteria(
    missed_years=2, after_certificate_years=1, in_scope_years=2, min_months=6, letter_count=2
)
DUES = ("03-31", "05-31", "03-31")


def facts(established: date = date(2015, 6, 1), **kw) -> OrgFacts:
    return OrgFacts(established_on=established, removed_on=None, **kw)


def test_ar1_a_year_is_closed_once_its_last_due_date_has_passed() -> None:
    assert rules.last_closed_year(date(2026, 5, 31), DUES) == 2024
    assert rules.last_closed_year(date(2026, 6, 1), DUES) == 2025


def test_do1_missed_reports_two_years_in_a_row() -> None:
    reports = [Report(2022, True, 3), Report(2023, True, 1)]
    found = rules.missed_reports(
        facts(reports=reports), years=2, min_months=6, closed=2025, records_from=2020
    )
    assert found == [2024, 2025]


def test_do1_one_missed_year_is_not_enough() -> None:
    reports = [Report(2024, True, 3)]
    assert (
        rules.missed_reports(
            facts(reports=reports), years=2, min_months=6, closed=2025, records_from=2020
        )
        is None
    )


def test_do1_a_draft_report_is_a_missed_report() -> None:
    reports = [Report(2024, False, None), Report(2025, False, None)]
    found = rules.missed_reports(
        facts(reports=reports), years=2, min_months=6, closed=2025, records_from=2020
    )
    assert found is not None and found[-2:] == [2024, 2025]


def test_ar2_a_year_the_organization_need_not_file_breaks_the_run() -> None:
    """Founded 2025-09-01: it need not file for 2025 (AR-2), so nothing is missed yet."""
    young = facts(date(2025, 9, 1))
    assert (
        rules.missed_reports(young, years=2, min_months=6, closed=2025, records_from=2020) is None
    )


def test_do1_years_before_the_first_report_on_record_are_not_judged() -> None:
    assert (
        rules.missed_reports(facts(), years=2, min_months=6, closed=2025, records_from=2025) is None
    )
    assert (
        rules.missed_reports(facts(), years=2, min_months=6, closed=2025, records_from=None) is None
    )


def test_do1_inactive_within_a_year_of_the_certificate() -> None:
    org = facts(date(2023, 4, 1), reports=[Report(2023, True, 0), Report(2024, True, 0)])
    assert rules.inactive_after_certificate(org, years=1, closed=2025, records_from=2020) == [
        2023,
        2024,
    ]
    active = facts(date(2023, 4, 1), reports=[Report(2024, True, 2)])
    assert rules.inactive_after_certificate(active, years=1, closed=2025, records_from=2020) is None


def test_do1_the_certificate_window_must_be_closed_and_on_record() -> None:
    org = facts(date(2025, 2, 1))
    assert rules.inactive_after_certificate(org, years=1, closed=2025, records_from=2020) is None
    old = facts(date(2012, 2, 1))
    assert rules.inactive_after_certificate(old, years=1, closed=2025, records_from=2020) is None


def test_do1_no_activity_in_scope_for_the_last_two_years() -> None:
    zero = facts(reports=[Report(2023, True, 5), Report(2024, True, 0), Report(2025, True, 0)])
    assert rules.inactive_in_scope(zero, years=2, closed=2025, records_from=2020) == [2024, 2025]
    no_report = facts(reports=[Report(2024, True, 0)])
    assert rules.inactive_in_scope(no_report, years=2, closed=2025, records_from=2020) == [
        2024,
        2025,
    ]
    one_active = facts(reports=[Report(2024, True, 0), Report(2025, True, 1)])
    assert rules.inactive_in_scope(one_active, years=2, closed=2025, records_from=2020) is None


def test_do1_inactivity_in_scope_is_judged_only_on_years_on_record() -> None:
    assert rules.inactive_in_scope(facts(), years=2, closed=2025, records_from=2025) is None
    assert rules.inactive_in_scope(facts(), years=2, closed=2025, records_from=None) is None


def test_do1_an_organization_younger_than_the_window_is_not_inactive_in_scope() -> None:
    assert (
        rules.inactive_in_scope(facts(date(2024, 3, 1)), years=2, closed=2025, records_from=2020)
        is None
    )


def test_do1_unreachable_two_registered_letters_returned() -> None:
    letters = [
        Contact("registered_letter", date(2025, 3, 1), "returned"),
        Contact("registered_letter", date(2025, 4, 10), "returned"),
    ]
    assert rules.unreachable(facts(contacts=letters), letter_count=2) == {
        "letters_returned": ["2025-03-01", "2025-04-10"]
    }
    one_signed = [letters[0], Contact("registered_letter", date(2025, 4, 10), "signed")]
    assert rules.unreachable(facts(contacts=one_signed), letter_count=2) is None


def test_do1_unreachable_representative_by_phone() -> None:
    calls = [
        Contact("phone", date(2025, 5, 1), "unreached"),
        Contact("phone", date(2025, 5, 8), "unreached"),
    ]
    found = rules.unreachable(facts(contacts=calls), letter_count=2)
    assert found == {"representative_unreached": ["2025-05-01", "2025-05-08"]}


def test_do1_a_later_successful_contact_clears_the_earlier_failures() -> None:
    contacts = [
        Contact("registered_letter", date(2025, 3, 1), "returned"),
        Contact("registered_letter", date(2025, 4, 10), "returned"),
        Contact("visit", date(2025, 6, 1), "reached"),
    ]
    assert rules.unreachable(facts(contacts=contacts), letter_count=2) is None


def test_do1_find_gathers_every_criterion_with_its_evidence() -> None:
    org = facts(
        reports=[Report(2021, True, 4), Report(2022, True, 0), Report(2023, True, 0)],
        contacts=[
            Contact("registered_letter", date(2025, 3, 1), "returned"),
            Contact("registered_letter", date(2025, 4, 10), "returned"),
        ],
    )
    finding = rules.find(org, CRITERIA, closed=2025, records_from=2020)
    assert finding.criteria == ["missed_reports", "inactive_in_scope", "unreachable"]
    assert finding.evidence["years_not_reported"] == [2024, 2025]
    assert finding.evidence["inactive_years"] == [2024, 2025]
    assert finding.evidence["last_activity_year"] == 2021
    assert finding.evidence["letters_returned"] == ["2025-03-01", "2025-04-10"]


def test_do1_an_active_reporting_organization_is_no_candidate() -> None:
    org = facts(reports=[Report(y, True, 3) for y in range(2020, 2026)])
    assert not rules.find(org, CRITERIA, closed=2025, records_from=2020)
