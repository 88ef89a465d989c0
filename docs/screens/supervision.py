"""Screens of the supervision pages on the demo: the face's pages for the enforcement officer,
the liaison's progress, the organization's own report and credit status, a phone view.

    .venv/bin/socorg run --port 8765 &          # the demo (make run) on a free port
    .venv/bin/python docs/screens/supervision.py docs/screens/supervision

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
PHONE = {"width": 390, "height": 844}

# (account, [(screen name, path)]): what each member of the cast opens, in working order.
JOURNEYS = [
    (
        "enforcement_officer",
        [
            ("officer-annual-reports", "/supervision/annual-reports/"),
            ("officer-progress", "/supervision/progress/"),
            ("officer-credit-list", "/supervision/credit/listings/"),
            ("officer-campaigns", "/supervision/campaigns/"),
            ("officer-campaign-statistics", "/supervision/campaigns/statistics/"),
        ],
    ),
    ("edu_liaison", [("liaison-progress", "/supervision/progress/")]),
    (
        "org_demo",
        [
            ("org-home", "/"),
            ("org-annual-reports", "/supervision/annual-reports/mine/"),
            ("org-credit", "/supervision/credit/mine/"),
        ],
    ),
]


def login(context: BrowserContext, username: str) -> Page:
    page = context.new_page()
    page.goto(BASE + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "socorg-demo")
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state()
    return page


def first_detail(page: Page, out: Path, name: str, selector: str) -> None:
    """Open the first link of a list and screen it (a report, a listing, a candidate)."""
    link = page.locator(selector).first
    if link.count():
        link.click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for username, screens in JOURNEYS:
            context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
            page = login(context, username)
            for name, path in screens:
                page.goto(BASE + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                if name == "officer-annual-reports":
                    first_detail(
                        page, out, "officer-report-detail", "main table a[href*='/annual-reports/']"
                    )
                    page.goto(BASE + path)
                if name == "officer-credit-list":
                    first_detail(
                        page, out, "officer-listing-detail", "main table a[href*='/listings/']"
                    )
                if name == "officer-campaigns":
                    first_detail(
                        page,
                        out,
                        "officer-campaign-detail",
                        "main a[href*='/campaigns/'][href$='/']",
                    )
            context.close()
        context = browser.new_context(
            viewport=PHONE, locale="zh-CN", is_mobile=True, device_scale_factor=2
        )
        page = login(context, "enforcement_officer")
        page.goto(BASE + "/supervision/credit/listings/")
        page.screenshot(path=str(out / "phone-credit-list.png"))
        context.close()
        browser.close()


if __name__ == "__main__":
    main()
