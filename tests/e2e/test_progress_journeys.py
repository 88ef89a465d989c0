"""Browser journey of filing progress: a liaison reminds an organization that has not filed;
the organization sees the bell's count, its notices and its due report."""

from __future__ import annotations

from datetime import date

import pytest

from socorg.core.models import Role
from socorg.core.rule_defaults import load_rule_defaults
from socorg.supervision.models import AnnualReport
from tests import factories as f
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filings(city):
    load_rule_defaults()
    year = date.today().year - 1
    filed = f.organization(where=city.city, name="日照市已报送学会", supervisory_unit=city.edu)
    AnnualReport.objects.create(
        organization=filed,
        year=year,
        org_type=filed.org_type,
        state="bureau_review",
        submitted_on=date(year + 1, 3, 1),
    )
    f.user("edu_org", Role.ORGANIZATION, organization=city.edu_org)
    return year


def test_liaison_reminds_an_organization_that_then_sees_the_notice(
    page, city, edu_liaison, filings
) -> None:
    login(page, "edu_liaison", PASSWORD)
    page.goto(page.base_url + "/supervision/progress/")
    page.wait_for_load_state("networkidle")
    body = page.locator("#filings table tbody").inner_text()
    assert city.edu_org.name in body and city.donggang_org.name not in body
    shot(page, "supervision_progress_liaison")
    page.check(f"#remind-{city.edu_org.pk}")
    page.click("text=提醒所选组织")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").is_visible()

    page.context.clear_cookies()
    login(page, "edu_org", PASSWORD)
    assert page.locator(".app-bell-count").inner_text() == "1"
    assert page.locator("[data-due-report]").is_visible()
    shot(page, "organization_home_due_report")
    page.click(".app-bell")
    page.wait_for_load_state("networkidle")
    assert page.locator(".notice-unread").count() == 1
    assert f"请按时报送 {filings} 年度工作报告" in page.locator("main").inner_text()
    shot(page, "notices_organization")
