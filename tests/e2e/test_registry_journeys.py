"""Browser journeys through the registry, as clerks use it."""

from __future__ import annotations

import pytest

from socorg.registry.models import EventKind, EventReason, OrganizationEvent
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def history(city):
    OrganizationEvent.objects.create(
        organization=city.city_org,
        kind=EventKind.REGISTERED,
        reason=EventReason.APPLICATION,
        occurred_on=city.city_org.established_on,
    )
    OrganizationEvent.objects.create(
        organization=city.city_org,
        kind=EventKind.DOMICILE_CHANGED,
        reason=EventReason.APPLICATION,
        occurred_on="2024-05-06",
        details={"before": {"domicile": "旧址"}, "after": {"domicile": "新址"}},
    )


def test_city_registrar_searches_opens_a_profile_and_reads_its_history(
    page, city, city_registrar, history
) -> None:
    login(page, "city_registrar", PASSWORD)
    page.goto(page.base_url + "/registry/organizations/")
    page.fill("input[name=q]", "物流")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "日照市物流协会" in rows.first.inner_text()
    shot(page, "registry_search_city_registrar")

    page.click("text=日照市物流协会")
    page.wait_for_load_state("networkidle")
    assert city.city_org.uscc in page.content()
    page.click("text=事件记录")
    assert page.locator("text=住所变更").first.is_visible()
    assert page.locator("text=成立登记").first.is_visible()
    shot(page, "registry_profile_history")


def test_district_registrar_sees_only_own_district(page, city, donggang_registrar) -> None:
    login(page, "donggang_registrar", PASSWORD)
    page.goto(page.base_url + "/registry/organizations/")
    page.wait_for_load_state("networkidle")
    body = page.locator("table tbody").inner_text()
    assert city.donggang_org.name in body
    assert city.lanshan_org.name not in body
    assert city.city_org.name not in body
    shot(page, "registry_list_donggang_registrar")

    response = page.goto(page.base_url + f"/registry/organizations/{city.lanshan_org.uscc}/")
    assert response is not None and response.status == 403
    assert "不在您的数据范围内" in page.locator("main").inner_text()
