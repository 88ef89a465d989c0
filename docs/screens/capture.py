"""Screens of the pages the experience work changes: the home page of three roles, the
application form, the coverage report and the registry list on a phone.

    .venv/bin/socorg run --port 8765 &          # the demo (make run) on a free port
    .venv/bin/python docs/screens/capture.py docs/screens/after

Chromium is Debian's (/usr/bin/chromium); the demo password is socorg-demo."""

import os
import sys
from playwright.sync_api import sync_playwright
ARGS=["--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run"]
B=os.environ.get("SOCORG_URL", "http://127.0.0.1:8765"); PREFIX=sys.argv[2] if len(sys.argv)>2 else "/registration"; OUT=sys.argv[1]
def login(ctx, user):
    pg=ctx.new_page(); pg.goto(B+"/login/")
    pg.fill("input[name=username]",user); pg.fill("input[name=password]","socorg-demo")
    pg.click("form:has(input[name=password]) button[type=submit]"); pg.wait_for_load_state(); return pg
with sync_playwright() as p:
    b=p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for user in ("city_registrar","division_head","founder_demo"):
        ctx=b.new_context(viewport={"width":1366,"height":900}, locale="zh-CN")
        pg=login(ctx,user); pg.screenshot(path=f"{OUT}/home-{user}.png", full_page=True)
        if user=="founder_demo":
            pg.goto(B+PREFIX+"/")
            links=[a.get_attribute("href") for a in pg.query_selector_all("a[href*='/applications/']")]
            edit=[h for h in links if h and h.endswith("/edit/")] or [h for h in links if h and h.rstrip("/").split("/")[-1].isdigit()]
            for pk in range(1, 10):
                r = pg.goto(B+PREFIX+f"/applications/{pk}/edit/")
                if r and r.status == 200: break
            pg.goto(pg.url.split("?")[0]+"?check=1")  # as after 保存草稿: what submitting still needs, beside each field
            pg.screenshot(path=f"{OUT}/application-form.png", full_page=True)
        if user=="city_registrar":
            pg.goto(B+"/party/coverage/"); pg.screenshot(path=f"{OUT}/coverage.png", full_page=True)
        ctx.close()
    ctx=b.new_context(viewport={"width":390,"height":844}, locale="zh-CN", is_mobile=True, device_scale_factor=2)
    pg=login(ctx,"donggang_registrar"); pg.goto(B+"/registry/organizations/"); pg.screenshot(path=f"{OUT}/list-phone.png")
    b.close()
