"""Browser journey of party building: a registrar moves an organization to another industry
committee with the adjusting document of the 2022 reform, and the history then shows the
document and its six issuing departments; without the document the page says why and keeps
the affiliation."""

from __future__ import annotations

import pytest

from socorg.party.models import PartyAffiliation
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD
from tests.party.bodies_fixtures import JOINT_NUMBER, affiliate
from tests.party.conftest import bodies  # noqa: F401 - the fixture, for this directory too

pytestmark = pytest.mark.e2e


def test_a_registrar_changes_an_affiliation_with_its_document_in_the_browser(
    page,
    city,
    bodies,  # noqa: F811 - the fixture imported above
    city_registrar,
) -> None:
    affiliate(city.edu_org, bodies.top)
    login(page, "city_registrar", PASSWORD)
    page.goto(page.base_url + f"/party/affiliations/{city.edu_org.uscc}/")
    page.get_by_label("新隶属机构").select_option(str(bodies.edu.pk))
    page.get_by_label("生效日期").fill("2022-02-15")
    page.get_by_role("button", name="保存调整").click()
    page.wait_for_load_state("networkidle")
    assert "调整隶属关系须注明调整依据文件" in page.content()
    assert PartyAffiliation.objects.filter(organization=city.edu_org).count() == 1

    page.get_by_label("调整依据文件").select_option(str(bodies.document.pk))
    page.get_by_label("生效日期").fill("2022-02-15")
    page.get_by_role("button", name="保存调整").click()
    page.wait_for_load_state("networkidle")
    body = page.locator("body").inner_text()
    assert JOINT_NUMBER in body and "6 个部门联合发文" in body
    assert PartyAffiliation.objects.filter(organization=city.edu_org).count() == 2
    shot(page, "party-affiliation-changed")
