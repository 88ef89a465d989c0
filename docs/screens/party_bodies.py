"""Screens of the party-building pages on the demo: the bodies (两新工委 and the 12 industry
committees) with one committee's organizations and the 2022 moves, an organization's
affiliation history with its document, the re-affiliation import, the branches (independent
and joint), 应建未建 with its evidence, the 两个覆盖 with its charts, and the party reviewer's home.

    .venv/bin/socorg run --port 8765 &          # the demo (make run) on a free port
    .venv/bin/python docs/screens/party_bodies.py docs/screens/party

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


def shot(page: Page, out: Path, name: str, url: str, *, full: bool = True) -> None:
    page.goto(BASE + url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(600)  # the charts' animation
    page.screenshot(path=str(out / f"{name}.png"), full_page=full)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = login(context, "party_reviewer")
        shot(page, out, "reviewer-home", "/", full=False)
        shot(page, out, "bodies", "/party/bodies/")
        shot(
            page,
            out,
            "body-education-committee",
            "/party/bodies/?body=HYDW-EDU#body-organizations",
            full=False,
        )
        page.locator("#body-organizations table a").first.click()
        page.wait_for_load_state()
        page.screenshot(path=str(out / "affiliation-history.png"), full_page=True)
        shot(page, out, "coverage", "/party/party-coverage/")
        shot(page, out, "branches-joint", "/party/branches/?kind=joint", full=False)
        shot(page, out, "unbuilt", "/party/unbuilt/")
        shot(page, out, "affiliation-import", "/party/affiliations/import/", full=False)
        context.close()
        browser.close()


if __name__ == "__main__":
    main()
