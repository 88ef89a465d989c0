"""Data scope is visible: every list names the user's scope, and a profile outside it says so
(403) instead of pretending the organization does not exist (404 stays for a key that names
no organization)."""

from __future__ import annotations

import pytest
from django.utils import translation

LISTS = [
    "/registry/organizations/",
    "/registry/corrections/",
    "/registration/",
    "/registration/principal-reviews/",
    "/registration/terms/",
]


@pytest.fixture(autouse=True)
def chinese() -> None:
    translation.activate("zh-hans")


def test_list_shows_data_scope(client, donggang_registrar) -> None:
    client.force_login(donggang_registrar)
    for url in LISTS:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "数据范围：东港区" in page.content.decode(), url


def test_out_of_scope_profile_says_so(client, city, donggang_registrar) -> None:
    client.force_login(donggang_registrar)
    own = client.get(f"/registry/organizations/{city.donggang_org.uscc}/")
    assert own.status_code == 200
    elsewhere = client.get(f"/registry/organizations/{city.lanshan_org.uscc}/")
    assert elsewhere.status_code == 403
    page = elsewhere.content.decode()
    assert "该社会组织不在您的数据范围内" in page
    assert "您的数据范围是东港区" in page
    assert city.lanshan_org.name not in page, "the page names nothing outside the scope"


def test_nonexistent_profile_is_still_not_found(client, city, donggang_registrar) -> None:
    client.force_login(donggang_registrar)
    assert client.get("/registry/organizations/91371102MJ0000000X/").status_code == 404
    assert client.get("/registry/organizations/999999/").status_code == 404


def test_empty_search_says_when_matches_exist_outside_the_scope(
    client, city, donggang_registrar
) -> None:
    client.force_login(donggang_registrar)
    page = client.get("/registry/organizations/", {"q": "渔业协会"}).content.decode()
    assert "没有符合条件的社会组织" in page
    assert "您的数据范围（东港区）之外有 1 个社会组织与查询条件相符" in page
    assert city.lanshan_org.name not in page, "a count only, never a name"
    by_code = client.get("/registry/organizations/", {"q": city.lanshan_org.uscc})
    assert "之外有 1 个社会组织" in by_code.content.decode()
    nothing = client.get("/registry/organizations/", {"q": "不存在的协会"}).content.decode()
    assert "之外有" not in nothing and "请检查名称" in nothing


def test_registry_is_hidden_from_organization_accounts(client, city, org_account) -> None:
    client.force_login(org_account)
    home = client.get("/").content.decode()
    assert 'href="/registry/organizations/"' not in home
    assert "登记库" not in home.split("</nav>")[0], "no registry face in the navigation"
    refused = client.get("/registry/organizations/")
    assert refused.status_code == 403
    assert "社会组织账号不能浏览" in refused.content.decode()
    own = client.get(f"/registry/organizations/{city.city_org.uscc}/")
    assert own.status_code == 200, "the organization's own profile stays open"
    assert 'href="/registry/organizations/"' not in own.content.decode()
