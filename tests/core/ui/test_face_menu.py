"""The second row of the top bar: the pages inside a face. It offers a page only to whom the
page's view lets in, so every entry a user sees opens (200), and the page being shown is lit."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from socorg.core.models import Role, User
from tests import factories as f
from tests.conftest import City

pytestmark = pytest.mark.django_db

SUBNAV = re.compile(r'<nav aria-label="[^"]*" class="app-subnav">(.*?)</nav>', re.S)
LINK = re.compile(
    r'<a class="nav-link( active)?" href="([^"]+)"[^>]*>\s*<i[^>]*></i>\s*([^<]+?)\s*</a>'
)


def _menu(client: Client, path: str) -> list[tuple[bool, str, str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    found = SUBNAV.search(response.content.decode())
    assert found, f"{path} shows no pages of its face"
    return [(bool(active), href, label) for active, href, label in LINK.findall(found[1])]


@pytest.fixture
def enforcement_officer(city: City) -> User:
    return f.user(
        "officer", Role.ENFORCEMENT_OFFICER, jurisdiction=city.city, department=city.civil_affairs
    )


def test_staff_supervision_menu_lists_the_staff_pages_and_each_one_opens(
    client: Client, enforcement_officer: User
) -> None:
    f.login(client, enforcement_officer)
    menu = _menu(client, "/supervision/annual-reports/home/")
    labels = [label for _, _, label in menu]
    assert labels[:1] == ["年度报告"] and "信用名录" in labels and "清理整治专项行动" in labels
    assert "我的年度报告" not in labels and "信用状况" not in labels
    for _, href, label in menu:
        assert client.get(href).status_code == 200, (label, href)


def test_organization_supervision_menu_offers_its_own_report_and_credit_not_the_staff_lists(
    client: Client, org_account: User
) -> None:
    f.login(client, org_account)
    menu = _menu(client, "/supervision/annual-reports/mine/")
    labels = [label for _, _, label in menu]
    assert labels == ["我的年度报告", "信用状况"]
    assert [label for active, _, label in menu if active] == ["我的年度报告"]
    for _, href, label in menu:
        assert client.get(href).status_code == 200, (label, href)


def test_the_page_shown_is_the_one_lit_including_its_detail_pages(
    client: Client, enforcement_officer: User
) -> None:
    f.login(client, enforcement_officer)
    lit = [
        label for active, _, label in _menu(client, "/supervision/campaigns/statistics/") if active
    ]
    assert lit == ["处置结果统计"]
    lit = [label for active, _, label in _menu(client, "/supervision/credit/listings/") if active]
    assert lit == ["信用名录"]


@pytest.mark.parametrize(
    ("face_path", "expected"),
    [
        ("/registry/organizations/", ["社会组织名录", "数据更正"]),
        (
            "/party/departments/",
            [
                "部门",
                "党建管理覆盖情况",
                "党建工作机构",
                "社会组织党组织",
                "应建未建",
                "两个覆盖",
                "联络员",
                "联络员培训",
                "党建工作指导员",
                "日出初光 暖益港城",
            ],
        ),
    ],
)
def test_every_face_lists_its_pages_for_the_registrar_and_each_one_opens(
    client: Client, city_registrar: User, face_path: str, expected: list[str]
) -> None:
    f.login(client, city_registrar)
    menu = _menu(client, face_path)
    assert [label for _, _, label in menu] == expected
    for _, href, label in menu:
        assert client.get(href).status_code == 200, (label, href)


def test_a_page_outside_any_role_is_never_offered(client: Client, edu_liaison: User) -> None:
    """The liaison may not open the registration monitor: the registration row leaves it out."""
    f.login(client, edu_liaison)
    response = client.get("/registration/")
    labels = (
        [label for _, _, label in _menu(client, "/registration/")]
        if SUBNAV.search(response.content.decode())
        else []
    )
    assert "电子监察" not in labels
    assert client.get("/registration/monitor/").status_code == 403
