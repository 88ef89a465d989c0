"""Screens of the instructors' pages on the demo: an instructor's home (their organizations and
due follow-ups), the workload of every instructor (19 → 69, computed), one instructor's
assignments and visits as the division head sees them, an assignment's visit form as the
instructor sees it, and a change application awaiting its division's pre-review (前置审查).

    .venv/bin/socorg run --port 8765 &          # the demo (make run) on a free port
    .venv/bin/python docs/screens/party_instructors.py docs/screens/party

Chromium is Debian's (/usr/bin/chromium); the demo password is socorg-demo."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BASE = os.environ.get("SOCORG_URL", "http://127.0.0.1:8765")
DESKTOP = {"width": 1366, "height": 900}


def login(context: BrowserContext, username: str) -> Page:
    page = context.new_page()
    page.goto(BASE + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "socorg-demo")
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state()
    return page


def shoot(page: Page, path: Path, *, full: bool = True) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=full)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)

        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "instructor01")
        shoot(page, out / "instructor-home.png")
        page.locator("#instructor-orgs-title").locator("xpath=../..").locator("a").first.click()
        shoot(page, out / "instructor-assignment-visits.png")
        context.close()

        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "division_head")
        page.goto(BASE + "/party/instructors/")
        shoot(page, out / "instructors-workload.png")
        page.locator("#workload tbody a").first.click()
        shoot(page, out / "instructor-detail-head.png")
        context.close()

        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "org_prereview")
        rows = page.request.get(BASE + "/api/v1/applications").json()
        app_id = rows[0]["id"]
        context.close()
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "division_head")
        page.goto(f"{BASE}/registration/applications/{app_id}/")
        shoot(page, out / "application-awaiting-pre-review.png")
        context.close()
        browser.close()


if __name__ == "__main__":
    main()
