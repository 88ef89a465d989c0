"""The compliance sweep on crafted histories (CR-2 … CR-5): each ground lists exactly the right
organizations with the right evidence, notices come before listings and respect the response
window around holidays, a cure in the window cancels, a second run changes nothing, automatic
delistings fall on the right days, and the audit chain stays intact."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from socorg.core.audit import verify_chain
from socorg.core.models import AuditLog, Notice, Role, Transition
from socorg.registry.models import EventKind, OrganizationEvent, OrgStatus, OrgType
from socorg.supervision.models import (
    AnnualReport,
    AnnualReportState,
    ContactAttempt,
    ContactKind,
    ContactResult,
    CreditList,
    CreditListing,
    DelistReason,
    ListingGround,
    ListingSource,
    ListingState,
    SweepRun,
)
from socorg.supervision.services.sweep import sweep_run
from tests import factories as f

G = ListingGround
L = ListingState
NOTICE_DAY = date(2026, 9, 28)  # Monday before the National Day holiday
RESPOND_BY = date(2026, 10, 16)  # 10 working days, with the make-up Saturday 10-10
EFFECT_DAY = date(2026, 10, 17)
YEARS = range(2021, 2026)


def file_reports(org: Any, years: Any = YEARS, *, on: date | None = None) -> None:
    for year in years:
        AnnualReport.objects.update_or_create(
            organization=org,
            year=year,
            defaults={
                "org_type": org.org_type,
                "state": AnnualReportState.BUREAU_REVIEW,
                "submitted_on": on or date(year + 1, 3, 1),
            },
        )


def letter(org: Any, on: date, result: str = ContactResult.RETURNED) -> None:
    ContactAttempt.objects.create(
        organization=org, kind=ContactKind.REGISTERED_LETTER, made_on=on, result=result
    )


@pytest.fixture
def history(city: Any) -> dict[str, Any]:
    """Organizations with crafted filing and contact histories; everyone else filed on time."""
    where = city.donggang
    orgs = {
        "late_2025": f.organization(where=where, name="日照市东港区未报协会"),
        "dual_two_years": f.organization(
            where=city.city, name="日照市双年未报学会", supervisory_unit=city.edu
        ),
        "filed_late": f.organization(
            where=where, name="日照市迟报基金会", org_type=OrgType.FOUNDATION
        ),
        "founded_late": f.organization(
            where=where, name="日照市新成立协会", established_on=date(2025, 8, 1)
        ),
        "deregistered": f.organization(
            where=where, name="日照市已注销协会", status=OrgStatus.DEREGISTERED
        ),
        "revoked": f.organization(
            where=where,
            name="日照市已撤销协会",
            status=OrgStatus.REVOKED,
            removed_on=date(2026, 3, 1),
        ),
        "unreachable": f.organization(where=where, name="日照市失联协会"),
        "letters_too_close": f.organization(where=where, name="日照市信件间隔不足协会"),
        "reached_later": f.organization(where=where, name="日照市重新联系上协会"),
        "community": f.organization(
            where=where,
            name="日照市东港区某社区文体队",
            org_type=OrgType.COMMUNITY_ORGANIZATION,
            status=OrgStatus.FILED,
        ),
    }
    for org in [
        city.donggang_org,
        city.lanshan_org,
        city.city_org,
        city.edu_org,
        *orgs.values(),
    ]:
        file_reports(org)
    AnnualReport.objects.filter(organization=orgs["late_2025"], year=2025).delete()
    AnnualReport.objects.filter(organization=orgs["dual_two_years"], year__in=(2024, 2025)).delete()
    AnnualReport.objects.filter(organization=orgs["filed_late"], year=2025).update(
        submitted_on=date(2026, 7, 1)
    )
    AnnualReport.objects.filter(organization=orgs["founded_late"]).delete()
    AnnualReport.objects.filter(organization__in=[orgs["deregistered"], orgs["revoked"]]).delete()
    letter(orgs["unreachable"], date(2026, 6, 1))
    letter(orgs["unreachable"], date(2026, 7, 10))
    letter(orgs["letters_too_close"], date(2026, 6, 1))
    letter(orgs["letters_too_close"], date(2026, 6, 11))
    letter(orgs["reached_later"], date(2026, 6, 1))
    letter(orgs["reached_later"], date(2026, 7, 10))
    ContactAttempt.objects.create(
        organization=orgs["reached_later"],
        kind=ContactKind.PHONE,
        made_on=date(2026, 8, 1),
        result=ContactResult.REACHED,
    )
    orgs["account"] = f.user(
        "late_org", Role.ORGANIZATION, organization=orgs["late_2025"], jurisdiction=where
    )
    return orgs


def snapshot() -> dict[str, int]:
    return {
        "listings": CreditListing.objects.count(),
        "transitions": Transition.objects.count(),
        "audit": AuditLog.objects.count(),
        "events": OrganizationEvent.objects.count(),
        "notices": Notice.objects.count(),
        "open": CreditListing.objects.filter(state__in=(L.NOTICED, L.LISTED)).count(),
    }


def listing(org: Any, ground: str) -> CreditListing:
    return CreditListing.objects.get(organization=org, ground=ground)


def test_cr2_cr4_each_ground_notices_exactly_the_right_organizations(history) -> None:
    result = sweep_run(as_of=NOTICE_DAY)

    noticed = {
        (row.organization_id, row.ground): row
        for row in CreditListing.objects.filter(state=L.NOTICED)
    }
    assert set(noticed) == {
        (history["late_2025"].pk, G.ANNUAL_REPORT_NOT_FILED),
        (history["dual_two_years"].pk, G.ANNUAL_REPORT_NOT_FILED),
        (history["revoked"].pk, G.REVOKED),
        (history["unreachable"].pk, G.UNREACHABLE),
    }
    late = noticed[(history["late_2025"].pk, G.ANNUAL_REPORT_NOT_FILED)]
    assert late.evidence == {"years": [2025], "due": {"2025": "2026-05-31"}}
    assert (late.list, late.rule_id, late.source) == (
        CreditList.ABNORMAL,
        "CR-2",
        ListingSource.SWEEP,
    )
    dual = noticed[(history["dual_two_years"].pk, G.ANNUAL_REPORT_NOT_FILED)]
    # Under dual management the report is due at the supervisory unit by 03-31 (AR-1).
    assert dual.evidence == {
        "years": [2024, 2025],
        "due": {"2024": "2025-03-31", "2025": "2026-03-31"},
    }
    revoked = noticed[(history["revoked"].pk, G.REVOKED)]
    assert (revoked.list, revoked.rule_id) == (CreditList.SERIOUS, "CR-4")
    assert revoked.evidence == {"revoked_on": "2026-03-01"}
    assert noticed[(history["unreachable"].pk, G.UNREACHABLE)].evidence == {
        "letters": ["2026-06-01", "2026-07-10"]
    }
    assert {row.respond_by for row in noticed.values()} == {RESPOND_BY}
    assert {row.noticed_on for row in noticed.values()} == {NOTICE_DAY}
    assert result.by_rule() == {"CR-2": 3, "CR-4": 1}
    # The notice reaches the organization's account and is a (non-public) event.
    assert Notice.objects.filter(recipient=history["account"]).count() == 1
    # …and leads to the page where it answers.
    assert Notice.objects.get(recipient=history["account"]).link == reverse(
        "supervision:credit_mine"
    )
    event = OrganizationEvent.objects.get(
        organization=history["late_2025"], kind=EventKind.LISTING_NOTICED
    )
    assert event.is_public is False
    assert event.details["evidence"]["years"] == [2025]
    run = SweepRun.objects.get()
    assert run.status == SweepRun.Status.SUCCEEDED
    assert run.counts["rules"] == {"CR-2": 3, "CR-4": 1}


def test_cr2_sweep_is_idempotent_a_second_run_changes_nothing(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    before = snapshot()
    again = sweep_run(as_of=NOTICE_DAY)
    after = snapshot()
    assert again.changes == 0
    assert {k: after[k] - before[k] for k in before} == {
        "listings": 0,
        "transitions": 0,
        "audit": 1,  # the run itself ("sweep.run")
        "events": 0,
        "notices": 0,
        "open": 0,
    }
    sweep_run(as_of=EFFECT_DAY)
    before = snapshot()
    assert sweep_run(as_of=EFFECT_DAY).changes == 0
    assert snapshot()["transitions"] == before["transitions"]


def test_cr2_listing_takes_effect_only_after_the_response_window(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    sweep_run(as_of=RESPOND_BY)
    assert not CreditListing.objects.filter(state=L.LISTED).exists()
    result = sweep_run(as_of=EFFECT_DAY)
    late = listing(history["late_2025"], G.ANNUAL_REPORT_NOT_FILED)
    assert late.state == L.LISTED
    assert (late.listed_on, late.clock_started_on) == (EFFECT_DAY, EFFECT_DAY)
    assert late.delist_earliest is None  # CR-3: delisted on application once the report is filed
    unreachable = listing(history["unreachable"], G.UNREACHABLE)
    assert unreachable.delist_earliest == date(2027, 4, 17)  # CR-3: 6 months
    assert listing(history["revoked"], G.REVOKED).delist_earliest is None  # CR-5
    assert result.counts["CR-2.annual_report_not_filed.listed"] == 2
    transition = Transition.objects.get(
        process="credit_listing", object_id=str(late.pk), action="take_effect"
    )
    assert (transition.from_state, transition.to_state, transition.actor) == (
        L.NOTICED,
        L.LISTED,
        None,
    )
    public = OrganizationEvent.objects.get(organization=history["late_2025"], kind=EventKind.LISTED)
    assert public.is_public and public.occurred_on == EFFECT_DAY
    assert public.details["evidence"]["years"] == [2025]


def test_cr2_a_report_filed_in_the_window_cancels_the_listing(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    file_reports(history["late_2025"], [2025], on=date(2026, 10, 10))
    result = sweep_run(as_of=EFFECT_DAY)
    late = listing(history["late_2025"], G.ANNUAL_REPORT_NOT_FILED)
    assert late.state == L.CANCELLED
    assert late.listed_on is None
    assert result.counts["CR-2.annual_report_not_filed.cancelled"] == 1
    # Partly cured (one of two years filed): the ground still holds and takes effect.
    dual = listing(history["dual_two_years"], G.ANNUAL_REPORT_NOT_FILED)
    assert dual.state == L.LISTED
    # A cancelled notice is not issued again for the same year.
    assert sweep_run(as_of=EFFECT_DAY).changes == 0


def test_cr2_a_cure_after_the_notice_day_but_dated_later_does_not_count_yet(history) -> None:
    """The sweep reads the data as of its day: a report submitted after that day is no cure."""
    sweep_run(as_of=NOTICE_DAY)
    file_reports(history["late_2025"], [2025], on=date(2026, 10, 20))
    sweep_run(as_of=EFFECT_DAY)
    assert listing(history["late_2025"], G.ANNUAL_REPORT_NOT_FILED).state == L.LISTED


def test_cr3_a_new_missing_year_while_listed_adds_evidence_and_restarts_the_clock(
    history,
) -> None:
    sweep_run(as_of=NOTICE_DAY)
    sweep_run(as_of=EFFECT_DAY)
    late = listing(history["late_2025"], G.ANNUAL_REPORT_NOT_FILED)
    assert late.evidence["years"] == [2025]
    # The 2026 report falls due on 2027-05-31 and is not filed either.
    result = sweep_run(as_of=date(2027, 6, 1))
    late.refresh_from_db()
    assert late.state == L.LISTED
    assert late.evidence["years"] == [2025, 2026]
    assert late.evidence["due"] == {"2025": "2026-05-31", "2026": "2027-05-31"}
    assert late.clock_started_on == date(2027, 6, 1)
    assert late.listed_on == EFFECT_DAY
    assert result.counts["CR-2.annual_report_not_filed.evidence_added"] >= 1
    assert (
        CreditListing.objects.filter(
            organization=history["late_2025"], ground=G.ANNUAL_REPORT_NOT_FILED
        ).count()
        == 1
    )


def test_cr3_a_new_ground_restarts_the_clock_of_the_other_listings(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    sweep_run(as_of=EFFECT_DAY)
    org = history["unreachable"]
    # Its 2025 report (due 2026-05-31) turns out to be missing after all.
    AnnualReport.objects.filter(organization=org, year=2025).delete()
    sweep_run(as_of=date(2026, 11, 2))
    noticed = listing(org, G.ANNUAL_REPORT_NOT_FILED)
    assert noticed.state == L.NOTICED
    unreachable = listing(org, G.UNREACHABLE)
    assert unreachable.clock_started_on == EFFECT_DAY  # a notice alone does not restart it
    took_effect_on = date(2026, 11, 17)  # 10 working days after 11-02 end on 11-16
    sweep_run(as_of=took_effect_on)
    unreachable.refresh_from_db()
    assert listing(org, G.ANNUAL_REPORT_NOT_FILED).state == L.LISTED
    assert unreachable.clock_started_on == took_effect_on
    assert unreachable.delist_earliest == date(2027, 5, 17)
    # The old date passes without a delisting; the new one delists.
    sweep_run(as_of=date(2027, 4, 17))
    unreachable.refresh_from_db()
    assert unreachable.state == L.LISTED
    sweep_run(as_of=date(2027, 5, 17))
    unreachable.refresh_from_db()
    assert (unreachable.state, unreachable.delist_reason, unreachable.delisted_on) == (
        L.DELISTED,
        DelistReason.AUTO_EXPIRED,
        date(2027, 5, 17),
    )


def test_cr3_unreachable_is_delisted_automatically_after_six_months(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    sweep_run(as_of=EFFECT_DAY)
    unreachable = listing(history["unreachable"], G.UNREACHABLE)
    sweep_run(as_of=date(2027, 4, 16))
    unreachable.refresh_from_db()
    assert unreachable.state == L.LISTED
    result = sweep_run(as_of=date(2027, 4, 17))
    unreachable.refresh_from_db()
    assert unreachable.state == L.DELISTED
    assert unreachable.delist_reason == DelistReason.AUTO_EXPIRED
    assert result.counts["CR-2.unreachable.delisted"] == 1
    assert OrganizationEvent.objects.filter(
        organization=history["unreachable"], kind=EventKind.DELISTED
    ).exists()
    # The same two letters never list it again.
    assert sweep_run(as_of=date(2027, 4, 18)).changes == 0
    assert not CreditListing.objects.filter(
        organization=history["unreachable"], state__in=(L.NOTICED, L.LISTED)
    ).exists()


def test_cr4_two_full_years_on_the_abnormal_list_move_to_the_serious_list(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    sweep_run(as_of=EFFECT_DAY)
    org = history["dual_two_years"]
    abnormal = listing(org, G.ANNUAL_REPORT_NOT_FILED)
    for year in (2026, 2027):
        file_reports(org, [year], on=date(year + 1, 3, 1))
    day = date(2028, 10, 16)
    sweep_run(as_of=day)
    assert not CreditListing.objects.filter(organization=org, ground=G.ABNORMAL_TWO_YEARS).exists()
    day = date(2028, 10, 17)  # two full years after 2026-10-17
    result = sweep_run(as_of=day)
    serious = listing(org, G.ABNORMAL_TWO_YEARS)
    assert (serious.state, serious.list, serious.rule_id) == (L.NOTICED, CreditList.SERIOUS, "CR-4")
    assert serious.evidence["abnormal_since"] == "2026-10-17"
    assert serious.evidence["listings"] == [abnormal.pk]
    # Every organization listed since 2026-10-17 and still listed: both that missed reports.
    assert {
        item["organization_id"] for item in result.items if item["ground"] == G.ABNORMAL_TWO_YEARS
    } == {org.pk, history["late_2025"].pk}
    effect = date(2028, 11, 1)
    sweep_run(as_of=effect)
    serious.refresh_from_db()
    abnormal.refresh_from_db()
    assert serious.state == L.LISTED
    assert serious.delist_earliest == date(2030, 11, 1)  # CR-5: two full years
    assert (abnormal.state, abnormal.delist_reason, abnormal.delisted_on) == (
        L.DELISTED,
        DelistReason.MOVED_TO_SERIOUS,
        effect,
    )
    # CR-5: after two clean years, delisted only once the outstanding reports are filed.
    sweep_run(as_of=date(2030, 11, 1))
    serious.refresh_from_db()
    assert serious.state == L.LISTED
    file_reports(org, [2024, 2025, 2028, 2029], on=date(2030, 11, 5))
    sweep_run(as_of=date(2030, 11, 6))
    serious.refresh_from_db()
    assert (serious.state, serious.delist_reason) == (L.DELISTED, DelistReason.CLEAN_PERIOD)
    assert verify_chain().ok


def test_cr5_deregistered_organizations_leave_every_list(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    sweep_run(as_of=EFFECT_DAY)
    org = history["late_2025"]
    org.status = OrgStatus.DEREGISTERED
    org.removed_on = date(2026, 11, 20)
    org.save()
    result = sweep_run(as_of=date(2026, 11, 23))
    late = listing(org, G.ANNUAL_REPORT_NOT_FILED)
    assert (late.state, late.delist_reason) == (L.DELISTED, DelistReason.DEREGISTERED)
    assert result.counts["CR-2.annual_report_not_filed.delisted"] == 1


def test_cr5_manual_serious_listing_leaves_after_two_clean_years(history) -> None:
    org = history["late_2025"]
    manual = CreditListing.objects.create(
        organization=org,
        list=CreditList.SERIOUS,
        ground=G.LARGE_FINE,
        rule_id="CR-4",
        state=L.LISTED,
        source=ListingSource.MANUAL,
        listed_on=date(2024, 9, 1),
        clock_started_on=date(2024, 9, 1),
        delist_earliest=date(2026, 9, 1),
        decision_document="日民罚〔2024〕1号",
    )
    sweep_run(as_of=date(2026, 8, 31))
    manual.refresh_from_db()
    assert manual.state == L.LISTED
    sweep_run(as_of=date(2026, 9, 1))
    manual.refresh_from_db()
    assert (manual.state, manual.delist_reason) == (L.DELISTED, DelistReason.CLEAN_PERIOD)


def test_cr2_sweep_leaves_the_audit_chain_intact(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    file_reports(history["late_2025"], [2025], on=date(2026, 10, 9))
    sweep_run(as_of=EFFECT_DAY)
    assert verify_chain().ok
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {
        "credit_listing.notice",
        "credit_listing.cancel",
        "credit_listing.take_effect",
        "sweep.run",
    } <= actions


def test_cr2_dry_run_shows_the_day_and_writes_nothing(history) -> None:
    before = snapshot()
    runs = SweepRun.objects.count()
    result = sweep_run(as_of=NOTICE_DAY, dry_run=True, record=False)
    assert result.by_rule() == {"CR-2": 3, "CR-4": 1}
    assert {item["organization_id"] for item in result.items} == {
        history[k].pk for k in ("late_2025", "dual_two_years", "revoked", "unreachable")
    }
    assert snapshot() == before
    assert SweepRun.objects.count() == runs


def test_cr2_sweep_command_dry_run_prints_and_writes_nothing(history) -> None:
    before = snapshot()
    out = StringIO()
    call_command("sweep", "run", "--as-of", "2026-09-28", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "日照市东港区未报协会" in text
    assert "2025" in text
    assert snapshot() == before
    assert not SweepRun.objects.exists()
    call_command("sweep", "run", "--as-of", "2026-09-28", stdout=StringIO())
    assert CreditListing.objects.filter(state=L.NOTICED).count() == 4


def test_cr2_incremental_sweep_sees_only_what_changed_and_agrees_with_a_full_one(history) -> None:
    sweep_run(as_of=NOTICE_DAY)
    file_reports(history["late_2025"], [2025], on=date(2026, 10, 9))
    result = sweep_run(as_of=date(2026, 10, 12), incremental=True)
    assert result.full is False
    # The changed organization and the ones with a pending notice, not everyone.
    assert result.evaluated is not None and result.evaluated <= 5
    assert listing(history["late_2025"], G.ANNUAL_REPORT_NOT_FILED).state == L.CANCELLED
    inc = sweep_run(as_of=EFFECT_DAY, incremental=True)
    assert inc.counts.get("CR-2.annual_report_not_filed.listed") == 1
    assert sweep_run(as_of=EFFECT_DAY).changes == 0  # a full run finds nothing left


def test_cr2_incremental_sweep_goes_full_when_a_filing_date_passes(history) -> None:
    sweep_run(as_of=date(2027, 5, 31))
    result = sweep_run(as_of=date(2027, 6, 1), incremental=True)
    assert result.full is True
