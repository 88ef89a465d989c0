"""Browser journeys of the dormant-organization cleanup: the campaign page with its candidates,
a candidate's disposition confirmed with its reason, and the outcome statistics' chart."""

from __future__ import annotations

from datetime import date

import pytest

from socorg.core.rule_defaults import load_rule_defaults
from socorg.registry.models import EventKind, EventReason, Level, OrganizationEvent
from socorg.supervision.models import AnnualReport, ContactAttempt, DormantCandidate
from socorg.supervision.services import campaigns as services
from tests import factories as f
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def campaign(city, city_registrar):
    load_rule_defaults()
    for n, where in enumerate([city.city, city.donggang, city.lanshan] * 3):
        org = f.organization(where=where, name=f"日照市示例协会{n}")
        for year in range(2020, 2024 if n % 3 == 0 else 2026):
            AnnualReport.objects.create(
                organization=org,
                year=year,
                org_type=org.org_type,
                submitted_on=date(year + 1, 3, 1),
                activities_held=0 if n % 3 == 1 and year >= 2024 else 3,
            )
        if n % 3 == 2:
            for day in (date(2026, 3, 2), date(2026, 4, 20)):
                ContactAttempt.objects.create(
                    organization=org, kind="registered_letter", made_on=day, result="returned"
                )
    campaign = services.campaign_create(
        actor=city_registrar,
        name="2026年“僵尸型”社会组织清理整治专项行动",
        jurisdiction_code="371100",
        document="日民发〔2026〕5号",
        started_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 31),
    )
    services.campaign_find_candidates(
        actor=city_registrar, campaign=campaign, as_of=date(2026, 12, 3)
    )
    first = campaign.candidates.order_by("id").first()
    services.candidate_act(
        actor=city_registrar,
        pk=first.pk,
        action="propose_revocation",
        comment="两次挂号信均被退回，提请撤销登记。",
    )
    for n, (where, level, kind, on) in enumerate(
        [
            (city.city, Level.CITY, EventKind.DEREGISTERED, date(2021, 5, 1)),
            (city.city, Level.CITY, EventKind.DEREGISTERED, date(2023, 5, 1)),
            (city.city, Level.CITY, EventKind.REVOKED, date(2024, 5, 1)),
            (city.donggang, Level.COUNTY, EventKind.DEREGISTERED, date(2022, 5, 1)),
            (city.lanshan, Level.COUNTY, EventKind.REVOKED, date(2025, 5, 1)),
            (city.city, Level.CITY, EventKind.REACTIVATED, date(2026, 6, 1)),
        ]
    ):
        org = f.organization(where=where, level=level, name=f"日照市已处置协会{n}")
        OrganizationEvent.objects.create(
            organization=org, kind=kind, reason=EventReason.DORMANT_CLEANUP, occurred_on=on
        )
    return campaign


def test_campaign_page_candidate_and_statistics(page, campaign, division_head) -> None:
    login(page, "city_registrar", PASSWORD)
    page.goto(page.base_url + f"/supervision/campaigns/{campaign.pk}/")
    page.wait_for_load_state("networkidle")
    body = page.locator("main").inner_text()
    assert "日照市示例协会0" in body and "2026-03-02、2026-04-20" in body
    shot(page, "campaign_detail")

    page.goto(page.base_url + "/supervision/campaigns/statistics/?start=2020-01-01&end=2026-12-31")
    page.wait_for_selector(".app-chart canvas")
    assert "日照市" in page.locator("#outcome-by-jurisdiction").inner_text()
    shot(page, "campaign_statistics")

    candidate = DormantCandidate.objects.filter(campaign=campaign, state="revocation").first()
    context_page = page.context.new_page()
    context_page.context.clear_cookies()
    context_page.base_url = page.base_url
    login(context_page, "division_head", PASSWORD)
    context_page.goto(page.base_url + f"/supervision/campaigns/candidates/{candidate.pk}/")
    context_page.wait_for_load_state("networkidle")
    shot(context_page, "campaign_candidate")
    context_page.click("button[value=revoke]")
    context_page.wait_for_load_state("networkidle")
    context_page.fill("textarea[name=comment]", "依法撤销登记。")
    context_page.click("form button[value=revoke]")
    context_page.wait_for_load_state("networkidle")
    assert "请先在线索页面填写撤销登记决定书文号" in context_page.locator("main").inner_text()
    shot(context_page, "campaign_revoke_refused")
