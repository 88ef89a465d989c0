"""``socorg demo load``: the seed city's figures, exactly, and a second run that changes nothing.

The full load takes a few seconds; it runs once, in one test, and every check on the loaded
data lives in that test (a helper per concern)."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from socorg.core.models import Department, Jurisdiction, User
from socorg.demo.campaigns import CAMPAIGN_NAME
from socorg.demo.inspections import COUNTY_CODES, DEMO_SECRET
from socorg.demo.loader import DEMO_PASSWORD, figures
from socorg.demo.party_instructors import INSTRUCTORS
from socorg.demo.reference import INDUSTRY_PARTY_COMMITTEE_CODES
from socorg.demo.scenario import EXPECTED
from socorg.party.selectors import brand as brand_selectors
from socorg.party.selectors import liaisons as liaison_selectors
from socorg.party.selectors.instructors import instructor_workloads
from socorg.registry import access as registry_access
from socorg.registry.models import (
    Branch,
    Organization,
    OrganizationEvent,
    Person,
    Principal,
    Responsibility,
    SourceDocument,
)
from socorg.registry.rules.organizations import (
    id_number_problem,
    uscc_problem,
    uscc_record_mismatch,
)
from socorg.supervision import draw
from socorg.supervision.models import (
    AnnualReport,
    CandidateState,
    CleanupCampaign,
    Complaint,
    ComplaintState,
    ContactAttempt,
    CreditListing,
    InspectionFinding,
    InspectionPlan,
    ListingGround,
    ListingState,
    PlanState,
)
from socorg.supervision.rules.annual_reports import fields_for, must_file
from socorg.supervision.selectors.campaigns import outcome_statistics
from socorg.supervision.selectors.complaints import organizations_with_verified_complaint
from socorg.supervision.selectors.inspections import published_bundle
from socorg.supervision.services.sweep import sweep_run


def _the_inspection_plans_are_drawn_and_verify_from_their_public_bundles() -> None:
    plans = list(InspectionPlan.objects.order_by("year", "jurisdiction__code"))
    assert [(p.year, p.jurisdiction.code) for p in plans] == [
        (year, code) for year in (2025, 2026) for code in ("371100", *COUNTY_CODES)
    ]
    for plan in plans:
        assert plan.state == PlanState.DRAWN
        assert draw.verify_bundle(published_bundle(plan.pk)) == []
        findings = InspectionFinding.objects.filter(subject__plan=plan).count()
        assert (findings > 0) == (plan.year == 2025)
    # Deterministic demo seeds: the first plan drawn has the first demo seed.
    assert plans[0].seed == hashlib.sha256(f"{DEMO_SECRET}:0".encode()).hexdigest()


def _row_counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("registry").get_models(),
        *apps.get_app_config("core").get_models(),
    ]
    return {m._meta.label: m.objects.count() for m in models}


@pytest.mark.slow
def test_demo_load_reproduces_the_seed_and_is_idempotent(db, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    out = StringIO()
    started = time.process_time()  # CPU time: immune to a busy machine
    call_command("demo", "load", stdout=out)
    assert time.process_time() - started < 60
    assert figures() == EXPECTED
    assert "socorg-demo" in out.getvalue()
    printed = out.getvalue()
    assert "≠" not in printed  # every printed figure (the list selector's) matches the seed
    assert any(
        line.split()[:3] == ["2020年以来注销登记", "315", "315"] for line in printed.splitlines()
    )

    _every_credit_code_is_valid()
    _principals_are_valid_people()
    _names_are_unique_per_authority()
    _removals_have_coded_events()
    _responsibility_map_matches_the_document()
    _rg5_no_branch_under_a_social_service_agency()
    _the_cast_logs_in_with_demo_flags()
    _donggang_registrar_sees_only_donggang()
    _the_clerk_and_the_reviewers_see_work()
    _annual_reports_add_up_and_have_the_gaps_the_sweep_needs()
    _cleanup_outcomes_since_2020_match_the_seed()
    _the_cleanup_campaign_has_candidates_in_each_disposition()
    _the_sweep_listed_real_cases_and_finds_nothing_more_on_the_same_day()
    _complaints_in_every_state_some_verified_within_a_year()
    _the_inspection_plans_are_drawn_and_verify_from_their_public_bundles()
    _some_departments_lack_a_liaison_or_training_and_the_brand_has_members()
    _instructors_guide_the_pre_reviewed_organizations()

    before = _row_counts()
    started = time.process_time()
    call_command("demo", "load", stdout=StringIO())
    assert time.process_time() - started < 5
    assert _row_counts() == before


def _some_departments_lack_a_liaison_or_training_and_the_brand_has_members() -> None:
    """The roster flags a few of the 56 departments (no current liaison), more are untrained
    this year; the education bureau's liaison of the cast is on its roster; the brand has
    members and activities held."""
    summary = liaison_selectors.roster_summary(User.objects.get(username="city_registrar"))
    assert summary.departments == 56
    assert 0 < summary.without_liaison < summary.untrained < summary.departments
    page = liaison_selectors.liaison_page(User.objects.get(username="edu_liaison"))
    assert page.me is not None and page.department.trained
    showcase = brand_selectors.brand_showcase("rcc-nygc")
    assert showcase is not None and showcase.member_count >= 20
    assert showcase.activity_count >= 5 and showcase.participants > 0


def _instructors_guide_the_pre_reviewed_organizations() -> None:
    """19 instructors → 69 organizations, as the workload page computes them."""
    report = instructor_workloads(User.objects.get(username="city_registrar"))
    assert (report.instructors, report.organizations) == (19, EXPECTED["pre_reviewed_by_divisions"])


def _complaints_in_every_state_some_verified_within_a_year() -> None:
    """Complaints in every state of the process, each with a tracking code; some found
    verified within the last 12 months (the draw's risk weight), some before."""
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == {state.value for state in ComplaintState}
    today = date.today()
    year_ago = today.replace(year=today.year - 1)
    assert len(organizations_with_verified_complaint(year_ago)) >= 5
    assert Complaint.objects.filter(result="verified", concluded_on__lt=year_ago).exists()
    assert Complaint.objects.filter(department__code="EDU", state="routed").exists()


def _every_credit_code_is_valid() -> None:
    """ID-1..ID-5: every registered, deregistered or revoked organization has a valid code with
    the authority digit 5, its type digit and its registering authority's area code."""
    rows = Organization.objects.exclude(org_type="community_organization").values_list(
        "uscc", "org_type", "level", "jurisdiction__code"
    )
    for uscc, org_type, level, code in rows:
        area = "371100" if level == "city" else code[:6]
        assert uscc_problem(uscc) is None, uscc
        assert uscc_record_mismatch(uscc, org_type=org_type, area_code=area) is None, uscc
    assert (
        not Organization.objects.filter(org_type="community_organization")
        .exclude(uscc=None)
        .exists()
    )


def _principals_are_valid_people() -> None:
    assert all(
        id_number_problem(n) is None for n in Person.objects.values_list("id_number", flat=True)
    )
    registered = Organization.objects.filter(status="registered").exclude(
        org_type="community_organization"
    )
    legal = Principal.objects.filter(is_legal_representative=True, organization__in=registered)
    assert legal.count() == registered.count()
    assert legal.filter(post="chair").count() == registered.count()
    assert (
        Principal.objects.filter(post="secretary_general", organization__in=registered).count()
        == registered.count()
    )


def _names_are_unique_per_authority() -> None:
    """RG-15: no duplicate name within one registering authority."""
    names = Counter(
        ("city" if level == "city" else code[:6], name)
        for name, level, code in Organization.objects.exclude(
            org_type="community_organization"
        ).values_list("name", "level", "jurisdiction__code")
    )
    assert max(names.values()) == 1


def _removals_have_coded_events() -> None:
    for status in ("deregistered", "revoked"):
        removed = Organization.objects.filter(status=status)
        events = OrganizationEvent.objects.filter(kind=status, organization__in=removed)
        assert events.count() == removed.count()
        assert not events.filter(reason="").exists()
        assert removed.filter(removed_on__lt="2020-01-01").count() == 0
        assert removed.filter(removed_on__gt="2026-10-31").count() == 0


def _responsibility_map_matches_the_document() -> None:
    doc = SourceDocument.objects.get(number__startswith="日组通〔2022〕")
    assert doc.issuers.count() == 6
    mapped = Responsibility.objects.filter(kind="party_building_management", source_document=doc)
    assert mapped.values("organization").distinct().count() == 1221
    assert set(mapped.values_list("department__kind", flat=True)) == {"government"}
    assert mapped.values("department").distinct().count() == 56
    assert not mapped.exclude(organization__level="city").exists()
    current = Responsibility.objects.current().filter(kind="party_building_management")
    unmanaged = Organization.objects.filter(level="city", status="registered").exclude(
        id__in=current.values("organization_id")
    )
    assert unmanaged.count() == 95  # registered since the document: the coverage report's gap
    assert (
        Department.objects.filter(
            code__in=INDUSTRY_PARTY_COMMITTEE_CODES, kind="party_building_body"
        ).count()
        == 12
    )


def _rg5_no_branch_under_a_social_service_agency() -> None:
    parents = set(Branch.objects.values_list("parent__org_type", flat=True))
    assert parents == {"social_group", "foundation"}


def _the_cast_logs_in_with_demo_flags() -> None:
    cast = User.objects.filter(is_demo=True)
    # The cast, the 19 instructors, and the pre-reviewed organization's account and reviewer.
    assert cast.count() == 16 + INSTRUCTORS + 2
    assert User.objects.get(username="founder_demo").organization is None
    assert all(u.check_password(DEMO_PASSWORD) and u.full_name for u in cast)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser  # three administrators, no superuser
    assert User.objects.get(username="org_demo").organization.name == "日照市物流协会"  # type: ignore[union-attr]
    assert User.objects.get(username="party_reviewer").department.code == "LXGW"  # type: ignore[union-attr]


def _donggang_registrar_sees_only_donggang() -> None:
    user = User.objects.get(username="donggang_registrar")
    scope = registry_access.scope_organizations(user)
    donggang = Jurisdiction.objects.get(code="371102")
    assert scope.exists()
    assert not scope.exclude(jurisdiction__path__startswith=donggang.path).exists()
    assert (
        scope.count()
        == Organization.objects.filter(jurisdiction__path__startswith=donggang.path).count()
    )


def _the_clerk_and_the_reviewers_see_work() -> None:
    """The demo applications: a founder's draft, one awaiting acceptance, one in joint review
    with opinions pending for 市教育局 and 两新工委."""
    from socorg.registration.access import scope_applications
    from socorg.registration.selectors import applications as selectors

    founder = User.objects.get(username="founder_demo")
    states = sorted(scope_applications(founder).values_list("state", flat=True))
    assert states == ["draft", "joint_review", "submitted"]
    assert (
        selectors.applications_to_accept(User.objects.get(username="approval_clerk")).count() == 1
    )
    for username in ("edu_liaison", "party_reviewer"):
        assert selectors.opinions_to_give(User.objects.get(username=username)).count() == 1


def _annual_reports_add_up_and_have_the_gaps_the_sweep_needs() -> None:
    """AR-2: a report only for a year the organization had to file, 2020–2025; each report's
    figures agree (balance sheet, totals, cash, RG-12); and the gaps DO-1 and CR-2 look for
    are there: late filings, two years missing running, failures, returned letters."""
    reports = AnnualReport.objects.select_related("organization").order_by("pk")
    total = late = failed = 0
    for report in reports.iterator(chunk_size=2000):
        org, data = report.organization, report.data
        assert 2020 <= report.year <= 2025
        assert must_file(
            established_on=org.established_on,
            removed_on=org.removed_on,
            year=report.year,
            min_months=6,
        )
        keys = {f.key for f in fields_for(report.org_type)}
        assert set(data) <= keys and {
            f.key for f in fields_for(report.org_type) if f.required
        } <= set(data)

        def money(key: str, data: dict = data) -> Decimal:
            return Decimal(data[key])

        assert money("total_assets") - money("total_liabilities") == money("net_assets")
        income = sum(money(k) for k in data if k.startswith("income_"))
        expenses = sum(money(k) for k in data if k.startswith("expense_"))
        assert (income, expenses) == (money("total_income"), money("total_expenses"))
        cash = money("cash_begin") + money("cash_inflow") - money("cash_outflow")
        assert cash == money("cash_end")
        assert report.total_income == money("total_income")
        if report.org_type == "foundation":
            floor = (
                money("prior_year_income") * Decimal("0.7")
                if data["public_fundraising"]
                else money("prior_year_end_balance") * Decimal("0.08")
            )
            assert money("charitable_spending") >= floor
            assert money("expense_admin") <= expenses * Decimal("0.1")
        total += 1
        late += report.submitted_on > report.due_on
        failed += report.conclusion == "fail"
        assert report.state in ("published", "concluded")
        assert report.state == "published" or report.year == 2025
    assert 0.05 < late / total < 0.11 and 0.02 < failed / total < 0.045
    filed = AnnualReport.objects.filter(organization=OuterRef("pk"))
    stopped = (
        Organization.objects.filter(status="registered", established_on__lt="2024-01-01")
        .exclude(org_type="community_organization")
        .exclude(Exists(filed.filter(year=2024)))
        .exclude(Exists(filed.filter(year=2025)))
    )
    assert 200 <= stopped.count() <= 400
    letters = ContactAttempt.objects.filter(kind="registered_letter", result="returned")
    by_org: dict[int, list] = {}
    for org_id, day in letters.values_list("organization_id", "made_on"):
        by_org.setdefault(org_id, []).append(day)
    # 40 organizations that stopped filing, and those the cleanup campaign's demo records.
    paired = {
        org_id
        for org_id, days in by_org.items()
        if len(days) == 2 and 20 <= abs((days[1] - days[0]).days) <= 60
    }
    assert len(paired & set(stopped.values_list("pk", flat=True))) >= 40


def _cleanup_outcomes_since_2020_match_the_seed() -> None:
    """DO-2's statistics over the removal events: since 2020, 315 deregistered and 89 revoked,
    of which the city level 203 and 55."""
    viewer = User.objects.get(username="city_registrar")
    stats = outcome_statistics(viewer, date(2020, 1, 1), date.today())
    assert (stats.total.deregistered, stats.total.revoked) == (315, 89)
    city = next(row for row in stats.by_level if row.level == "city")
    assert (city.deregistered, city.revoked) == (203, 55)


def _the_cleanup_campaign_has_candidates_in_each_disposition() -> None:
    campaign = CleanupCampaign.objects.get(name=CAMPAIGN_NAME)
    states = set(campaign.candidates.values_list("state", flat=True))
    assert states == set(CandidateState.values)


def _the_sweep_listed_real_cases_and_finds_nothing_more_on_the_same_day() -> None:
    """CR-2/CR-4 on the demo's own data: listings in effect with their evidence (the missing
    years, the returned letters, the revocation date), each from an organization whose record
    shows it; the sweep run again on the demo's day writes nothing."""
    listed = CreditListing.objects.filter(state=ListingState.LISTED).select_related("organization")
    grounds = Counter(listed.values_list("ground", flat=True))
    assert grounds[ListingGround.ANNUAL_REPORT_NOT_FILED] > 0
    assert grounds[ListingGround.UNREACHABLE] > 0
    for listing in listed.filter(ground=ListingGround.ANNUAL_REPORT_NOT_FILED)[:50]:
        years = listing.evidence["years"]
        filed = set(
            AnnualReport.objects.filter(organization=listing.organization).values_list(
                "year", flat=True
            )
        )
        assert years and not (set(years) & filed), listing.organization.name
    again = sweep_run(as_of=date(2026, 11, 1), dry_run=True, record=False)
    assert again.changes == 0, again.counts
