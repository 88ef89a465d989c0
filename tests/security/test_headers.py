"""Headers and pages: a Content-Security-Policy of this server only (no inline script or style
without the request's nonce), a favicon, friendly error pages instead of Django's debug pages
(also under ``make run``), and clean deployment checks in production."""

from __future__ import annotations

import os
import re
import signal
import urllib.error
import urllib.request
from pathlib import Path

from tests.core.test_run_and_settings import (
    audit_key_file,
    free_port,
    production_env,
    socorg,
    socorg_env,
    start_run,
    wait_for_page,
)

SRC = Path(__file__).resolve().parents[2] / "src/socorg"
TEMPLATES = sorted(p for p in SRC.rglob("*.html") if "static" not in p.parts)


def policy_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";"))}


def test_every_page_forbids_foreign_and_inline_code(client, city) -> None:
    policy = policy_of(client.get("/login/"))
    assert policy["default-src"] == "default-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive] and "http" not in policy[directive]


def test_inline_blocks_carry_the_nonce_of_their_response(client, city_registrar) -> None:
    client.force_login(city_registrar)
    response = client.get("/registry/organizations/")
    nonce = re.search(r"'nonce-([^']+)'", policy_of(response)["script-src"]).group(1)  # type: ignore[union-attr]
    page = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", page)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert (
        client.get("/registry/organizations/")["Content-Security-Policy"]
        != response["Content-Security-Policy"]
    )


def test_no_template_has_inline_styles_handlers_or_unnonced_blocks() -> None:
    offences = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\sstyle=|\son[a-z]+=|<(script|style)\b([^>]*)>", text):
            tag, attrs = match.group(1), match.group(2) or ""
            if tag and ("src=" in attrs or "nonce=" in attrs or "application/json" in attrs):
                continue
            offences.append(f"{path.relative_to(SRC)}: {match.group(0).strip()}")
    assert offences == []


def test_pages_link_a_favicon_that_is_served(client, city) -> None:
    page = client.get("/login/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.get(href)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_a_wrong_address_gets_a_friendly_chinese_404(client, city) -> None:
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "URLconf" not in page and "urlpatterns" not in page


def test_make_run_shows_no_debug_page(tmp_path) -> None:
    env = socorg_env(tmp_path)
    assert socorg("migrate", "--noinput", env=env).returncode == 0
    port = free_port()
    proc, _output = start_run(tmp_path, env, port)
    try:
        assert wait_for_page(f"http://127.0.0.1:{port}/login/", proc) == 200
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no/such/page/", timeout=10)
            raise AssertionError("a wrong address answered 200")
        except urllib.error.HTTPError as exc:
            body = exc.read().decode()
            assert exc.code == 404
        assert "页面不存在" in body and "URLconf" not in body and "DEBUG = True" not in body
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_deployment_checks_are_clean_in_production_with_the_database(
    tmp_path, scratch_database_url
) -> None:
    env = production_env(
        tmp_path,
        DATABASE_URL=scratch_database_url,
        SOCORG_AUDIT_KEY_FILE=audit_key_file(tmp_path),
    )
    migrated = socorg("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    result = socorg(
        "check", "--deploy", "--database", "default", "--fail-level", "WARNING", env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "identified no issues" in result.stdout
