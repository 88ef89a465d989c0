"""RG-14 at acceptance: for a direct registration the approval clerk chooses, on the detail
page, the departments to consult (pre-checked from the category's usual departments); each
chosen department gets an opinion; an unknown code is refused in Chinese with nothing written;
a dual-management application offers no such choice."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socorg.core.models import AuditLog, Department, DepartmentKind, User
from socorg.core.workflow import fire
from socorg.registration.models import Application
from socorg.registration.processes import APPLICATION
from socorg.registration.rules import applications as rules
from socorg.registration.selectors import applications as selectors
from socorg.registration.services import applications as services
from tests import factories as f
from tests.registration.conftest import PDF, establishment_data


def _submitted(founder: User, data: dict[str, Any]) -> Application:
    app = services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code="371100",
        data=data,
    )
    for item in selectors.material_rows(app):
        if item.material.required:
            upload = SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")
            services.material_upload(
                actor=founder, application=app, key=item.material.key, upload=upload
            )
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    return Application.objects.get(pk=app.pk)


def _direct_data() -> dict[str, Any]:
    return establishment_data(
        category="science", direct_category="科技类", supervisory_unit="", industry_regulator="EDU"
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def consultable(city) -> dict[str, Department]:
    """Science's usual departments (市科技局, 市科协) and 市卫生健康委, all at the city."""
    gov = DepartmentKind.GOVERNMENT
    return {
        "KJJ": f.department("KJJ", "日照市科学技术局", gov, city.city, is_industry_regulator=True),
        "KXH": f.department("KXH", "日照市科学技术协会", gov, city.city, is_supervisory_unit=True),
        "WJW": f.department(
            "WJW", "日照市卫生健康委员会", gov, city.city, is_industry_regulator=True
        ),
        "GAJ": f.department("GAJ", "日照市公安局", gov, city.city),
    }


def _accept(client: Client, app: Application, codes: list[str]) -> Any:
    body = {
        "action": "accept",
        "comment": "",
        "expected_state": "submitted",
        "consult_choice": "1",
        "consulted_departments": codes,
    }
    return client.post(f"/registration/applications/{app.pk}/transition/", body)


def test_rule_mapping_covers_every_category() -> None:
    from socorg.registry.models import Category

    assert set(rules.CONSULTED_BY_CATEGORY) == set(Category.values)
    assert rules.usual_consulted_codes("education")[0] == "EDU"
    assert rules.unknown_consulted_codes(["EDU", "X", "X"], {"EDU"}) == ["X"]


@pytest.mark.usefixtures("rule_params", "upload_dir")
class TestRg14ConsultedDepartments:
    def test_rg14_each_chosen_department_gets_an_opinion(
        self, city, founder, approval_clerk, consultable
    ) -> None:
        app = _submitted(founder, _direct_data())
        response = _accept(_client(approval_clerk), app, ["KJJ", "WJW"])
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == "joint_review"
        assert app.data["consulted_departments"] == ["KJJ", "WJW"]
        asked = set(
            app.opinions.filter(role="opinion_request").values_list("department__code", flat=True)
        )
        assert asked == {"EDU", "KJJ", "WJW"}
        assert AuditLog.objects.filter(action="application.consulted_departments").count() == 1

    def test_rg14_unknown_code_is_refused_and_nothing_written(
        self, city, founder, approval_clerk, consultable
    ) -> None:
        app = _submitted(founder, _direct_data())
        client = _client(approval_clerk)
        response = _accept(client, app, ["KJJ", "NOPE", "GAJ"])
        assert response.status_code == 302
        texts = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("未知的征求意见部门：NOPE、GAJ" in t for t in texts), texts
        app.refresh_from_db()
        assert app.state == "submitted"
        assert "consulted_departments" not in app.data
        assert not app.opinions.exists()
        assert not AuditLog.objects.filter(action="application.consulted_departments").exists()
        assert not AuditLog.objects.filter(action="application.accept").exists()

    def test_rg14_checkboxes_are_prefilled_from_the_category(
        self, city, founder, approval_clerk, consultable
    ) -> None:
        app = _submitted(founder, _direct_data())
        page = _client(approval_clerk).get(f"/registration/applications/{app.pk}/")
        html = page.content.decode()
        assert page.status_code == 200 and "data-consult-choice" in html
        choices = {c.department.code: c.checked for c in page.context["consult_choices"]}
        assert choices == {"EDU": False, "KJJ": True, "KXH": True, "WJW": False}
        assert 'value="KJJ" id="consult-KJJ" checked' in html
        assert 'value="WJW" id="consult-WJW">' in html

    def test_rg14_dual_management_shows_no_department_choice(
        self, city, founder, approval_clerk, consultable
    ) -> None:
        app = _submitted(founder, establishment_data())
        assert app.management_mode == "dual_management"
        page = _client(approval_clerk).get(f"/registration/applications/{app.pk}/")
        html = page.content.decode()
        assert page.status_code == 200 and "受理" in html
        assert "data-consult-choice" not in html and 'name="consulted_departments"' not in html
