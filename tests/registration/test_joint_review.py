"""The joint review's refusals and guarantees: incomplete materials, a wrong file type, a name
conflict, a consulted department's refusal and an outsider's action are each refused with a
clear Chinese message and nothing half-written; overdue opinions escalate to the division head;
on PostgreSQL two reviewers acting on one opinion at once — exactly one wins."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from socorg.core import calendar
from socorg.core.models import Attachment, DayUnit, Deadline, Role, RuleParameter, Transition
from socorg.core.workflow import StaleState, fire
from socorg.registration.models import Application, ApplicationMaterial, Opinion, OpinionState
from socorg.registration.processes import APPLICATION, OPINION
from socorg.registration.selectors import applications as selectors
from socorg.registration.selectors.monitor import overdue_monitor
from socorg.registration.services import applications as services
from socorg.registration.services.opinions import opinion_escalate_overdue
from socorg.registry.models import Organization
from socorg.registry.services.names import name_keys_refresh
from tests import factories as f
from tests.concurrency import at_once
from tests.registration.conftest import PDF, establishment_data


def _ready(founder: Any, data: dict[str, Any], org_type: str = "social_group") -> Application:
    app = services.application_create(
        actor=founder,
        kind="establishment",
        org_type=org_type,
        jurisdiction_code="371100",
        data=data,
    )
    for item in selectors.material_rows(app):
        if item.material.required:
            upload = SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")
            services.material_upload(
                actor=founder, application=app, key=item.material.key, upload=upload
            )
    return app


def _in_review(
    founder: Any, clerk: Any, data: dict[str, Any], org_type: str = "social_group"
) -> Application:
    app = _ready(founder, data, org_type)
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    fire(process=APPLICATION, key=app.pk, action="accept", actor=clerk)
    return Application.objects.get(pk=app.pk)


@pytest.mark.usefixtures("rule_params", "upload_dir")
class TestRefusals:
    def test_incomplete_materials_block_submission(self, api, city, founder) -> None:
        app = services.application_create(
            actor=founder,
            kind="establishment",
            org_type="social_group",
            jurisdiction_code="371100",
            data=establishment_data(),
        )
        response = api(founder).fire("application", app.pk, "submit")
        assert response.status_code == 422
        assert "缺少申请材料：登记申请书、章程草案" in response.json()["errors"]["__all__"][0]
        app.refresh_from_db()
        assert app.state == "draft" and app.submitted_at is None
        assert not Transition.objects.filter(process="application").exists()

    def test_wrong_file_type_is_refused_and_nothing_stored(self, api, city, founder) -> None:
        app = services.application_create(
            actor=founder,
            kind="establishment",
            org_type="social_group",
            jurisdiction_code="371100",
            data=establishment_data(),
        )
        response = api(founder).upload(app.pk, "application_form", name="申请书.docx", content=PDF)
        assert response.status_code == 422
        assert "不支持该文件类型，只接收：PDF" in response.json()["errors"]["file"][0]
        fake = api(founder).upload(
            app.pk, "application_form", name="申请书.pdf", content=b"MZ\x90\x00exe"
        )
        assert fake.status_code == 422
        assert "文件内容与扩展名不符" in fake.json()["errors"]["file"][0]
        assert not ApplicationMaterial.objects.exists() and not Attachment.objects.exists()

    def test_name_conflict_blocks_submission_with_the_hits(self, api, city, founder) -> None:
        name_keys_refresh(city.city_org)
        app = _ready(founder, establishment_data(name="日照市物流协会"))
        response = api(founder).fire("application", app.pk, "submit")
        assert response.status_code == 422
        message = response.json()["errors"]["__all__"][0]
        assert (
            "未通过名称查重" in message and "日照市物流协会" in message and "RG-15" not in message
        )
        assert Application.objects.get(pk=app.pk).state == "draft"

    def test_rg1_members_and_funds_are_explained(self, api, city, founder) -> None:
        app = _ready(founder, establishment_data(individual_members=20, registered_funds="10000"))
        message = api(founder).fire("application", app.pk, "submit").json()["errors"]["__all__"][0]
        assert "个人会员20个，应不少于50个。" in message
        assert "地方性社会团体应不少于30,000元" in message

    def test_rg14_supervision_is_explained_on_the_field_it_concerns(
        self, api, city, founder
    ) -> None:
        dual = _ready(founder, establishment_data(supervisory_unit=""))
        message = api(founder).fire("application", dual.pk, "submit").json()["errors"]["__all__"][0]
        assert "业务主管单位：不属于直接登记类别的，须有业务主管单位（双重管理）。" in message
        direct = _ready(
            founder,
            establishment_data(
                name="日照市科技创新服务中心", direct_category="科技类", supervisory_unit=""
            ),
        )
        message = (
            api(founder).fire("application", direct.pk, "submit").json()["errors"]["__all__"][0]
        )
        assert "行业管理部门：直接登记的须填写行业管理部门，以便征求意见。" in message
        assert set(Application.objects.values_list("state", flat=True)) == {"draft"}

    def test_consulted_departments_refusal_blocks_approval_and_names_it(
        self,
        api,
        city,
        founder,
        approval_clerk,
        edu_liaison,
        party_reviewer,
        city_registrar,
        division_head,
    ) -> None:
        data = establishment_data(
            category="science",
            direct_category="科技类",
            supervisory_unit="",
            industry_regulator="EDU",
        )
        app = _in_review(founder, approval_clerk, data)
        ops = {o.role: o for o in app.opinions.all()}
        assert (
            api(edu_liaison).fire("opinion", ops["opinion_request"].pk, "refuse").status_code == 422
        )  # comment
        assert (
            api(edu_liaison)
            .fire("opinion", ops["opinion_request"].pk, "refuse", "业务范围超出")
            .status_code
            == 200
        )
        fire(process=OPINION, key=ops["party_building"].pk, action="consent", actor=party_reviewer)
        fire(
            process=OPINION,
            key=ops["registration_division"].pk,
            action="consent",
            actor=city_registrar,
        )
        response = api(division_head).fire("application", app.pk, "approve")
        assert response.status_code == 422
        assert (
            "日照市教育局（征求意见）不同意，不能准予登记。"
            in response.json()["errors"]["__all__"][0]
        )
        assert not Organization.objects.filter(name=data["name"]).exists()
        refused = api(division_head).fire("application", app.pk, "refuse", "征求意见部门不同意")
        assert (
            refused.json()["state"] == "refused"
            and refused.json()["reasons"] == "征求意见部门不同意"
        )

    def test_someone_outside_the_department_cannot_act(
        self, api, city, founder, approval_clerk, party_reviewer, division_head, city_registrar
    ) -> None:
        app = _in_review(founder, approval_clerk, establishment_data())
        consent = app.opinions.get(role="supervisory_unit_consent")
        outsider = api(party_reviewer).fire("opinion", consent.pk, "consent")
        assert outsider.status_code == 404 and "未找到该审核意见" in outsider.json()["detail"]
        assert api(city_registrar).fire("opinion", consent.pk, "consent").status_code == 404
        head = api(division_head).fire("opinion", consent.pk, "consent")
        assert head.status_code == 403 and "无权执行“同意”" in head.json()["detail"]
        other_liaison = f.user("health_liaison", Role.DEPARTMENT_LIAISON, department=city.party)
        assert api(other_liaison).fire("opinion", consent.pk, "consent").status_code == 404
        consent.refresh_from_db()
        assert consent.state == OpinionState.PENDING and consent.decided_by is None

    def test_stale_click_gets_a_chinese_409(
        self, api, city, founder, approval_clerk, edu_liaison
    ) -> None:
        app = _in_review(founder, approval_clerk, establishment_data())
        consent = app.opinions.get(role="supervisory_unit_consent")
        assert (
            api(edu_liaison)
            .fire("opinion", consent.pk, "consent", expected_state="pending")
            .status_code
            == 200
        )
        again = api(edu_liaison).fire("opinion", consent.pk, "consent", expected_state="pending")
        assert again.status_code == 409 and "已被他人处理" in again.json()["detail"]

    def test_rg5_social_service_agency_may_not_set_up_branches(
        self, api, city, approval_clerk
    ) -> None:
        agency = f.organization(
            where=city.city, name="日照市康养服务中心", org_type="social_service_agency"
        )
        account = f.user("agency_account", Role.ORGANIZATION, organization=agency)
        data = {
            "branch_kind": "branch",
            "name": "分中心",
            "principal_name": "甲",
            "domicile": "东港区",
            "business_scope": "康养",
        }
        app = services.application_create(actor=account, kind="branch_establishment", data=data)
        for item in selectors.material_rows(app):
            upload = SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")
            services.material_upload(
                actor=account, application=app, key=item.material.key, upload=upload
            )
        message = api(account).fire("application", app.pk, "submit").json()["errors"]["__all__"][0]
        assert "不得设立分支机构。" in message


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_overdue_opinion_escalates_to_the_division_head_once(
    city, founder, approval_clerk, division_head, edu_liaison
) -> None:
    app = _in_review(founder, approval_clerk, establishment_data())
    opinion = app.opinions.get()
    Opinion.objects.filter(pk=opinion.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    call_command("registration", "escalate")
    assert list(selectors.opinions_escalated(division_head)) == [opinion]
    assert opinion_escalate_overdue() == 0  # flagged once
    assert not selectors.opinions_escalated(edu_liaison).exists()


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_overdue_monitor_lists_items_per_department_and_person(
    city, founder, approval_clerk, division_head, edu_liaison
) -> None:
    app = _in_review(founder, approval_clerk, establishment_data())
    opinion = app.opinions.get()
    Deadline.objects.filter(process="opinion", object_id=str(opinion.pk)).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    monitor = overdue_monitor(division_head)
    assert [g.name for g in monitor.by_department] == ["日照市教育局"]
    assert monitor.by_person[0].name == "edu_liaison" and monitor.by_person[0].overdue_count == 1


# --- concurrency (PostgreSQL) -----------------------------------------------------------------


def _at_once(key: int, actors: list[Any], action: str) -> list[Any]:
    return at_once(
        [
            lambda actor=actor: fire(
                process=OPINION, key=key, action=action, actor=actor, comment="并发"
            )
            for actor in actors
        ]
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.usefixtures("rule_params", "upload_dir")
@pytest.mark.parametrize("round_", range(3))
def test_two_reviewers_on_one_opinion_exactly_one_wins(
    city, founder, approval_clerk, edu_liaison, round_
) -> None:
    colleague = f.user(
        f"edu_reviewer_{round_}", Role.SUPERVISORY_UNIT_REVIEWER, department=city.edu
    )
    app = _in_review(founder, approval_clerk, establishment_data())
    opinion = app.opinions.get()
    results = _at_once(opinion.pk, [edu_liaison, colleague], "consent")
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1 and isinstance(losers[0], StaleState), results
    assert Transition.objects.filter(process="opinion", object_id=str(opinion.pk)).count() == 1
    # Phase 2 opened exactly once.
    assert Opinion.objects.filter(application=app).count() == 3


# --- the RG-3 clock ---------------------------------------------------------------------------


def _clocks(app: Application) -> list[Deadline]:
    return list(Deadline.objects.filter(process="application", object_id=str(app.pk)))


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_decision_clock_runs_from_acceptance_through_correction_to_the_decision(
    city, founder, approval_clerk, city_registrar, division_head
) -> None:
    """RG-3: one clock from 受理 to the decision, paused while the applicant corrects."""
    app = _in_review(founder, approval_clerk, establishment_data())
    [clock] = _clocks(app)
    today = timezone.localdate()
    assert (clock.rule_id, clock.days, clock.unit) == ("RG-3", 60, DayUnit.CALENDAR)
    assert clock.due_on == calendar.due_date(today, 60, DayUnit.CALENDAR)

    fire(
        process=APPLICATION,
        key=app.pk,
        action="request_review_correction",
        actor=city_registrar,
        comment="请补充住所证明",
    )
    [clock] = _clocks(app)
    assert clock.closed_at is None and clock.paused_on == today

    fire(process=APPLICATION, key=app.pk, action="resubmit_review", actor=founder)
    [clock] = _clocks(app)
    assert clock.closed_at is None and clock.paused_on is None

    fire(process=APPLICATION, key=app.pk, action="refuse", actor=division_head, comment="不符合")
    [clock] = _clocks(app)
    assert clock.closed_at is not None


@pytest.mark.usefixtures("rule_params", "upload_dir")
def test_clocks_take_their_days_from_the_jurisdictions_rule_parameters(
    city, founder, approval_clerk
) -> None:
    """RG-3 and RG-14 days are rule parameters; the city's own value wins over the default."""
    for key, value in (("RG-3.decision_days", 45), ("RG-14.opinion_working_days", 7)):
        RuleParameter.objects.create(
            rule_id=key.split(".")[0],
            key=key,
            value=value,
            jurisdiction=city.city,
            effective_from=date(2020, 1, 1),
        )
    app = _in_review(founder, approval_clerk, establishment_data())
    today = timezone.localdate()
    [clock] = _clocks(app)
    assert (clock.days, clock.due_on) == (45, calendar.due_date(today, 45, DayUnit.CALENDAR))
    opinion = app.opinions.get()
    opinion_clock = Deadline.objects.get(process="opinion", object_id=str(opinion.pk))
    assert opinion_clock.days == 7
    assert opinion.due_on == opinion_clock.due_on == calendar.add_working_days(today, 7)
