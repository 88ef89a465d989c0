"""Accessibility (GB/T 37668-2019, WCAG 2.1 AA): axe-core, served from the project's own
node_modules, runs on every page of the cast's journeys — each role's home page, the registry
list, a profile with each of its tabs, the correction form, the candidate review grid, the term
pages, the coverage report, the application list and detail (in joint review too), the
application form with its submission warnings, the audit log and the login page —
and no serious or critical violation is allowed. Disabled menu entries take no keyboard focus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from socorg.core.models import Role, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.core.workflow import fire
from socorg.registration.processes import APPLICATION
from socorg.registration.services import applications as services
from tests import factories as f
from tests.e2e.conftest import login, shot
from tests.factories import PASSWORD
from tests.registration.conftest import (
    establishment_data,
    submitted_establishment,
    upload_required_materials,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({rule: v.id, impact: v.impact,
                  nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' '))}));
}"""


@pytest.fixture
def cast(city, settings, tmp_path, city_registrar, division_head, edu_liaison, org_account):
    settings.MEDIA_ROOT = str(tmp_path)
    load_rule_defaults()
    founder = f.user("founder", Role.ORGANIZATION)
    f.user("approval_clerk", Role.APPROVAL_CLERK, jurisdiction=city.city, department=city.approval)
    f.user("auditor", Role.AUDITOR, jurisdiction=city.city)
    app = submitted_establishment(founder, "登记申请书.pdf")
    return app


def _violations(page) -> list[dict[str, object]]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def _check(page, url: str, found: dict[str, object]) -> None:
    response = page.goto(page.base_url + url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    problems = _violations(page)
    if problems:
        found[url] = problems


def _as(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def test_no_serious_or_critical_axe_violation_on_the_cast_pages(page, city, cast) -> None:
    assert AXE.exists(), "axe-core is missing: run `make install`"
    org = city.city_org.uscc
    found: dict[str, object] = {}

    page.goto(page.base_url + "/login/")
    if problems := _violations(page):
        found["/login/"] = problems

    _as(page, "city_registrar")
    for url in (
        "/",
        "/registry/organizations/",
        f"/registry/organizations/{org}/corrections/new/",
        "/registry/corrections/",
        f"/registration/organizations/{org}/principal-reviews/new/",
        "/registration/principal-reviews/",
        f"/registration/organizations/{org}/term-transitions/new/",
        "/registration/terms/",
        "/party/coverage/",
        "/party/departments/",
    ):
        _check(page, url, found)

    # The profile and each of its tabs (axe skips hidden panes, so each tab is shown in turn).
    _check(page, f"/registry/organizations/{org}/", found)
    tabs = page.locator("#profile-tabs [role=tab]")
    assert tabs.count() >= 5
    for i in range(tabs.count()):
        tabs.nth(i).click()
        pane = tabs.nth(i).get_attribute("aria-controls")
        page.wait_for_selector(f"#{pane}.show.active")
        page.wait_for_timeout(400)  # the fade-in ends before colours are measured
        if problems := _violations(page):
            found[f"profile tab {i}"] = problems

    detail = f"/registration/applications/{cast.pk}/"
    review, form = _in_review_and_draft(city)
    for username, urls in (
        ("approval_clerk", ("/", "/registration/", detail, "/registration/monitor/")),
        ("division_head", ("/", detail, review)),
        ("edu_liaison", ("/", review)),
        ("founder", ("/", detail, form)),
        ("org_demo", ("/",)),
        ("auditor", ("/", "/audit/")),
    ):
        _as(page, username)
        for url in urls:
            _check(page, url, found)

    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def _in_review_and_draft(city) -> tuple[str, str]:
    """The detail page of an application in joint review (opinion buttons, approval disabled
    with its reason) and the form of a draft saved with problems (warnings beside the fields)."""
    founder = User.objects.get(username="founder")
    clerk = User.objects.get(username="approval_clerk")
    app = services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code=city.city.code,
        data=establishment_data(name="日照市无障碍检查促进会"),
    )
    upload_required_materials(app, founder)
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    fire(process=APPLICATION, key=app.pk, action="accept", actor=clerk)
    draft = services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code=city.city.code,
        data=establishment_data(name="日照市草稿检查促进会", domicile="", individual_members=20),
    )
    return (
        f"/registration/applications/{app.pk}/",
        f"/registration/applications/{draft.pk}/edit/?check=1",
    )


def test_disabled_menu_entries_take_no_keyboard_focus(page, city, cast) -> None:
    _as(page, "edu_liaison")
    disabled = page.locator(".app-faces [aria-disabled=true]")
    assert disabled.count() >= 1
    for i in range(disabled.count()):
        assert disabled.nth(i).get_attribute("tabindex") is None
    # Tabbing through the whole header never lands on a disabled entry.
    for _ in range(15):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") != "true"


PHONE = {"width": 390, "height": 844}


def test_registry_list_on_a_phone_shows_cards_in_the_first_screen_with_filters_collapsed(
    browser, live_server, city, city_registrar
) -> None:
    """At 390×844 the first organization is a card within the first screen, the filters wait
    behind the 筛选 button, the card opens the profile, and axe finds nothing serious."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        login(page, "city_registrar", PASSWORD)
        page.goto(page.base_url + "/registry/organizations/")
        page.wait_for_load_state("networkidle")
        card = page.locator("[data-org-card]").first
        assert card.is_visible()
        box = card.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
        assert page.locator("#org-filters").is_hidden()
        assert page.locator("#org-browser table").is_hidden()
        assert not (problems := _violations(page)), json.dumps(problems, ensure_ascii=False)
        shot(page, "registry_list_phone")

        page.click("[data-filter-toggle]")
        page.locator("#org-filters select").first.wait_for(state="visible")
        assert page.get_attribute("[data-filter-toggle]", "aria-expanded") == "true"
        # Choosing a filter reloads the list, and the filters stay open for the next one.
        with page.expect_response(lambda r: "status=registered" in r.url):
            page.select_option("#org-filters select[name=status]", "registered")
        page.locator("[data-filter-toggle] .badge").wait_for()  # the list came back
        # htmx keeps the old element's attributes on the new one until it settles, so the
        # panel's final state is read after the swap has settled.
        expect(page.locator("#org-filters")).to_be_visible()
        assert page.get_attribute("[data-filter-toggle]", "aria-expanded") == "true"
        card = page.locator("[data-org-card]").first

        name = card.locator("a").inner_text()
        card.locator("a").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.inner_text().startswith(name)
    finally:
        context.close()
