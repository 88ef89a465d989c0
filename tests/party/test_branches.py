"""Party branches, 应建未建 (PB-1) and the 两个覆盖: figures against hand-counted fixtures, the
annual report's answers feeding the branch records, and the party reviewer's home."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socorg.core.models import Role, RuleParameter
from socorg.party.models import (
    BranchKind,
    FiguresSource,
    InstructorAssignment,
    PartyBranch,
    PartyBranchMember,
    PartyFigures,
)
from socorg.party.selectors import branches as selectors
from socorg.party.services.branches import branch_record, party_figures_from_annual_report
from socorg.registry.models import Level, OrgStatus, OrgType
from socorg.supervision import effects
from socorg.supervision.models import AnnualReport
from tests import factories as f
from tests.party.bodies_fixtures import affiliate

TODAY = timezone.localdate()


def figures(org, full_time: int, *, members: int | None = None, year: int = 2025, instructor=False):
    return PartyFigures.objects.create(
        organization=org,
        year=year,
        party_members=members if members is not None else full_time + 2,
        full_time_party_members=full_time,
        branch_answer="none",
        has_instructor=instructor,
        source=FiguresSource.ANNUAL_REPORT,
        reported_on=date(year + 1, 3, 1),
    )


def branch(orgs, kind=BranchKind.INDEPENDENT, founded=date(2020, 6, 1), dissolved=None):
    b = PartyBranch.objects.create(
        name="中共测试支部委员会",
        kind=kind,
        founded_on=founded,
        dissolved_on=dissolved,
        members_total=5,
    )
    for org in orgs:
        PartyBranchMember.objects.create(branch=b, organization=org, joined_on=founded)
    return b


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 应建未建 (PB-1) --------------------------------------------------------------------------------


@pytest.fixture
def crafted(city, bodies):
    """Five organizations of the city, each a case of PB-1."""
    orgs = {
        key: f.organization(where=city.city, name=f"日照市应建测试协会{key}") for key in "ABCDE"
    }
    figures(orgs["A"], 3)  # three full-time members, no branch: on the list
    figures(orgs["B"], 2)  # two: not
    figures(orgs["C"], 5)
    branch([orgs["C"]])  # its own branch: not
    figures(orgs["D"], 4)
    branch([orgs["D"], city.city_org], BranchKind.JOINT)  # in a joint branch: not
    figures(orgs["E"], 6)
    branch([orgs["E"]], dissolved=date(2024, 1, 1))  # its branch was dissolved: on the list
    return orgs


def test_pb1_lists_organizations_with_three_full_time_members_and_no_branch_with_evidence(
    city, crafted, city_registrar
) -> None:
    listing = selectors.unbuilt(city_registrar)
    assert listing.minimum == 3 and listing.rule_id == "PB-1"
    assert [r.organization.name for r in listing.rows] == [
        "日照市应建测试协会A",
        "日照市应建测试协会E",
    ]
    first = listing.rows[0]
    assert (first.year, first.full_time_party_members, first.party_members) == (2025, 3, 5)

    body = api(city_registrar).get("/api/v1/party/unbuilt").json()
    assert body["minimum"] == 3 and body["rule"] == "PB-1"
    assert [i["uscc"] for i in body["items"]] == [crafted["A"].uscc, crafted["E"].uscc]
    assert body["items"][0]["year"] == 2025 and body["items"][0]["source"] == "年度报告"


def test_pb1_minimum_is_the_parameter_in_force(city, crafted, city_registrar) -> None:
    RuleParameter.objects.filter(key="PB-1.min_full_time_party_members").update(value=4)
    names = [r.organization.name for r in selectors.unbuilt(city_registrar).rows]
    assert names == ["日照市应建测试协会E"]


def test_pb1_reads_the_latest_reported_year(city, crafted, city_registrar) -> None:
    figures(crafted["A"], 1, year=2024)  # an older year with fewer does not matter
    figures(crafted["B"], 3, year=2020)  # an older year with more does not either
    names = [r.organization.name for r in selectors.unbuilt(city_registrar).rows]
    assert names == ["日照市应建测试协会A", "日照市应建测试协会E"]


def test_the_unbuilt_page_shows_the_rule_and_the_evidence(client, crafted, city_registrar) -> None:
    client.force_login(city_registrar)
    page = client.get("/party/unbuilt/").content.decode()
    assert "日照市应建测试协会A" in page and "日照市应建测试协会B" not in page
    assert 'data-rule="PB-1"' in page and "中国共产党支部工作条例" in page


# --- 两个覆盖 -----------------------------------------------------------------------------------------


@pytest.fixture
def population(city, bodies):
    """Hand-counted: as of today, 8 organizations in scope (2 pre-existing social groups of the
    districts are excluded below); 4 have a branch, 1 more has party work through an instructor.

    city (市本级): edu_org (branch, edu committee), city_org (instructor), S1 (branch 2024),
                   F1 foundation (joint with S1... no: joint with SSA1)
    东港区: donggang_org (nothing), SSA1 (joint with F1)
    岚山区: lanshan_org (nothing)
    removed in 2021: R1 (branch 2019, counted in 2020 only)
    community organization: never counted."""
    s1 = f.organization(
        where=city.city, name="日照市覆盖测试协会S1", established_on=date(2016, 1, 1)
    )
    f1 = f.organization(where=city.city, name="日照市覆盖测试基金会", org_type=OrgType.FOUNDATION)
    ssa1 = f.organization(
        where=city.donggang,
        name="日照市东港区覆盖测试服务中心",
        org_type=OrgType.SOCIAL_SERVICE_AGENCY,
    )
    r1 = f.organization(
        where=city.city, name="日照市覆盖测试注销协会", status=OrgStatus.DEREGISTERED
    )
    f.organization(
        where=city.donggang,
        name="东港区覆盖测试社区志愿队",
        org_type=OrgType.COMMUNITY_ORGANIZATION,
        status=OrgStatus.FILED,
        level=Level.COUNTY,
    )
    branch([city.edu_org], founded=date(2019, 3, 1))
    branch([s1], founded=date(2024, 5, 1))
    branch([f1, ssa1], BranchKind.JOINT, founded=date(2020, 9, 1))
    branch([r1], founded=date(2019, 1, 1))
    figures(city.city_org, 0, members=1, instructor=True)
    affiliate(city.edu_org, bodies.edu)
    affiliate(s1, bodies.edu)
    affiliate(f1, bodies.health)
    return {"s1": s1, "f1": f1, "ssa1": ssa1, "r1": r1}


def test_coverage_by_type_matches_the_hand_count(population, city_registrar) -> None:
    report = selectors.party_coverage(city_registrar, by="type")
    # 5 social groups (edu_org, city_org, donggang_org, lanshan_org, S1): branches 2, work 3.
    rows = {r.key: (r.total, r.organizational, r.work) for r in report.rows}
    assert rows == {
        "social_group": (5, 2, 3),
        "social_service_agency": (1, 1, 1),
        "foundation": (1, 1, 1),
    }
    assert (report.summary.total, report.summary.organizational, report.summary.work) == (7, 4, 5)
    assert report.summary.organizational_percent == 57.1


def test_coverage_by_jurisdiction_and_committee_match_the_hand_count(
    population, city_registrar
) -> None:
    by_area = selectors.party_coverage(city_registrar, by="jurisdiction")
    assert [(r.name, r.total, r.organizational, r.work) for r in by_area.rows] == [
        ("日照市本级", 4, 3, 4),
        ("东港区", 2, 1, 1),
        ("岚山区", 1, 0, 0),
    ]
    by_committee = selectors.party_coverage(city_registrar, by="committee")
    assert [(r.key, r.total, r.organizational) for r in by_committee.rows] == [
        ("HYDW-EDU", 2, 2),
        ("HYDW-WJW", 1, 1),
        ("", 4, 1),
    ]


def test_coverage_as_of_a_past_year_counts_what_existed_then(population, city_registrar) -> None:
    """31 December 2020: R1 (removed 2021-03-01) still counts, S1's 2024 branch does not."""
    body = api(city_registrar).get("/api/v1/party/coverage", {"by": "type", "year": 2020}).json()
    assert body["as_of"] == "2020-12-31"
    assert (body["summary"]["total"], body["summary"]["organizational"]) == (8, 4)
    trend = {
        p.year: (p.total, p.organizational)
        for p in selectors.coverage_trend(city_registrar, years=TODAY.year - 2019)
    }
    assert trend[2020] == (8, 4) and trend[TODAY.year] == (7, 4)


