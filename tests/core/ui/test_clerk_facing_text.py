"""Clerk-facing text speaks the clerks' language: rule ids (RG-3, CR-1, TT-1) stay in code,
comments and the README, never in a rendered page — not in headings, hints, messages, material
names or the deadline lines of the main pages of each role."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation

from socorg.core.models import Role, User
from socorg.core.rule_defaults import load_rule_defaults
from socorg.core.workflow import fire
from socorg.registration.models import Application, ApplicationState
from socorg.registration.processes import APPLICATION
from socorg.registration.rules import checklists
from socorg.registration.rules.applications import DIRECT_CATEGORIES
from socorg.registration.services import applications as services
from tests import factories as f
from tests.registration.conftest import establishment_data, submitted_establishment

RULE_ID = re.compile(r"\b[A-Z]{2}-\d+\b")


class _VisibleText(HTMLParser):
    """The text a reader sees: element text, plus the titles and labels read out for icons."""

    SKIP = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def accepted_application(city, settings, tmp_path) -> Application:
    """A submitted and accepted establishment application: its deadline clock is running."""
    settings.MEDIA_ROOT = str(tmp_path)
    load_rule_defaults()
    founder = f.user("founder", Role.ORGANIZATION)
    clerk = f.user(
        "approval_clerk", Role.APPROVAL_CLERK, jurisdiction=city.city, department=city.approval
    )
    app = submitted_establishment(founder)
    fire(process=APPLICATION, key=app.pk, action="accept", actor=clerk)
    return app


def role_pages(city, app: Application) -> dict[str, tuple[str, ...]]:
    """The main pages of each role of the cast (shared with the English page test)."""
    org = city.city_org.uscc
    detail = f"/registration/applications/{app.pk}/"
    return {
        "city_registrar": (
            "/",
            "/registry/organizations/",
            f"/registry/organizations/{org}/",
            f"/registry/organizations/{org}/corrections/new/",
            "/registry/corrections/",
            f"/registration/organizations/{org}/principal-reviews/new/",
            "/registration/principal-reviews/",
            f"/registration/organizations/{org}/term-transitions/new/",
            "/registration/terms/",
            "/party/coverage/",
            "/party/departments/",
            "/supervision/progress/",
            "/notices/",
        ),
        "approval_clerk": ("/", "/registration/", detail, "/registration/monitor/"),
        "division_head": ("/", detail),
        "edu_liaison": ("/", detail, "/supervision/progress/"),
        "founder": ("/", detail),
        "org_demo": ("/", "/notices/"),
    }


def test_no_rule_id_in_any_main_page_of_the_cast(
    client, city, city_registrar, division_head, edu_liaison, org_account, accepted_application
) -> None:
    shown: dict[str, list[str]] = {}
    for username, urls in role_pages(city, accepted_application).items():
        client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            found = RULE_ID.findall(visible_text(response.content.decode()))
            if found:
                shown[f"{username} {url}"] = found
    assert shown == {}, "\n".join(f"{k}: {v}" for k, v in shown.items())


def test_no_rule_id_in_any_material_name() -> None:
    labels = [
        m.label
        for kind in ("establishment", "change", "deregistration")
        for org_type in ("social_group", "social_service", "foundation")
        for dual in (False, True)
        for m in checklists.checklist(kind, org_type, dual_management=dual)
    ]
    assert labels and [label for label in labels if RULE_ID.search(str(label))] == []


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _data_strings(city, app: Application) -> list[str]:
    """Data the pages show as it is recorded: names of organizations, people, places, units."""
    strings: list[str] = []
    for org in (city.city_org, city.donggang_org, city.lanshan_org, city.edu_org):
        strings += [
            org.name,
            org.domicile,
            org.legal_representative,
            org.purpose,
            org.business_scope,
        ]
        strings += [org.contact_person, org.region_name, org.core_name, org.org_form]
    for place in (city.city, city.donggang, city.lanshan):
        strings.append(place.name)
    for dept in (city.edu, city.civil_affairs, city.approval, city.party):
        strings.append(dept.name)
    strings += [str(u.get_full_name() or "") for u in User.objects.all()] + [
        str(u) for u in User.objects.all()
    ]
    strings += [str(v) for v in app.data.values() if isinstance(v, str)]
    strings += [str(p["name"]) for p in app.data.get("principals", [])]
    strings += [str(app.title), "材料.pdf"]  # the uploaded files keep the applicant's names
    strings.append("简体中文")  # the language switch names Chinese in Chinese
    return sorted({s for s in strings if s}, key=len, reverse=True)


def test_english_pages_show_no_chinese_outside_data(
    client, city, city_registrar, division_head, edu_liaison, org_account, accepted_application
) -> None:
    data = _data_strings(city, accepted_application)
    shown: dict[str, list[str]] = {}
    for username, urls in role_pages(city, accepted_application).items():
        client.force_login(User.objects.get(username=username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in urls:
            text = visible_text(client.get(url).content.decode())
            for s in data:
                text = text.replace(s, " ")
            if found := HAN.findall(text):
                shown[f"{username} {url}"] = sorted(set(found))
    assert shown == {}, "\n".join(f"{k}: {v}" for k, v in shown.items())


def test_english_action_panel_is_not_called_handle(
    client, city, city_registrar, accepted_application
) -> None:
    client.force_login(User.objects.get(username="approval_clerk"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/registration/applications/{accepted_application.pk}/").content.decode()
    assert "Your actions" in page and ">Handle<" not in page


def _english_page(client, user: User, url: str) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url).content.decode()


def test_english_detail_page_shows_the_panel_states_and_materials_in_english(
    client, city, division_head, accepted_application
) -> None:
    page = _english_page(
        client, division_head, f"/registration/applications/{accepted_application.pk}/"
    )
    with translation.override("en"):
        state = str(ApplicationState.JOINT_REVIEW.label)
        material = str(checklists.APPLICATION_FORM.label)
    assert "Your actions" in page and ">办理<" not in page
    assert state in page and material in page
    reason = visible_text(page.split('id="why-approve"', 1)[1].split("</div>", 1)[0])
    assert "not possible yet" in reason
    assert not HAN.findall(reason.replace("日照市教育局", "").replace("日照市委两新工委", ""))


def test_english_application_form_with_its_submission_warnings_shows_no_chinese_outside_data(
    client, city, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    load_rule_defaults()
    founder = f.user("founder", Role.ORGANIZATION)
    app = services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code=city.city.code,
        data=establishment_data(domicile="", individual_members=20, registered_funds="10000"),
    )
    page = _english_page(client, founder, f"/registration/applications/{app.pk}/edit/?check=1")
    assert 'id="submit-problems"' in page and 'id="domicile-warning"' in page
    text = visible_text(page)
    # The direct-registration categories are the values of a rule parameter, shown as recorded.
    for s in [*_data_strings(city, app), *DIRECT_CATEGORIES]:
        text = text.replace(s, " ")
    assert HAN.findall(text) == []
