"""The coverage report: registered organizations in scope without a current party-building
manager (responsibility map), its figures, list and export."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from socorg.core.models import AuditLog, DepartmentKind, Role
from socorg.party import selectors
from socorg.registry.models import OrgStatus, OrgType, Responsibility, ResponsibilityKind
from tests import factories as f
from tests.party.helpers import bulk_organizations

URL = "/party/coverage/"
PBM = ResponsibilityKind.PARTY_BUILDING_MANAGEMENT


def assign(org, dept, kind=PBM, start=date(2022, 7, 1), end=None) -> None:
    Responsibility.objects.create(
        organization=org, department=dept, kind=kind, effective_from=start, effective_to=end
    )


@pytest.fixture
def map_(city) -> SimpleNamespace:
    """City level, registered: 物流协会 and 教育学会 (from the cast), plus four more.

    covered: 物流协会 (教育局), 教育学会 (教育局), 慈善基金会 (两新工委);
    not covered: 书画院 (management ended), 体育协会 (only comprehensive supervision), 养老中心;
    outside the figures: a deregistered city organization and the two district ones."""
    today = timezone.localdate()
    foundation = f.organization(
        where=city.city, name="日照市慈善基金会", org_type=OrgType.FOUNDATION
    )
    ended = f.organization(
        where=city.city, name="日照市书画院", org_type=OrgType.SOCIAL_SERVICE_AGENCY
    )
    sports = f.organization(where=city.city, name="日照市体育协会")
    elderly = f.organization(
        where=city.city, name="日照市养老服务中心", org_type=OrgType.SOCIAL_SERVICE_AGENCY
    )
    gone = f.organization(where=city.city, name="日照市已注销协会", status=OrgStatus.DEREGISTERED)
    assign(city.city_org, city.edu)
    assign(city.edu_org, city.edu)
    assign(foundation, city.party)
    assign(ended, city.edu, end=today - timedelta(days=1))
    assign(sports, city.edu, kind=ResponsibilityKind.COMPREHENSIVE_SUPERVISION)
    assign(city.donggang_org, city.edu)
    return SimpleNamespace(uncovered=[ended, sports, elderly], gone=gone)


def test_the_figures_count_registered_city_organizations_with_a_current_manager(
    city, city_registrar, map_
) -> None:
    report = selectors.coverage_report(city_registrar, "city")
    assert (report.summary.total, report.summary.covered, report.summary.uncovered) == (6, 3, 3)
    assert report.summary.percent == 50.0


def test_the_uncovered_list_holds_exactly_the_organizations_without_a_current_manager(
    city, city_registrar, map_
) -> None:
    report = selectors.coverage_report(city_registrar, "city")
    assert sorted(o.name for o in report.uncovered) == sorted(o.name for o in map_.uncovered)


def test_the_breakdown_by_department_counts_the_organizations_each_manages(
    city, city_registrar, map_
) -> None:
    report = selectors.coverage_report(city_registrar, "city")
    assert [(d.code, d.organizations) for d in report.by_department] == [("EDU", 2), ("LXGW", 1)]


def test_the_breakdown_by_type(city, city_registrar, map_) -> None:
    by_type = {
        t.org_type: (t.summary.total, t.summary.covered)
        for t in selectors.coverage_report(city_registrar, "city").by_type
    }
    assert by_type == {
        OrgType.SOCIAL_GROUP: (3, 2),
        OrgType.SOCIAL_SERVICE_AGENCY: (2, 0),
        OrgType.FOUNDATION: (1, 1),
    }


def test_county_level_and_all_levels(city, city_registrar, map_) -> None:
    county = selectors.coverage_report(city_registrar, "county").summary
    everything = selectors.coverage_report(city_registrar, "all").summary
    assert (county.total, county.covered) == (2, 1)
    assert (everything.total, everything.covered) == (8, 4)


def test_a_district_registrar_sees_only_the_district(city, donggang_registrar, map_) -> None:
    report = selectors.coverage_report(donggang_registrar, "county")
    assert (report.summary.total, report.summary.covered) == (1, 1)
    assert selectors.coverage_report(donggang_registrar, "city").summary.total == 0


def test_a_responsibility_starting_in_the_future_does_not_cover_yet(
    city, city_registrar, map_
) -> None:
    assign(map_.uncovered[2], city.edu, start=timezone.localdate() + timedelta(days=30))
    assert selectors.coverage_report(city_registrar, "city").summary.covered == 3


def test_the_page_shows_figures_breakdowns_and_links_to_profiles(
    client, city, city_registrar, map_
) -> None:
    client.force_login(city_registrar)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "50.0%" in page and "日照市教育局" in page and "日照市两新工委" in page
    for org in map_.uncovered:
        assert reverse("registry:organization_detail", args=[org.uscc]) in page
    assert "日照市物流协会" not in page.split("未落实党建管理部门的社会组织")[-1]


def test_the_uncovered_list_is_paginated(client, city, city_registrar) -> None:
    bulk_organizations(city.city, 120, tag="PG")
    client.force_login(city_registrar)
    first = client.get(URL).content.decode()
    third = client.get(URL + "?level=city&page=3").content.decode()
    assert "第 1 / 3 页" in first and "第 3 / 3 页" in third


def test_the_export_lists_the_uncovered_organizations_and_is_audited(
    client, city, city_registrar, map_
) -> None:
    client.force_login(city_registrar)
    response = client.get(reverse("party:coverage_export") + "?level=city")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码"
    assert sorted(r[1] for r in rows[1:]) == sorted(o.name for o in map_.uncovered)
    assert AuditLog.objects.get(action="responsibility.coverage_export").after == {
        "level": "city",
        "rows": 3,
    }


def test_the_report_takes_the_same_number_of_queries_for_3_or_300_organizations(
    client, city, city_registrar
) -> None:
    client.force_login(city_registrar)
    small = bulk_organizations(city.city, 3, tag="QA")
    for org in small[:1]:
        assign(org, city.edu)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    many = bulk_organizations(city.city, 297, tag="QB")
    other = f.department("CZJ", "日照市财政局", DepartmentKind.GOVERNMENT, city.city)
    Responsibility.objects.bulk_create(
        Responsibility(
            organization=o,
            department=other if i % 2 else city.edu,
            kind=PBM,
            effective_from=date(2022, 7, 1),
        )
        for i, o in enumerate(many[:150])
    )
    with CaptureQueriesContext(connection) as lots:
        assert client.get(URL).status_code == 200
    assert len(lots) == len(few)
    assert len(few) <= 12, [q["sql"] for q in few.captured_queries]


def test_the_export_takes_a_fixed_number_of_queries(client, city, city_registrar) -> None:
    client.force_login(city_registrar)
    bulk_organizations(city.city, 5, tag="XA")
    # The first audit row also creates the chain head.
    client.get(reverse("party:coverage_export"))
    with CaptureQueriesContext(connection) as few:
        b"".join(client.get(reverse("party:coverage_export")).streaming_content)
    bulk_organizations(city.city, 200, tag="XB")
    with CaptureQueriesContext(connection) as lots:
        b"".join(client.get(reverse("party:coverage_export")).streaming_content)
    assert len(lots) == len(few)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DEPARTMENT_LIAISON, 403),
        (Role.ORGANIZATION, 403),
        (Role.PARTY_BUILDING_REVIEWER, 200),
        (Role.DIRECTOR, 200),
    ],
)
def test_who_may_open_the_report(client, city, role, status) -> None:
    scope = (
        {"department": city.party}
        if role in (Role.DEPARTMENT_LIAISON, Role.PARTY_BUILDING_REVIEWER)
        else {}
    )
    if role == Role.ORGANIZATION:
        scope = {"organization": city.city_org}
    if role == Role.DIRECTOR:
        scope = {"jurisdiction": city.city}
    client.force_login(f.user(f"cov_{role}", role, **scope))
    assert client.get(URL).status_code == status
    assert client.get(reverse("party:coverage_export")).status_code == status


def test_a_party_building_reviewer_sees_the_organizations_of_the_department(
    client, city, map_
) -> None:
    reviewer = f.user("party_reviewer", Role.PARTY_BUILDING_REVIEWER, department=city.party)
    report = selectors.coverage_report(reviewer, "all")
    assert (report.summary.total, report.summary.covered) == (1, 1)


def test_coverage_report_charts_the_departments_beside_their_table(
    client, city, city_registrar, map_
) -> None:
    """The departments' chart reads the same figures as the table below it, from a json
    block that app.js draws (no inline script)."""
    client.force_login(city_registrar)
    page = client.get(reverse("party:coverage_report")).content.decode()
    block = re.search(
        r'<script id="coverage-department-chart-data" type="application/json">(.*?)</script>',
        page,
    )
    assert block
    report = selectors.coverage_report(city_registrar, "city")
    expected = [{"name": r.name, "value": r.organizations} for r in report.by_department[:10]]
    assert json.loads(block.group(1)) == expected
    assert 'data-chart="hbar"' in page and "数字见下表" in page


def test_the_breakdown_by_jurisdiction_counts_each_district_with_its_streets(
    city, city_registrar, map_
) -> None:
    """市本级 first, then each county or district; an organization filed at a street counts
    with its district."""
    street = f.jurisdiction("371102001", "东港区秦楼街道", "street", city.donggang)
    f.organization(where=street, name="东港区秦楼街道社区服务中心", level="county")
    rows = selectors.coverage_report(city_registrar, "all").by_jurisdiction
    assert [(r.code, r.name, r.summary.total, r.summary.covered) for r in rows] == [
        ("371100", "日照市本级", 6, 3),
        ("371102", "东港区", 2, 1),
        ("371103", "岚山区", 1, 0),
    ]


def test_coverage_report_charts_the_jurisdictions_beside_their_table(
    client, city, city_registrar, map_
) -> None:
    client.force_login(city_registrar)
    page = client.get(reverse("party:coverage_report") + "?level=all").content.decode()
    block = re.search(
        r'<script id="coverage-jurisdiction-chart-data" type="application/json">(.*?)</script>',
        page,
    )
    assert block
    chart = json.loads(block.group(1))
    assert chart["categories"] == ["日照市本级", "东港区", "岚山区"]
    assert [s["name"] for s in chart["series"]] == ["已覆盖", "未覆盖"]
    assert [s["data"] for s in chart["series"]] == [[3, 1, 0], [3, 0, 1]]
    table = page.split("data-coverage-jurisdictions")[1].split("</section>")[0]
    assert 'data-jurisdiction="371103"' in table and "岚山区" in table and "0.0%" in table
