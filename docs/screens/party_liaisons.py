"""Screens of the liaison officers and the brand on the demo: the education bureau liaison's
home and their one page; the city registrar's roster with its flags, a department with its
liaisons, the training sessions and one session's attendance and materials; the brand
program, one activity and the showcase.

    .venv/bin/socorg run --port 8765 &          # the demo (make run) on a free port
    .venv/bin/python docs/screens/party_liaisons.py docs/screens/party

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


def shot(page: Page, out: Path, name: str, path: str = "", *, full: bool = True) -> None:
    if path:
        page.goto(BASE + path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / f"{name}.png"), full_page=full)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "edu_liaison")
        shot(page, out, "liaison-home", "/", full=False)
        shot(page, out, "liaison-page", "/party/liaison/")
        context.close()

        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "city_registrar")
        shot(page, out, "registrar-liaison-roster", "/party/liaisons/")
        shot(page, out, "registrar-liaison-roster-no-liaison", "/party/liaisons/?flag=no_liaison")
        shot(page, out, "registrar-department-list-flags", "/party/departments/?kind=government")
        shot(page, out, "registrar-department-liaisons", "/party/departments/EDU/", full=False)
        shot(page, out, "registrar-training-list", "/party/trainings/")
        page.locator("table tbody a").nth(2).click()  # the year's first session
        shot(page, out, "registrar-training-detail")
        shot(page, out, "registrar-liaison-new", "/party/liaisons/new/?department=EDU", full=False)
        page.fill("input[name=name]", "钱芳")
        page.fill("input[name=phone]", "12345")
        page.fill("input[name=starts_on]", "2026-12-01")
        page.click("form:has(input[name=phone]) button[type=submit]")
        shot(page, out, "registrar-liaison-new-refused", full=False)
        page.goto(BASE + "/party/brand/")
        page.locator("a.card").first.click()
        shot(page, out, "registrar-brand-program")
        page.get_by_role("link", name="品牌展示页").click()
        shot(page, out, "registrar-brand-showcase")
        page.go_back()
        page.locator("table a", has_text="新春送福").click()
        shot(page, out, "registrar-brand-activity-planned")
        context.close()
        browser.close()


if __name__ == "__main__":
    main()
