"""Browser journey of an annual report: the organization account fills in its report (the
balance sheet not balancing first, the message beside the field), uploads the audit report and
submits; the bureau's reviewer concludes on the review page, the division head publishes, and
the organization sees the conclusion."""

from __future__ import annotations

import pytest
from django.utils import timezone

from socorg.core.models import Role
from socorg.core.rule_defaults import load_rule_defaults
from socorg.supervision.models import AnnualReport
from socorg.supervision.rules import annual_reports as rules
from tests import factories as f
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD
from tests.supervision.conftest import PDF
from tests.supervision.reports import complete

pytestmark = pytest.mark.django_db(transaction=True)
LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def cast(city, settings, tmp_path, org_account, division_head):
    settings.MEDIA_ROOT = str(tmp_path)
    load_rule_defaults()
    f.user("reviewer", Role.REVIEWER, jurisdiction=city.city, department=city.civil_affairs)
    pdf = tmp_path / "审计报告.pdf"
    pdf.write_bytes(PDF)
    return pdf


def _as(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def _fill(page, data: dict) -> None:
    form = page.locator("#annual-report-form")
    for field in rules.fields_for(rules.SOCIAL_GROUP):
        value = data.get(field.key)
        if value is None:
            continue
        if field.kind == "flag":
            form.locator(f"select[name={field.key}]").select_option("true" if value else "false")
        elif field.kind == "choice":
            form.locator(f"select[name={field.key}]").select_option(str(value))
        else:
            form.locator(f"[name={field.key}]").fill(str(value))


def test_organization_files_in_the_browser_and_sees_the_conclusion(page, cast) -> None:
    _as(page, "org_demo")
    page.goto(page.base_url + "/supervision/annual-reports/mine/")
    page.get_by_role("button", name=f"填报 {LAST_YEAR} 年度报告").click()
    page.wait_for_url("**/edit/")

    data = complete()
    data["total_assets"] = "1600.00"
    _fill(page, data)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    feedback = page.locator("#total_assets-feedback")
    assert "负债合计与净资产合计之和（1,500.00 元）" in feedback.inner_text()
    shot(page, "annual-report-filing-form")

    page.locator("#annual-report-form [name=total_assets]").fill("1500.00")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    page.set_input_files("#audit-report input[type=file]", str(cast))
    page.locator("#audit-report button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "审计报告.pdf" in page.locator("#audit-report").inner_text()
    page.get_by_role("button", name="报送登记管理机关").click()
    page.wait_for_url("**/confirm/")
    page.locator("#confirm-submit").click()
    page.wait_for_load_state("networkidle")
    report = AnnualReport.objects.get()
    assert report.state == "bureau_review"

    _as(page, "reviewer")
    page.goto(page.base_url + f"/supervision/annual-reports/{report.pk}/")
    shot(page, "annual-report-review")
    page.fill("#review-actions textarea[name=comment]", "材料齐全，财务收支清楚。")
    page.get_by_role("button", name="结论：合格").click()
    page.wait_for_load_state("networkidle")
    assert "合格" in page.locator("#conclusion").inner_text()

    _as(page, "division_head")
    page.goto(page.base_url + f"/supervision/annual-reports/{report.pk}/")
    page.get_by_role("button", name="公布结论").click()
    page.wait_for_load_state("networkidle")

    _as(page, "org_demo")
    page.goto(page.base_url + "/supervision/annual-reports/mine/")
    row = page.locator(f"#annual-report-years tr[data-year='{LAST_YEAR}']")
    assert "合格" in row.inner_text()
    assert "结论已公布" in row.inner_text()
    shot(page, "annual-report-mine")
    row.get_by_role("link", name="查看").click()
    assert "材料齐全" in page.locator("#conclusion").inner_text()
