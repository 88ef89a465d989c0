"""Screens of the random-inspection pages on the demo: the division head's plan list and a drawn
plan, a county's plan, an inspector's task page on a phone, and the enforcement officer's
follow-up of findings (a drawn organization's page with its rectification notice and case, a
complaint returned by a department waiting to be routed by hand, a case opened from a finding).

    .venv/bin/socorg run --port 8765 &          # the demo (make run) on a free port
    .venv/bin/python docs/screens/inspections.py docs/screens/inspections

Chromium is Debian's (/usr/bin/chromium); the demo password is socorg-demo."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
BASE = os.environ.get("SOCORG_URL", "http://127.0.0.1:8765")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def login(context: BrowserContext, username: str) -> Page:
    page = context.new_page()
    page.goto(BASE + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "socorg-demo")
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state()
    return page


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "division_head")
        page.goto(BASE + "/supervision/inspections/")
        page.screenshot(path=str(out / "head-plan-list.png"), full_page=True)
        links = page.locator("table a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        for name, href in (("head-plan-city-2026", hrefs[0]), ("head-plan-county-2025", hrefs[-1])):
            page.goto(BASE + str(href))
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
        context.close()
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "enforcement_officer")
        page.goto(BASE + "/supervision/inspections/")
        page.get_by_role("link", name="日照市2025年度社会组织“双随机、一公开”抽查计划").click()
        page.wait_for_load_state()
        page.locator("tr:has(.problems-badge) a").first.click()  # with a rectification notice
        page.wait_for_load_state()
        page.screenshot(path=str(out / "officer-subject-findings.png"), full_page=True)
        page.goto(BASE + "/supervision/complaints/?state=triaged")
        page.locator("tr:has(.returned-badge) a").first.click()
        page.wait_for_load_state()
        page.screenshot(path=str(out / "officer-complaint-returned.png"), full_page=True)
        page.goto(BASE + "/supervision/cases/?q=案2026-00004")
        page.locator("table tbody a").first.click()
        page.wait_for_load_state()
        page.screenshot(path=str(out / "officer-case-from-finding.png"), full_page=False)
        context.close()
        phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
        page = login(phone, "inspector1")
        page.goto(BASE + "/supervision/inspections/mine/")
        page.screenshot(path=str(out / "inspector-phone-tasks.png"), full_page=False)
        phone.close()
        browser.close()


if __name__ == "__main__":
    main()
