"""Screens of the supervision pages on the demo: the face's pages for the enforcement officer,
the liaison's progress, the organization's own report and credit status, a phone view.

    .venv/bin/socorg run --port 8765 &          # the demo (make run) on a free port
    .venv/bin/python docs/screens/supervision.py docs/screens/supervision

Chromium is Debian's (/usr/bin/chromium); the demo password is socorg-demo."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

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
            ("officer-complaints", "/supervision/complaints/"),
            ("officer-complaint-intake", "/supervision/complaints/new/"),
            ("officer-cases", "/supervision/cases/"),
            ("officer-case-open", "/supervision/cases/new/"),
        ],
    ),
    (
        "edu_liaison",
        [
            ("liaison-progress", "/supervision/progress/"),
            ("liaison-complaints", "/supervision/complaints/"),
        ],
    ),
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
                if name == "officer-complaints":
                    first_detail(
                        page, out, "officer-complaint-detail", "main table a[href*='/complaints/']"
                    )
                if name == "officer-cases":
                    first_detail(page, out, "officer-case-detail", "main table a[href*='/cases/']")
                if name == "liaison-complaints":
                    first_detail(
                        page, out, "liaison-complaint-detail", "main table a[href*='/complaints/']"
                    )
                    reveal = page.locator("form[action$='/identity/'] button")
                    if reveal.count():
                        reveal.click()
                        page.wait_for_load_state("networkidle")
                        page.screenshot(
                            path=str(out / "liaison-complaint-identity.png"), full_page=True
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
        public_complaint(browser, out)
        browser.close()


def demo_tracking_code(index: int) -> str:
    """The demo's fixed tracking codes (``socorg.demo.complaints.demo_tracking_code``)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    digest = hashlib.sha256(f"socorg-demo-complaint-{index}".encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:12])


def public_complaint(browser: Browser, out: Path) -> None:
    """The public's complaint on a phone, without an account and without JavaScript: the form,
    filed after a person's pause, the tracking code, and a demo complaint's reply."""
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        device_scale_factor=2,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto(BASE + "/complaints/")
    page.screenshot(path=str(out / "public-complaint-form.png"), full_page=True)
    page.fill("input[name=organization]", "日照市教育学会")
    page.fill("input[name=subject]", "违规收取资料费")
    page.fill(
        "textarea[name=content]",
        "2026年11月在学会举办的讲座上，每人被收取资料费200元，未开具票据。",
    )
    page.wait_for_timeout(6000)  # the minimum fill time of the abuse guard
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(out / "public-complaint-filed.png"), full_page=True)
    page.goto(BASE + "/complaints/track/?code=" + demo_tracking_code(22))
    page.screenshot(path=str(out / "public-complaint-track.png"), full_page=True)
    context.close()


if __name__ == "__main__":
    main()
