"""The founder's pages of an application: departments and registration authorities chosen by
name (no one types an internal code), and a refused save that says beside each field what to
change and writes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socorg.core import workflow
from socorg.core.models import Attachment, DepartmentKind
from socorg.core.workflow import fire
from socorg.registration.kinds import PrincipalsField
from socorg.registration.models import Application
from socorg.registration.processes import APPLICATION, OPINION
from socorg.registration.selectors import applications as selectors
from socorg.registration.services import applications as services
from socorg.registry.services.names import name_keys_rebuild
from tests import factories as f
from tests.registration.conftest import FOUNDER_ID, PDF, establishment_data

pytestmark = pytest.mark.usefixtures("rule_params")


@pytest.fixture
def draft(city, founder) -> Application:
    return services.application_create(
        actor=founder,
        kind="establishment",
        org_type="social_group",
        jurisdiction_code=city.city.code,
        data=establishment_data(),
    )


def _post(client, app: Application, **over: object) -> object:
    data = {k: v for k, v in establishment_data().items() if isinstance(v, str | int)}
    data.update(over)
    return client.post(reverse("registration:application_edit", args=[app.pk]), data)


def test_department_fields_are_chosen_by_name_never_by_code(client, founder, draft) -> None:
    page = f.login(client, founder).get(reverse("registration:application_edit", args=[draft.pk]))
    html = page.content.decode()
    assert '<select name="supervisory_unit"' in html
    assert '<option value="EDU" selected>日照市教育局</option>' in html
    assert "部门编码" not in html


def test_department_typed_by_its_name_is_saved_as_its_code(client, founder, draft) -> None:
    response = _post(f.login(client, founder), draft, supervisory_unit="日照市教育局")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["supervisory_unit"] == "EDU"


def test_unknown_department_is_refused_on_save_beside_its_field_and_nothing_is_written(
    client, founder, draft
) -> None:
    response = _post(
        f.login(client, founder), draft, supervisory_unit="日照市科学技术协会", domicile="新住所"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="supervisory_unit-feedback"' in html
    assert "没有“日照市科学技术协会”这个部门，请从列表中按名称选择。" in html
    assert 'class="is-invalid"' in html
    assert 'value="新住所"' in html  # what the founder typed is still there
    draft.refresh_from_db()
    assert draft.data["supervisory_unit"] == "EDU"
    assert draft.data["domicile"] == establishment_data()["domicile"]


def test_founder_chooses_the_registration_authority_by_name_never_an_area_code(
    client, city, founder
) -> None:
    f.department(
        "RA-371102", "日照市东港区民政局", DepartmentKind.REGISTRATION_AUTHORITY, city.donggang
    )
    f.department("RA-371100", "日照市民政局", DepartmentKind.REGISTRATION_AUTHORITY, city.city)
    client = f.login(client, founder)
    page = client.get(reverse("registration:application_new")).content.decode()
    assert '<option value="371100">日照市民政局</option>' in page
    assert '<option value="371102">日照市东港区民政局</option>' in page
    assert page.index("日照市民政局") < page.index("日照市东港区民政局")
    assert "区划代码" not in page
    response = client.post(
        reverse("registration:application_new"),
        {"kind": "establishment", "org_type": "social_group", "jurisdiction": "371102"},
    )
    app = Application.objects.get(applicant=founder)
    assert response.status_code == 302
    assert app.jurisdiction == city.donggang


def _principal_rows(*rows: tuple[str, str, str]) -> dict[str, list[str]]:
    return {
        "principals-name": [r[0] for r in rows],
        "principals-id_number": [r[1] for r in rows],
        "principals-post": [r[2] for r in rows],
    }


def test_principals_are_one_row_per_person_with_the_post_chosen_from_the_list(
    client, founder, draft
) -> None:
    html = (
        f.login(client, founder)
        .get(reverse("registration:application_edit", args=[draft.pk]))
        .content.decode()
    )
    assert html.count('name="principals-name"') == 2 + 3  # the two people and 3 empty rows
    assert '<option value="chair" selected>会长/理事长</option>' in html
    assert "每行：姓名" not in html
    assert "<textarea" not in html.split('name="principals-name"')[0].rsplit("<table", 1)[-1]


def test_principal_rows_are_saved_as_people_and_empty_rows_are_ignored(
    client, founder, draft
) -> None:
    rows = _principal_rows(
        ("王海", FOUNDER_ID, "chair"),
        ("", "", ""),
        ("李红", "110101198502020022", "secretary_general"),
    )
    response = _post(f.login(client, founder), draft, **rows)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["principals"] == [
        {"name": "王海", "id_number": FOUNDER_ID, "post": "chair"},
        {"name": "李红", "id_number": "110101198502020022", "post": "secretary_general"},
    ]


def test_a_bad_principal_row_is_named_beside_the_principals_and_the_rows_are_kept(
    client, founder, draft
) -> None:
    rows = _principal_rows(("王海", FOUNDER_ID, "chair"), ("李红", "1101", "director"))
    response = _post(f.login(client, founder), draft, **rows)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="principals-feedback"' in html
    assert "第2行：身份证号应为18位" in html
    assert 'value="1101"' in html
    draft.refresh_from_db()
    assert len(draft.data["principals"]) == 2
    assert draft.data["principals"][1]["id_number"] == "110101198502020022"


def test_chair_and_its_short_name_are_one_post() -> None:
    field = PrincipalsField()
    rows = field.clean(
        [
            {"name": "王海", "id_number": FOUNDER_ID, "post": "会长"},
            {"name": "李红", "id_number": "110101198502020022", "post": "会长/理事长"},
        ]
    )
    assert [r["post"] for r in rows] == ["chair", "chair"]


@pytest.mark.usefixtures("upload_dir")
def test_uploading_a_material_saves_what_was_typed_first(client, founder, draft) -> None:
    upload = SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf")
    response = _post(
        f.login(client, founder),
        draft,
        domicile="日照市东港区新住所8号",
        upload="application_form",
        **{"file-application_form": upload},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["domicile"] == "日照市东港区新住所8号"
    assert [a.original_name for a in Attachment.objects.all()] == ["申请书.pdf"]


@pytest.mark.usefixtures("upload_dir")
def test_a_refused_save_still_keeps_the_upload_and_what_was_typed(client, founder, draft) -> None:
    upload = SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf")
    response = _post(
        f.login(client, founder),
        draft,
        legal_representative_id="12345",
        domicile="日照市东港区新住所8号",
        **{"file-application_form": upload},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="日照市东港区新住所8号"' in html
    assert "申请书.pdf" in html
    draft.refresh_from_db()
    assert draft.data["domicile"] == establishment_data()["domicile"]


def test_the_application_page_warns_before_leaving_with_unsaved_changes(
    client, founder, draft
) -> None:
    html = (
        f.login(client, founder)
        .get(reverse("registration:application_edit", args=[draft.pk]))
        .content.decode()
    )
    assert 'id="application-form" data-warn-unsaved' in html
    assert 'form="application-form" name="upload" value="application_form"' in html


def _name_check(client, founder, app: Application, name: str) -> str:
    url = reverse("registration:application_name_check", args=[app.pk])
    return f.login(client, founder).get(url, {"name": name}).content.decode()


def test_the_name_is_checked_as_typed_and_a_conflict_names_the_hit_and_what_to_change(
    client, founder, draft
) -> None:
    name_keys_rebuild()
    html = _name_check(client, founder, draft, "日照市物流协会")
    assert 'data-name-verdict="conflict"' in html
    assert "日照市物流协会" in html
    assert "请更换字号" in html


def test_a_free_name_is_reported_free_as_typed(client, founder, draft) -> None:
    html = _name_check(client, founder, draft, "日照市青少年科技教育促进会")
    assert 'data-name-verdict="ok"' in html


def test_the_name_field_asks_for_the_check_as_it_is_typed(client, founder, draft) -> None:
    html = (
        f.login(client, founder)
        .get(reverse("registration:application_edit", args=[draft.pk]))
        .content.decode()
    )
    url = reverse("registration:application_name_check", args=[draft.pk])
    assert f'hx-get="{url}"' in html
    assert 'hx-trigger="load, keyup changed delay:500ms, input changed delay:500ms"' in html
    assert '<div id="name-check"' in html


def _transition(client, app: Application, **form: str) -> object:
    url = reverse("registration:application_transition", args=[app.pk])
    return client.post(url, {"expected_state": app.state, "comment": "", **form})


def test_withdrawing_asks_for_confirmation_first_and_changes_nothing_until_confirmed(
    client, founder, draft
) -> None:
    client = f.login(client, founder)
    response = _transition(client, draft, action="withdraw")
    html = response.content.decode()
    assert response.status_code == 200
    assert "确认撤回申请" in html
    assert 'name="confirmed" value="1"' in html
    draft.refresh_from_db()
    assert draft.state == "draft"
    response = _transition(client, draft, action="withdraw", confirmed="1")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "withdrawn"


@pytest.fixture
def submitted(founder, draft, upload_dir) -> Application:
    for row in selectors.material_rows(draft):
        if row.material.required:
            upload = SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")
            services.material_upload(
                actor=founder, application=draft, key=row.material.key, upload=upload
            )
    fire(process=APPLICATION, key=draft.pk, action="submit", actor=founder)
    draft.refresh_from_db()
    return draft


def test_refusing_acceptance_without_a_reason_is_refused_and_asks_for_the_reason(
    client, approval_clerk, submitted
) -> None:
    client = f.login(client, approval_clerk)
    response = _transition(
        client, submitted, action="refuse_acceptance", comment="   ", confirmed="1"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "执行“不予受理”需要填写意见。" in html
    assert 'id="comment-feedback"' in html
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    response = _transition(
        client, submitted, action="refuse_acceptance", comment="不属于本机关登记范围", confirmed="1"
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "refused"


def test_a_refusal_without_a_reason_is_refused_by_the_workflow(approval_clerk, submitted) -> None:
    with pytest.raises(workflow.ActionRefused, match="需要填写意见"):
        fire(
            process=APPLICATION,
            key=submitted.pk,
            action="refuse_acceptance",
            actor=approval_clerk,
            comment=" \n ",
        )
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_after_approval_the_application_links_the_organization_offers_the_certificate_and_lists_the_next_steps(
    client,
    founder,
    submitted,
    approval_clerk,
    edu_liaison,
    party_reviewer,
    city_registrar,
    division_head,
    django_capture_on_commit_callbacks,
) -> None:
    fire(process=APPLICATION, key=submitted.pk, action="accept", actor=approval_clerk)
    actors = {
        "supervisory_unit_consent": edu_liaison,
        "party_building": party_reviewer,
        "registration_division": city_registrar,
    }
    done: set[int] = set()
    for _round in range(3):  # the supervisory unit first, then the others (RG-6)
        for opinion in submitted.opinions.exclude(pk__in=done):
            fire(process=OPINION, key=opinion.pk, action="consent", actor=actors[opinion.role])
            done.add(opinion.pk)
    with django_capture_on_commit_callbacks(execute=True):
        fire(
            process=APPLICATION,
            key=submitted.pk,
            action="approve",
            actor=division_head,
            comment="准予",
        )
    submitted.refresh_from_db()
    org = submitted.organization
    client = f.login(client, founder)
    certificate = Attachment.objects.get(owner_type="registry.organization", owner_id=org.pk)
    for url in (
        reverse("registration:application_detail", args=[submitted.pk]),
        reverse("registration:home"),
        reverse("home"),  # the home page the founder lands on after signing in
    ):
        html = client.get(url).content.decode()
        assert "data-next-steps" in html
        assert reverse("attachment_download", args=[certificate.pk]) in html
        assert reverse("registry:organization_detail", args=[org.uscc]) in html
        assert "下载登记证书" in html
        assert "刻制印章" in html and "开立银行账户" in html and "税务登记" in html
        assert f"首次年度报告：{org.established_on.year + 1}年5月31日前" in html


def _beside(html: str, field: str) -> str:
    """The block of one field on the application page: its label, input and messages."""
    return html.split(f'id="field-{field}"', 1)[1].split('id="field-', 1)[0]


def test_saving_a_draft_with_a_missing_field_warns_beside_it_and_keeps_the_draft(
    client, founder, draft
) -> None:
    client = f.login(client, founder)
    response = _post(client, draft, domicile="", purpose="促进青少年科技创新教育")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["purpose"] == "促进青少年科技创新教育"
    assert not draft.data["domicile"]
    html = client.get(response["Location"]).content.decode()
    assert "草稿已保存。" in html
    domicile = _beside(html, "domicile")
    assert 'id="domicile-warning"' in domicile and "提交前需补充：" in domicile
    assert 'aria-describedby="domicile-warning"' in domicile
    assert "提交前需" not in _beside(html, "purpose")
    # The summary above the form links to the field; nothing is disabled.
    assert '<a href="#field-domicile">住所</a>' in html.split('id="submit-problems"')[1]
    assert "disabled" not in html.split('id="application-form"')[1].split("</form>")[0]


def test_the_first_visit_of_a_draft_shows_no_warnings(client, founder, draft) -> None:
    url = reverse("registration:application_edit", args=[draft.pk])
    html = f.login(client, founder).get(url).content.decode()
    assert 'id="submit-problems"' not in html and "提交前需" not in html


def test_a_refused_submission_shows_every_problem_group_at_once_beside_its_field(
    client, founder, draft
) -> None:
    name_keys_rebuild()
    draft.data = establishment_data(
        name="日照市物流协会", domicile="", individual_members=20, registered_funds="10000"
    )
    draft.save(update_fields=["data"])
    client = f.login(client, founder)
    response = _transition(client, draft, action="submit")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "尚不能提交" in html
    assert "提交前需补充：" in _beside(html, "domicile")
    assert "未通过名称查重" in _beside(html, "name")
    assert "个人会员20个，应不少于50个。" in _beside(html, "individual_members")
    assert "地方性社会团体应不少于30,000元" in _beside(html, "registered_funds")
    materials = html.split('id="materials"')[1]
    assert "提交前需补充：缺少申请材料：" in materials.split("</ul>")[0]
    summary = html.split('id="submit-problems"')[1].split("</ul>")[0]
    for anchor in ("field-domicile", "field-name", "field-individual_members", "materials"):
        assert f'href="#{anchor}"' in summary
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_the_page_and_the_submit_guard_ask_the_same_checks(founder, draft) -> None:
    draft.data = establishment_data(domicile="", individual_members=20)
    draft.save(update_fields=["data"])
    problems = services.submission_problems(draft)
    refusal = services.application_submit_problem(application=draft, actor=founder)
    assert refusal is not None
    assert all(p.message in refusal for p in problems)
    assert {p.field for p in problems} >= {"domicile", "individual_members", services.MATERIALS}


def test_an_organization_account_without_organization_or_application_is_shown_how_to_start(
    client, founder
) -> None:
    html = f.login(client, founder).get(reverse("home")).content.decode()
    assert "data-start-application" in html and "如何申请成立社会组织" in html
    assert reverse("registration:application_new") in html
    assert "data-next-steps" not in html


def test_the_start_guide_gives_way_once_an_application_exists(client, founder, draft) -> None:
    html = f.login(client, founder).get(reverse("home")).content.decode()
    assert "data-start-application" not in html
    assert "办理中的登记申请" in html  # the count that leads to the application


def test_an_organization_account_with_a_registered_organization_sees_no_start_guide(
    client, city
) -> None:
    account = f.user("org_account", "organization", organization=city.city_org)
    html = f.login(client, account).get(reverse("home")).content.decode()
    assert "data-start-application" not in html and "data-next-steps" not in html
    assert city.city_org.name in html
