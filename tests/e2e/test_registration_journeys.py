"""Browser journeys of establishment applications: founders fill in the wizard and upload the
materials, the approval bureau accepts, the departments give their opinions on the detail page
and the division head approves — under dual management and under direct registration."""

from __future__ import annotations

from pathlib import Path

import pytest

from socorg.core.models import Role
from socorg.core.rule_defaults import load_rule_defaults
from socorg.registry.models import Organization
from tests import factories as f
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD
from tests.registration.conftest import FOUNDER_ID, PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(city, settings, tmp_path, edu_liaison, city_registrar, division_head):
    settings.MEDIA_ROOT = str(tmp_path)
    load_rule_defaults()
    f.user("founder", Role.ORGANIZATION)
    f.user("approval_clerk", Role.APPROVAL_CLERK, jurisdiction=city.city, department=city.approval)
    f.user("party_reviewer", Role.PARTY_BUILDING_REVIEWER, department=city.party)
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)
    return pdf


def _as(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def _apply(page, pdf: Path, name: str, direct: bool) -> None:
    _as(page, "founder")
    page.goto(page.base_url + "/registration/applications/new/")
    page.select_option("select[name=kind]", "establishment")
    page.select_option("select[name=org_type]", "social_group")
    shot(page, "registration-wizard-step1")
    page.get_by_role("button", name="下一步：填写申请内容").click()
    page.fill("input[name=name]", name)
    page.select_option("select[name=category]", "science" if direct else "education")
    if direct:
        page.select_option("select[name=direct_category]", "科技类")
        page.fill("input[name=industry_regulator]", "EDU")
    else:
        page.fill("input[name=supervisory_unit]", "EDU")
    page.fill("textarea[name=purpose]", "促进青少年科技教育")
    page.fill("textarea[name=business_scope]", "科普活动、培训交流")
    page.fill("input[name=domicile]", "日照市东港区海曲中路1号")
    page.fill("input[name=registered_funds]", "50000")
    page.fill("input[name=individual_members]", "60")
    page.fill("input[name=legal_representative]", "王海")
    page.fill("input[name=legal_representative_id]", FOUNDER_ID)
    page.fill("textarea[name=principals]", f"王海 {FOUNDER_ID} 会长/理事长")
    page.click("button[name=save]")
    page.get_by_text("草稿已保存").wait_for()
    for key in (
        "application_form",
        "charter",
        "domicile_proof",
        "funds_proof",
        "principals",
        "members",
    ):
        page.set_input_files(f"input[data-material={key}]", str(pdf))
        page.locator(f"input[data-material={key}]").locator("xpath=..").locator("button").click()
        page.get_by_text("材料已上传").wait_for()
    shot(page, "registration-wizard-step2")
    page.click("button[value=submit]")
    page.get_by_text("已提交申请").wait_for()


def _act_on_opinion(page, username: str, role: str, action: str = "consent") -> None:
    _as(page, username)
    page.goto(page.base_url + "/registration/")
    if username == "edu_liaison":
        shot(page, "registration-reviewer-worklist")
    page.locator("#opinions a").first.click()
    page.locator(f"[data-opinion={role}] button[value={action}]").click()
    page.get_by_text("已同意").wait_for()


def _journey(page, pdf: Path, name: str, direct: bool) -> None:
    _apply(page, pdf, name, direct)
    _as(page, "approval_clerk")
    page.goto(page.base_url + "/registration/")
    page.get_by_role("link", name=name).click()
    page.click("button[value=accept]")
    page.get_by_text("已受理").first.wait_for()
    first = "opinion_request" if direct else "supervisory_unit_consent"
    _act_on_opinion(page, "edu_liaison", first)
    _act_on_opinion(page, "party_reviewer", "party_building")
    _act_on_opinion(page, "city_registrar", "registration_division")
    _as(page, "division_head")
    page.goto(page.base_url + "/registration/")
    page.get_by_role("link", name=name).first.click()
    shot(page, f"registration-detail-{'direct' if direct else 'dual'}")
    page.fill("#comment", "符合条件，准予登记")
    page.click("button[value=approve]")
    page.get_by_text("已准予登记").wait_for()
    assert Organization.objects.filter(name=name).exists()


def test_establishment_under_dual_management_through_the_browser(page, cast) -> None:
    _journey(page, cast, "日照市青少年科技教育促进会", direct=False)
    page.goto(page.base_url + "/registration/monitor/")
    shot(page, "registration-monitor")


def test_establishment_under_direct_registration_through_the_browser(page, cast) -> None:
    _journey(page, cast, "日照市科技创新促进会", direct=True)
