"""Browser journeys of the liaison officers: the liaison's home leads to their page, which
shows their department's complaints and organizations and nothing of another department's;
the registrar records a session's attendance by ticking names, and the department leaves the
list of those untrained this year."""

from __future__ import annotations

import pytest
from django.utils import timezone

from socorg.core.rule_defaults import load_rule_defaults
from socorg.supervision.models import Complaint, ComplaintState
from socorg.supervision.rules.complaints import tracking_code_new
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD
from tests.party.liaison_helpers import health_department, serving, session

pytestmark = pytest.mark.e2e
TODAY = timezone.localdate()


def _routed(department, org, subject: str) -> None:
    Complaint.objects.create(
        tracking_code=tracking_code_new(),
        organization=org,
        subject=subject,
        content="以培训名义收费。",
        received_on=TODAY,
        routed_on=TODAY,
        department=department,
        state=ComplaintState.ROUTED,
    )


def test_a_liaison_goes_from_home_to_a_page_of_their_own_department_only(
    page, city, edu_liaison
) -> None:
    load_rule_defaults()
    health = health_department(city)
    serving(city.edu, "赵磊", user=edu_liaison)
    serving(health.department, "钱芳", user=health.liaison)
    _routed(city.edu, city.edu_org, "教育学会违规收费")
    _routed(health.department, health.organization, "医学会违规评比")
    login(page, "edu_liaison", PASSWORD)
    page.get_by_role("link", name="进入联络员工作页").click()
    page.wait_for_load_state("networkidle")
    body = page.locator("body").inner_text()
    assert "日照市教育局 · 联络员工作页" in body
    assert "日照市教育学会" in body and "教育学会违规收费" in body
    assert "医学会" not in body and "钱芳" not in body
    shot(page, "liaison-page")


def test_the_registrar_ticks_attendance_and_the_department_counts_as_trained(
    page, city, city_registrar
) -> None:
    liaison = serving(city.edu, "赵磊")
    training = session(city, TODAY)
    login(page, "city_registrar", PASSWORD)
    page.goto(page.base_url + "/party/liaisons/?flag=untrained")
    assert "日照市教育局" in page.locator("table").inner_text()
    page.goto(page.base_url + f"/party/trainings/{training.pk}/")
    page.get_by_label("日照市教育局 · 赵磊").check()
    page.get_by_role("button", name="登记签到").click()
    page.wait_for_load_state("networkidle")
    assert "已登记 1 人签到" in page.content()
    assert liaison.attendances.count() == 1
    page.goto(page.base_url + "/party/liaisons/?flag=untrained")
    assert "没有符合条件的部门" in page.content()