def test_the_coverage_page_draws_the_tables_and_exports_them(
    client, population, city_registrar
) -> None:
    client.force_login(city_registrar)
    page = client.get("/party/party-coverage/").content.decode()
    assert 'data-coverage-by="committee"' in page and "party-coverage-trend-data" in page
    assert "57.1%" in page
    export = client.get("/party/party-coverage/export/")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_committee_reviewer_counts_only_its_committees_organizations(population, bodies) -> None:
    report = selectors.party_coverage(bodies.edu_reviewer, by="committee")
    assert (report.summary.total, report.summary.organizational) == (2, 2)


# --- branches and the annual report -------------------------------------------------------------------


def test_a_joint_branch_needs_two_organizations_and_none_may_have_a_branch_already(
    city,
    bodies,
    city_registrar,
) -> None:
    with pytest.raises(ValidationError):
        branch_record(
            actor=city_registrar,
            name="中共联合支部",
            kind=BranchKind.JOINT,
            organizations=[city.city_org],
            founded_on=date(2023, 1, 1),
        )
    branch([city.edu_org])
    with pytest.raises(ValidationError) as refused:
        branch_record(
            actor=city_registrar,
            name="中共联合支部",
            kind=BranchKind.JOINT,
            organizations=[city.city_org, city.edu_org],
            founded_on=date(2023, 1, 1),
        )
    assert "日照市教育学会" in str(refused.value)
    made = branch_record(
        actor=city_registrar,
        name="中共联合支部",
        kind=BranchKind.JOINT,
        organizations=[city.city_org, city.donggang_org],
        founded_on=date(2023, 1, 1),
    )
    items = api(city_registrar).get("/api/v1/party/branches", {"kind": "joint"}).json()["items"]
    assert [(i["id"], sorted(i["organizations"])) for i in items] == [
        (made.pk, sorted([city.city_org.uscc, city.donggang_org.uscc]))
    ]


