"""zh-Hans is the default language; English comes from the compiled catalogue
(``make messages`` runs ``compilemessages`` before the tests)."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_is_chinese_by_default(client, db) -> None:
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "社会组织管理平台" in page and "工作人员登录" in page


def test_chinese_browser_gets_chinese(client, db) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "工作人员登录" in page


def test_english_browser_still_gets_chinese_until_the_user_switches(client, db) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in page and "工作人员登录" in page


def test_login_page_in_english_after_switching_language(client, db) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Social Organization Management Platform" in page
    assert "Staff sign-in" in page and "Username" in page and "Password" in page
    assert "工作人员登录" not in page


def test_login_errors_are_translated_too(client, city_registrar) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.post(
        reverse("login"), {"username": "city_registrar", "password": "x"}
    ).content.decode()
    assert "Incorrect username or password" in page


def test_home_faces_in_english(client, city_registrar) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("login"), {"username": "city_registrar", "password": PASSWORD})
    page = client.get(reverse("home")).content.decode()
    for label in ("Registry", "Registration", "Supervision", "Workbench", "Sign out"):
        assert label in page
