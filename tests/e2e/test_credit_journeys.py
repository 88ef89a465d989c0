"""Browser journeys through the credit lists: an officer reads the lists and a listing, an
organization answers its notice and applies to be delisted on its credit page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from socorg.core.models import Role
from socorg.supervision.models import CreditListing, ListingGround, ListingState
from tests import factories as f
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD
from tests.supervision.credit_helpers import make_listing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def listings(city):
    today = timezone.localdate()
    make_listing(
        city.city_org,
        state=ListingState.NOTICED,
        evidence={"years": [2024, 2025], "due": {"2024": "2025-05-31", "2025": "2026-05-31"}},
        respond_by=today + timedelta(days=8),
    )
    make_listing(
        city.city_org,
        ground=ListingGround.UNREACHABLE,
        evidence={"letters": ["2026-03-02", "2026-04-10"]},
    )
    make_listing(city.donggang_org, evidence={"years": [2023, 2024, 2025], "due": {}})
    make_listing(city.lanshan_org, ground=ListingGround.UNREACHABLE, evidence={"letters": []})


def test_officer_reads_the_lists_and_a_listing(page, city, listings) -> None:
    f.user("enforcement_officer", Role.ENFORCEMENT_OFFICER, jurisdiction=city.city)
    login(page, "enforcement_officer", PASSWORD)
    page.goto(page.base_url + "/supervision/credit/listings/")
    page.wait_for_load_state("networkidle")
    assert page.locator("table tbody tr").count() == 4
    shot(page, "credit_lists_officer")

    page.goto(page.base_url + "/supervision/credit/listings/?ground=unreachable")
    page.wait_for_load_state("networkidle")
    assert page.locator("table tbody tr").count() == 2

    listing = CreditListing.objects.get(organization=city.donggang_org)
    page.goto(page.base_url + f"/supervision/credit/listings/{listing.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=2023年度、2024年度、2025年度").is_visible()
    shot(page, "credit_listing_officer")


def test_organization_answers_its_notice_and_applies_for_delisting(
    page, city, org_account, listings
) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "org_demo", PASSWORD)
    page.goto(page.base_url + "/supervision/credit/mine/")
    page.wait_for_load_state("networkidle")
    shot(page, "credit_own_page_organization")
    page.fill("textarea[name=response]", "2024、2025年度报告已于本周补报，请核实。")
    page.click("form:has(textarea[name=response]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=陈述申辩意见已提交").is_visible()

    page.fill("textarea[name=statement]", "已恢复在登记住所办公，联系电话0633-1234567。")
    page.click("form:has(textarea[name=statement]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=移出申请已提交").is_visible()
    listing = CreditListing.objects.get(
        ground=ListingGround.UNREACHABLE, organization=city.city_org
    )
    assert listing.state == ListingState.DELISTING_REQUESTED
    shot(page, "credit_own_page_after_answers")


def test_registry_profile_shows_the_credit_tab(page, city, city_registrar, listings) -> None:
    login(page, "city_registrar", PASSWORD)
    page.goto(page.base_url + f"/registry/organizations/{city.city_org.uscc}/#credit")
    page.wait_for_load_state("networkidle")
    assert page.locator("#credit").is_visible()
    shot(page, "credit_profile_tab")