def test_the_annual_reports_party_answers_feed_the_figures_and_the_branch(
    city,
    bodies,
    city_registrar,
) -> None:
    own = branch([city.city_org])
    report = AnnualReport.objects.create(
        organization=city.city_org,
        year=2025,
        org_type=OrgType.SOCIAL_GROUP,
        data={
            "party_branch": "independent",
            "party_members": 9,
            "full_time_party_members": 4,
            "has_instructor": True,
        },
    )
    effects.report_submitted(report, city_registrar, "")
    stored = PartyFigures.objects.get(organization=city.city_org, year=2025)
    assert (stored.party_members, stored.full_time_party_members, stored.annual_report_id) == (
        9,
        4,
        report.pk,
    )
    own.refresh_from_db()
    assert (own.members_total, own.members_full_time) == (9, 4)
    # Filed again (after a return), the answers replace the year's figures.
    party_figures_from_annual_report(
        actor=None,
        organization_id=city.city_org.pk,
        year=2025,
        answers={"party_branch": "independent", "party_members": 10, "full_time_party_members": 5},
        annual_report_id=report.pk,
        reported_on=TODAY,
    )
    assert PartyFigures.objects.get(organization=city.city_org, year=2025).party_members == 10


def test_the_party_reviewers_home_lists_the_unbuilt_organizations(client, city, bodies) -> None:
    org = f.organization(where=city.city, name="日照市应建首页测试协会")
    affiliate(org, bodies.edu)
    figures(org, 3)
    client.force_login(bodies.edu_reviewer)
    page = client.get("/").content.decode()
    assert "应建未建党组织的社会组织" in page and "/party/unbuilt/" in page


def test_the_branch_page_records_a_joint_branch_and_lists_it(
    client, city, bodies, city_registrar
) -> None:
    client.force_login(city_registrar)
    response = client.post(
        "/party/branches/new/",
        {
            "name": "中共日照市社会组织第一联合支部委员会",
            "kind": "joint",
            "organizations": f"{city.city_org.uscc}，{city.donggang_org.uscc}",
            "body": bodies.edu.pk,
            "secretary": "王芳",
            "founded_on": "2023-05-04",
            "members_total": 6,
            "members_full_time": 2,
            "next_election_on": "2026-05-04",
        },
    )
    assert response.status_code == 302
    page = client.get("/party/branches/", {"kind": "joint"}).content.decode()
    assert "中共日照市社会组织第一联合支部委员会" in page and "2 个组织" in page
    refused = client.post(
        "/party/branches/new/",
        {
            "name": "中共日照市物流协会支部委员会",
            "kind": "independent",
            "organizations": city.city_org.uscc,
            "founded_on": "2024-01-01",
            "members_total": 3,
            "members_full_time": 3,
        },
    )
    assert refused.status_code == 200 and "已有党组织" in refused.content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_branch_list_and_the_coverage_read_in_a_fixed_number_of_queries(
    city, bodies, city_registrar
) -> None:
    client = api(city_registrar)
    orgs = f.make_orgs(city.city, 12)
    branch(orgs[:2], BranchKind.JOINT)
    urls = (
        "/api/v1/party/branches",
        "/party/branches/",
        "/party/party-coverage/",
        "/api/v1/party/unbuilt",
    )
    before = [_queries(client, url) for url in urls]
    for org in orgs[2:]:
        branch([org])
        figures(org, 4)
    assert [_queries(client, url) for url in urls] == before


def test_work_coverage_counts_an_instructor_assigned_on_that_day(
    population, city, city_registrar
) -> None:
    """岚山区's organization has no branch and reports no instructor: not covered. An instructor
    the bureau assigns it covers it with party work from the assignment's first day, not before."""
    division = f.department("YLK", "养老服务科", "division", city.city)
    instructor = f.user("instructor_w", Role.PARTY_INSTRUCTOR, department=division)
    InstructorAssignment.objects.create(
        instructor=instructor,
        organization=city.lanshan_org,
        division=division,
        started_on=date(2024, 3, 1),
        created_by=city_registrar,
    )
    by_area = selectors.party_coverage(city_registrar, by="jurisdiction")
    assert [(r.name, r.total, r.organizational, r.work) for r in by_area.rows][-1] == (
        "岚山区",
        1,
        0,
        1,
    )
    past = selectors.party_coverage(city_registrar, by="jurisdiction", on=date(2023, 12, 31))
    assert [(r.name, r.work) for r in past.rows][-1] == ("岚山区", 0)
