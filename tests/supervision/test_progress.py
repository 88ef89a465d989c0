"""Filing progress (AR-1, AR-2): who had to file, where each filing stands, who sees it, and
reminders that reach each organization once a day."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from socorg.core.models import AuditLog, Notice, Role
from socorg.registry.models import OrgStatus, OrgType
from socorg.supervision.rules import progress as rules
from socorg.supervision.rules.annual_reports import must_file
from socorg.supervision.selectors import progress as selectors
from socorg.supervision.services.progress import annual_report_remind
from tests import factories as f
from tests.supervision.conftest import report

TODAY = date(2026, 12, 3)
YEAR = 2025


@pytest.fixture
def crafted(city, rule_defaults):
    """Organizations of every AR-2 case and every report state for 2025."""
    orgs = {
        "published": f.organization(where=city.city, name="日照市已公布协会"),
        "in_review_late": f.organization(
            where=city.city, name="日照市初审中协会", supervisory_unit=city.edu
        ),
        "foundation_missing": f.organization(
            where=city.city, name="日照市未报基金会", org_type=OrgType.FOUNDATION
        ),
        "draft": f.organization(
            where=city.donggang, name="日照市东港区草稿中心", org_type=OrgType.SOCIAL_SERVICE_AGENCY
        ),
        "too_young": f.organization(
            where=city.city, name="日照市新成立协会", established_on=date(2025, 7, 1)
        ),
        "removed_in_year": f.organization(
            where=city.city,
            name="日照市年内注销协会",
            status=OrgStatus.DEREGISTERED,
            removed_on=date(2025, 6, 1),
        ),
        "removed_after": f.organization(
            where=city.city,
            name="日照市次年注销协会",
            status=OrgStatus.DEREGISTERED,
            removed_on=date(2026, 2, 1),
        ),
        "community": f.organization(
            where=city.donggang,
            name="东港区某社区文体队",
            org_type=OrgType.COMMUNITY_ORGANIZATION,
            status=OrgStatus.FILED,
        ),
    }
    report(orgs["published"], YEAR, "published", date(2026, 5, 1))
    report(orgs["in_review_late"], YEAR, "unit_review", date(2026, 4, 10))
    report(orgs["draft"], YEAR, "draft")
    report(orgs["published"], YEAR - 1, "published", date(2025, 5, 1))
    return orgs


def test_ar2_filing_window_agrees_with_must_file() -> None:
    window = rules.filing_window(year=YEAR, min_months=6)
    for founded in (date(2025, 6, 30), date(2025, 7, 1), date(2024, 12, 31), date(2026, 1, 1)):
        expected = must_file(established_on=founded, removed_on=None, year=YEAR, min_months=6)
        assert (founded <= window.founded_by) is expected
    for removed in (date(2025, 12, 31), date(2026, 1, 1)):
        expected = must_file(
            established_on=date(2010, 1, 1), removed_on=removed, year=YEAR, min_months=6
        )
        assert (removed >= window.present_from) is expected


def test_ar1_ar2_progress_counts_each_organization_that_had_to_file_once(
    crafted, city, city_registrar
) -> None:
    got = selectors.progress_report(city_registrar, YEAR, today=TODAY)
    t = got.total
    # The city fixture's four organizations (founded 2015, no report) had to file too.
    assert (t.total, t.published, t.submitted, t.draft, t.not_started) == (9, 1, 1, 1, 6)
    assert t.filed == 2 and t.unfiled == 7 and t.percent == 22
    # Late: filed after 03-31 at the supervisory unit, and every unfiled one (all due dates past).
    assert (t.late, t.late_unfiled) == (8, 7)
    by_type = {row.key: row.tally.total for row in got.by_type}
    assert by_type == {"social_group": 7, "social_service_agency": 1, "foundation": 1}
    by_place = {row.name: row.tally.total for row in got.by_jurisdiction}
    assert by_place == {"日照市": 6, "东港区": 2, "岚山区": 1}
    by_unit = {row.name: (row.tally.total, row.tally.filed) for row in got.by_department}
    assert by_unit["日照市教育局"] == (2, 1)


def test_ar1_lateness_depends_on_the_day(crafted, city_registrar) -> None:
    before_due = selectors.progress_report(city_registrar, YEAR, today=date(2026, 3, 1))
    assert before_due.total.late_unfiled == 0
    # After 03-31 the dual-managed and foundations are late; the directly registered not yet.
    april = selectors.filing_list(
        city_registrar, selectors.ProgressFilters(year=YEAR, late=True), today=date(2026, 4, 15)
    )
    names = set(april.values_list("name", flat=True))
    assert names == {"日照市初审中协会", "日照市未报基金会", "日照市教育学会"}


def test_liaison_sees_only_the_filings_of_their_organizations(
    crafted, client, city, edu_liaison
) -> None:
    page, rows = selectors.filing_page(
        edu_liaison, selectors.ProgressFilters(year=YEAR), 1, today=TODAY
    )
    assert {row.organization.name for row in rows} == {"日照市初审中协会", "日照市教育学会"}
    html = f.login(client, edu_liaison).get("/supervision/progress/?year=2025").content.decode()
    assert "日照市教育学会" in html and "日照市东港区草稿中心" not in html


def test_organization_account_may_not_open_the_progress_page(client, org_account) -> None:
    assert f.login(client, org_account).get("/supervision/progress/").status_code == 403


def test_reminder_reaches_each_unfiled_organization_once_a_day(
    crafted, city, city_registrar
) -> None:
    late = f.user("late_org", Role.ORGANIZATION, organization=crafted["foundation_missing"])
    done = f.user("done_org", Role.ORGANIZATION, organization=crafted["published"])
    ids = [crafted["foundation_missing"].pk, crafted["published"].pk]
    first = annual_report_remind(actor=city_registrar, year=YEAR, organization_ids=ids)
    assert first == {"organizations": 1, "notices": 1}
    notice = Notice.objects.get(recipient=late)
    assert notice.subject == f"annual_report:{crafted['foundation_missing'].pk}:{YEAR}"
    assert "2026-03-31" in notice.body
    assert notice.link == reverse("supervision:annual_report_mine")  # where it files
    assert not Notice.objects.filter(recipient=done).exists()
    again = annual_report_remind(actor=city_registrar, year=YEAR, organization_ids=ids)
    assert again == {"organizations": 0, "notices": 0}
    assert Notice.objects.filter(recipient=late).count() == 1
    assert AuditLog.objects.filter(action="annual_report.remind").count() == 2


def test_reminder_leaves_out_organizations_outside_the_scope(crafted, city, edu_liaison) -> None:
    outside = f.user("draft_org", Role.ORGANIZATION, organization=crafted["draft"])
    inside = f.user("edu_org", Role.ORGANIZATION, organization=city.edu_org)
    ids = [crafted["draft"].pk, city.edu_org.pk]
    assert (
        annual_report_remind(actor=edu_liaison, year=YEAR, organization_ids=ids)["organizations"]
        == 1
    )
    assert Notice.objects.filter(recipient=inside).count() == 1
    assert not Notice.objects.filter(recipient=outside).exists()


def test_remind_page_reminds_every_unfiled_organization_of_the_list(
    crafted, client, city, city_registrar
) -> None:
    accounts = [
        f.user(f"acct{i}", Role.ORGANIZATION, organization=org)
        for i, org in enumerate([crafted["draft"], crafted["published"], city.lanshan_org])
    ]
    response = f.login(client, city_registrar).post(
        "/supervision/progress/remind/",
        {"year": "2025", "everyone": "on", "jurisdiction": str(city.donggang.pk)},
    )
    assert response.status_code == 302 and "jurisdiction=" in response["Location"]
    assert [Notice.objects.filter(recipient=a).count() for a in accounts] == [1, 0, 0]


def test_remind_page_with_nothing_ticked_says_so(client, city_registrar, rule_defaults) -> None:
    response = f.login(client, city_registrar).post(
        "/supervision/progress/remind/", {"year": "2025"}, follow=True
    )
    assert "请先勾选要提醒的组织" in response.content.decode()
    assert not Notice.objects.exists()


def test_progress_page_reads_a_bounded_number_of_queries(
    client, city, city_registrar, rule_defaults, django_assert_max_num_queries
) -> None:
    f.login(client, city_registrar)
    client.get("/supervision/progress/?year=2025")  # warm the session and caches
    with django_assert_max_num_queries(12):
        assert client.get("/supervision/progress/?year=2025").status_code == 200
    for org in f.make_orgs(city.donggang, 25, supervisory_unit=city.edu):
        report(org, YEAR, "bureau_review", date(2026, 3, 1))
    f.make_orgs(city.lanshan, 25)
    with django_assert_max_num_queries(12):
        assert client.get("/supervision/progress/?year=2025").status_code == 200


def test_progress_export_has_the_rows_and_the_conditions_and_is_recorded(
    crafted, client, city_registrar
) -> None:
    response = f.login(client, city_registrar).get(
        "/supervision/progress/export/?year=2025&state=unfiled"
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["报送进度", "导出条件"]
    names = {row[1] for row in book["报送进度"].iter_rows(min_row=2, values_only=True)}
    assert "日照市东港区草稿中心" in names and "日照市已公布协会" not in names
    log = AuditLog.objects.get(action="annual_report.progress_export")
    assert log.after["rows"] == len(names)


def test_organization_home_shows_its_due_report(crafted, client, city, rule_defaults) -> None:
    account = f.user("found_acct", Role.ORGANIZATION, organization=crafted["foundation_missing"])
    html = f.login(client, account).get("/").content.decode()
    year = date.today().year - 1
    assert f"{year} 年度报告 应于 {year + 1}-03-31 前报送" in html


def test_liaison_home_counts_their_unfiled_organizations(crafted, client, edu_liaison) -> None:
    html = f.login(client, edu_liaison).get("/").content.decode()
    year = date.today().year - 1
    assert f"尚未报送 {year} 年度报告的组织" in html
    assert "/supervision/progress/?state=unfiled#filings" in html
