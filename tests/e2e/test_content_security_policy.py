"""The Content-Security-Policy breaks nothing a clerk uses: pages with scripts, htmx updates,
auto-submitting filters and progress bars run in a real browser without a single violation."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = (
    "/",
    "/registry/organizations/",
    "/registry/corrections/",
    "/party/departments/",
    "/party/coverage/",
    "/account/security/",
    "/account/password/",
)


def test_pages_run_under_the_policy_without_violations(page, city, city_registrar) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    login(page, "city_registrar", PASSWORD)
    for path in PAGES:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
    # A filter that reloads the list when a select changes, an htmx search and a tab switch,
    # all driven by script.
    page.goto(page.base_url + "/registry/organizations/")
    page.select_option("select[name=status]", index=1)
    page.wait_for_url(re.compile(r"status="))
    page.fill("input[name=q]", "物流")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("table tbody tr").count() == 1
    page.click("text=日照市物流协会")
    page.wait_for_load_state("networkidle")
    page.click("text=事件记录")
    assert violations == []


def test_progress_bars_get_their_width_from_script(page, city, city_registrar) -> None:
    login(page, "city_registrar", PASSWORD)
    page.goto(page.base_url + "/party/coverage/")
    page.wait_for_load_state("networkidle")
    bars = page.locator(".progress-bar[data-width]")
    assert bars.count() > 0
    widths = bars.evaluate_all("els => els.map(e => e.style.width)")
    assert all(w.endswith("%") for w in widths)
