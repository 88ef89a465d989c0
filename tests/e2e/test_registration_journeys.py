"""Browser journeys of establishment applications: founders fill in the wizard and upload the
materials, the approval bureau accepts, the departments give their opinions on the detail page
and the division head approves — under dual management and under direct registration."""

from __future__ import annotations

from pathlib import Path

import pytest

from socorg.core.models import DepartmentKind, Role
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
    f.department("RA-371100", "日照市民政局", DepartmentKind.REGISTRATION_AUTHORITY, city.city)
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
    page.select_option("select[name=jurisdiction]", label="日照市民政局")
    shot(page, "registration-wizard-step1")
    page.get_by_role("button", name="下一步：填写申请内容").click()
    # Everything is chosen by name or typed as a person would: no internal code anywhere.
    page.fill("input[name=name]", name)
    page.select_option("select[name=category]", "science" if direct else "education")
    if direct:
        page.select_option("select[name=direct_category]", "科技类")
        page.select_option("select[name=industry_regulator]", label="日照市教育局")
    else:
        page.select_option("select[name=supervisory_unit]", label="日照市教育局")
    page.fill("textarea[name=purpose]", "促进青少年科技教育")
    page.fill("textarea[name=business_scope]", "科普活动、培训交流")
    page.fill("input[name=domicile]", "日照市东港区海曲中路1号")
    page.fill("input[name=registered_funds]", "50000")
    page.fill("input[name=individual_members]", "60")
    page.fill("input[name=legal_representative]", "王海")
    page.fill("input[name=legal_representative_id]", FOUNDER_ID)
    page.locator("input[name=principals-name]").first.fill("王海")
    page.locator("input[name=principals-id_number]").first.fill(FOUNDER_ID)
    page.locator("select[name=principals-post]").first.select_option(label="会长/理事长")
    page.get_by_role("button", name="添加一人").click()
    rows = page.locator("[data-principal-row]")
    second = rows.nth(rows.count() - 1)
    second.locator("input[name=principals-name]").fill("李红")
    second.locator("input[name=principals-id_number]").fill("110101198502020022")
    second.locator("select[name=principals-post]").select_option(label="秘书长")
    # The first upload comes before any save: what was typed is saved with it, not lost.
    for key in (
        "application_form",
        "charter",
        "domicile_proof",
        "funds_proof",
        "principals",
        "members",
    ):
        page.set_input_files(f"input[data-material={key}]", str(pdf))
        page.click(f"button[name=upload][value={key}]")
        page.get_by_text("已上传").first.wait_for()
        assert page.input_value("input[name=domicile]") == "日照市东港区海曲中路1号"
    assert page.locator("input[name=principals-name]").nth(1).input_value() == "李红"
    shot(page, "registration-wizard-step2")
    page.click("button[value=submit]")
    page.get_by_text("已提交申请").wait_for()


def _act_on_opinion(page, username: str, role: str, action: str = "consent") -> None:
    _as(page, username)
    page.goto(page.base_url + "/registration/")
    if username == "edu_liaison":
        shot(page, "registration-reviewer-worklist")
    page.locator("#opinions a").first.click()
    page.locator(f"[data-own-opinion={role}] button[value={action}]").click()
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
    page.get_by_text("已准予登记").first.wait_for()
    assert Organization.objects.filter(name=name).exists()
    # The founder finds the organization, the certificate and the next steps, and downloads it.
    _as(page, "founder")
    page.goto(page.base_url + "/")  # the home page shows them first
    page.locator("[data-next-steps]").get_by_role("link", name=name).wait_for()
    assert page.locator("[data-next-steps]").get_by_role("link", name="下载登记证书").is_visible()
    shot(page, f"home-founder-next-steps-{'direct' if direct else 'dual'}")
    page.goto(page.base_url + "/registration/")
    steps = page.locator("[data-next-steps]")
    steps.get_by_role("link", name=name).wait_for()
    shot(page, f"registration-next-steps-{'direct' if direct else 'dual'}")
    href = steps.get_by_role("link", name="下载登记证书").get_attribute("href")
    certificate = page.request.get(page.base_url + str(href))
    assert certificate.status == 200
    assert certificate.body().startswith(b"%PDF")


def test_establishment_under_dual_management_through_the_browser(page, cast) -> None:
    _journey(page, cast, "日照市青少年科技教育促进会", direct=False)
    page.goto(page.base_url + "/registration/monitor/")
    shot(page, "registration-monitor")


def test_establishment_under_direct_registration_through_the_browser(page, cast) -> None:
    _journey(page, cast, "日照市科技创新促进会", direct=True)
