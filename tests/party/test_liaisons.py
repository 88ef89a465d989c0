"""The liaison roster (联络员制度) and its training: who is current, the two flags (a
department without a current liaison; a department not trained this year), the validation of
designations and attendance, and refusals in Chinese with nothing written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socorg.core.access import has_perm
from socorg.core.models import AuditLog, Role
from socorg.party import access as party_access
from socorg.party.models import LiaisonOfficer, TrainingAttendance
from socorg.party.selectors import liaisons as selectors
from socorg.party.services import liaisons as services
from socorg.party.services.liaisons import LiaisonInput, TrainingInput
from tests import factories as f
from tests.party.liaison_helpers import attended, health_department, serving, session

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _codes(qs) -> list[str]:
    return [d.code for d in qs]


# --- the flag: no current liaison ------------------------------------------------------------


def test_a_department_whose_liaison_left_has_no_current_liaison_and_is_flagged(
    city, city_registrar
) -> None:
    health = health_department(city)
    serving(city.edu, "赵磊")
    serving(health.department, "钱芳", ends_on=TODAY - timedelta(days=1))
    summary = selectors.roster_summary(city_registrar)
    assert (summary.departments, summary.without_liaison) == (2, 1)
    flagged = selectors.roster_departments(city_registrar, flag=selectors.NO_LIAISON)
    assert _codes(flagged) == ["WJW"]


def test_a_liaison_whose_service_starts_tomorrow_is_not_yet_current(city, city_registrar) -> None:
    serving(city.edu, "赵磊", starts_on=TODAY + timedelta(days=1))
    assert _codes(selectors.roster_departments(city_registrar, flag=selectors.NO_LIAISON)) == [
        "EDU"
    ]


def test_departments_that_need_no_liaison_are_never_flagged(city, city_registrar) -> None:
    """The bureau's divisions, the party bodies and the approval bureau designate none."""
    codes = _codes(selectors.roster_departments(city_registrar, flag=selectors.NO_LIAISON))
    assert codes == ["EDU"]  # not MZJ-DJ, SPJ, LXGW


def test_the_department_list_and_detail_show_the_flag(client, city, city_registrar) -> None:
    health = health_department(city)
    serving(city.edu, "赵磊")
    f.login(client, city_registrar)
    listing = client.get(reverse("party:department_list")).content.decode()
    row = listing[listing.index("日照市卫生健康委员会") :]
    assert "无在任联络员" in row[: row.index("</tr>")]
    detail = client.get(reverse("party:department_detail", args=[health.department.code]))
    assert "无在任联络员" in detail.content.decode()
    edu = client.get(reverse("party:department_detail", args=["EDU"])).content.decode()
    assert "赵磊" in edu and "无在任联络员" not in edu


# --- the flag: not trained this year ---------------------------------------------------------


def test_a_department_trained_only_last_year_is_untrained_this_year(city, city_registrar) -> None:
    health = health_department(city)
    edu = serving(city.edu, "赵磊", starts_on=date(TODAY.year - 2, 1, 1))
    wjw = serving(health.department, "钱芳", starts_on=date(TODAY.year - 2, 1, 1))
    attended(session(city, date(TODAY.year - 1, 11, 20)), edu)
    attended(session(city, date(TODAY.year, 1, 2), "年报填写培训"), wjw)
    untrained = selectors.roster_departments(city_registrar, flag=selectors.UNTRAINED)
    assert _codes(untrained) == ["EDU"]
    assert selectors.roster_summary(city_registrar).untrained == 1


def test_the_roster_page_lists_the_untrained_and_masks_phone_numbers(
    client, city, city_registrar
) -> None:
    serving(city.edu, "赵磊")
    f.login(client, city_registrar)
    page = client.get(reverse("party:liaison_roster"), {"flag": "untrained"}).content.decode()
    assert "日照市教育局" in page
    assert "138****1234" in page and "13806331234" not in page


# --- designation --------------------------------------------------------------------------


def _input(**changes) -> LiaisonInput:
    values = {"name": "赵磊", "phone": "138 0633 1234", "starts_on": TODAY}
    values.update(changes)
    return LiaisonInput(**values)


def test_designating_a_liaison_links_their_department_account_and_is_audited(
    city, city_registrar, edu_liaison
) -> None:
    liaison = services.liaison_designate(
        actor=city_registrar, department_code="EDU", data=_input(username="edu_liaison")
    )
    assert liaison.user == edu_liaison and liaison.phone == "13806331234"
    assert AuditLog.objects.filter(action="liaison.designate", object_id=str(liaison.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "手机号码"),
        ({"phone": "1380633123456789"}, "phone", "手机号码"),
        ({"name": ""}, "name", ""),
        ({"username": "nobody"}, "username", "未找到该账号"),
    ],
)
def test_a_bad_designation_is_refused_in_chinese_and_writes_nothing(
    city, city_registrar, changes, field, message
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.liaison_designate(
            actor=city_registrar, department_code="EDU", data=_input(**changes)
        )
    assert field in refused.value.message_dict
    assert message in "".join(refused.value.message_dict[field])
    assert not LiaisonOfficer.objects.exists()
    assert not AuditLog.objects.filter(action="liaison.designate").exists()


def test_an_account_of_another_department_cannot_be_its_liaison(city, city_registrar) -> None:
    health = health_department(city)
    with pytest.raises(ValidationError) as refused:
        services.liaison_designate(
            actor=city_registrar,
            department_code="EDU",
            data=_input(username=health.liaison.username),
        )
    assert "不是本部门" in refused.value.message_dict["username"][0]
    assert not LiaisonOfficer.objects.exists()


def test_a_liaison_cannot_designate_liaisons(city, edu_liaison) -> None:
    with pytest.raises(PermissionDenied):
        services.liaison_designate(actor=edu_liaison, department_code="EDU", data=_input())
    assert not LiaisonOfficer.objects.exists()


def test_ending_a_service_needs_a_reason_and_a_day_not_before_its_start(
    city, city_registrar
) -> None:
    liaison = serving(city.edu, "赵磊", starts_on=TODAY - timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        services.liaison_end(
            actor=city_registrar, pk=liaison.pk, ends_on=TODAY - timedelta(days=31), reason=""
        )
    assert set(refused.value.message_dict) == {"ends_on", "reason"}
    liaison.refresh_from_db()
    assert liaison.ends_on is None
    services.liaison_end(actor=city_registrar, pk=liaison.pk, ends_on=TODAY, reason="工作调动")
    liaison.refresh_from_db()
    assert liaison.ends_on == TODAY
    # Ending today: still serving today, not from tomorrow on.
    assert selectors.roster_summary(city_registrar).without_liaison == 0


def test_the_page_designates_and_the_department_page_shows_the_liaison(
    client, city, city_registrar
) -> None:
    f.login(client, city_registrar)
    response = client.post(
        reverse("party:liaison_new"),
        {
            "department": "EDU",
            "name": "赵磊",
            "phone": "0633-8771234",
            "starts_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert LiaisonOfficer.objects.get().phone == "0633-8771234"
    bad = client.post(
        reverse("party:liaison_new"),
        {"department": "EDU", "name": "钱芳", "phone": "电话", "starts_on": TODAY.isoformat()},
    )
    assert bad.status_code == 200 and "请填写 11 位手机号码" in bad.content.decode()
    assert LiaisonOfficer.objects.count() == 1


# --- scope --------------------------------------------------------------------------------


def test_a_liaison_sees_only_their_own_departments_roster(city, edu_liaison) -> None:
    health = health_department(city)
    serving(city.edu, "赵磊")
    other = serving(health.department, "钱芳")
    assert _codes(selectors.roster_departments(edu_liaison)) == ["EDU"]
    assert list(party_access.scope_liaisons(edu_liaison).values_list("name", flat=True)) == ["赵磊"]
    with pytest.raises(Http404):
        party_access.access_liaison(edu_liaison, other.pk)


def test_a_district_registrar_sees_the_city_departments_but_not_another_districts(
    city, lanshan_registrar
) -> None:
    lanshan_dept = f.department("LS-EDU", "岚山区教育局", "government", city.lanshan)
    donggang_dept = f.department("DG-EDU", "东港区教育局", "government", city.donggang)
    serving(lanshan_dept, "孙宁")
    serving(donggang_dept, "周强")
    names = set(party_access.scope_liaisons(lanshan_registrar).values_list("name", flat=True))
    assert names == {"孙宁"}


# --- training attendance -------------------------------------------------------------------


def test_attendance_is_recorded_for_liaisons_serving_on_the_day(city, city_registrar) -> None:
    health = health_department(city)
    a = serving(city.edu, "赵磊")
    b = serving(health.department, "钱芳")
    training = session(city, TODAY - timedelta(days=1))
    rows = services.training_attendance_record(
        actor=city_registrar, pk=training.pk, liaison_ids=[a.pk, b.pk]
    )
    assert {r.department.code for r in rows} == {"EDU", "WJW"}
    assert selectors.roster_summary(city_registrar).untrained == 0
    assert AuditLog.objects.filter(action="liaison_training.attendance").count() == 1


def test_attendance_is_refused_for_a_liaison_who_was_not_serving_that_day_and_nothing_is_written(
    city, city_registrar
) -> None:
    held_on = TODAY - timedelta(days=10)
    current = serving(city.edu, "赵磊")
    later = serving(city.edu, "钱芳", starts_on=held_on + timedelta(days=1))
    training = session(city, held_on)
    with pytest.raises(ValidationError) as refused:
        services.training_attendance_record(
            actor=city_registrar, pk=training.pk, liaison_ids=[current.pk, later.pk]
        )
    assert "培训当日不是在任联络员：钱芳" in refused.value.message_dict["liaisons"][0]
    assert not TrainingAttendance.objects.exists()
    assert not AuditLog.objects.filter(action="liaison_training.attendance").exists()


def test_attendance_is_refused_before_the_session_takes_place(city, city_registrar) -> None:
    liaison = serving(city.edu, "赵磊")
    training = session(city, TODAY + timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        services.training_attendance_record(
            actor=city_registrar, pk=training.pk, liaison_ids=[liaison.pk]
        )
    assert "培训尚未举行" in refused.value.messages[0]
    assert not TrainingAttendance.objects.exists()


def test_attendance_is_recorded_once_per_liaison(city, city_registrar) -> None:
    liaison = serving(city.edu, "赵磊")
    training = session(city, TODAY)
    services.training_attendance_record(
        actor=city_registrar, pk=training.pk, liaison_ids=[liaison.pk]
    )
    with pytest.raises(ValidationError) as refused:
        services.training_attendance_record(
            actor=city_registrar, pk=training.pk, liaison_ids=[liaison.pk]
        )
    assert "已登记过签到：赵磊" in refused.value.message_dict["liaisons"][0]
    assert TrainingAttendance.objects.count() == 1


def test_attendance_needs_at_least_one_liaison_and_none_outside_the_scope(
    city, donggang_registrar
) -> None:
    liaison = serving(f.department("LS-EDU", "岚山区教育局", "government", city.lanshan), "孙宁")
    training = session(city, TODAY)
    with pytest.raises(PermissionDenied):  # the city's session: donggang's staff only read it
        services.training_attendance_record(
            actor=donggang_registrar, pk=training.pk, liaison_ids=[]
        )
    dg = f.department("DG-EDU", "东港区教育局", "government", city.donggang)
    dg_training = services.training_create(
        actor=donggang_registrar, data=TrainingInput(held_on=TODAY, topic="区级培训")
    )
    serving(dg, "周强")
    with pytest.raises(ValidationError) as empty:
        services.training_attendance_record(
            actor=donggang_registrar, pk=dg_training.pk, liaison_ids=[]
        )
    assert "至少选择一名" in empty.value.message_dict["liaisons"][0]
    with pytest.raises(ValidationError) as outside:
        services.training_attendance_record(
            actor=donggang_registrar, pk=dg_training.pk, liaison_ids=[liaison.pk]
        )
    assert "不在您的管理范围内" in outside.value.message_dict["liaisons"][0]
    assert not TrainingAttendance.objects.exists()


def test_the_attendance_page_records_and_the_liaison_reads_only_their_department(
    client, city, city_registrar, edu_liaison
) -> None:
    health = health_department(city)
    a = serving(city.edu, "赵磊", user=edu_liaison)
    b = serving(health.department, "钱芳")
    training = session(city, TODAY)
    f.login(client, city_registrar)
    url = reverse("party:training_attendance", args=[training.pk])
    assert client.post(url, {"liaisons": [a.pk, b.pk]}).status_code == 302
    assert client.post(url, {}).status_code == 400
    f.login(client, edu_liaison)
    page = client.get(reverse("party:training_detail", args=[training.pk])).content.decode()
    assert "赵磊" in page and "钱芳" not in page


def test_training_materials_take_pdf_word_or_excel_only(
    city, city_registrar, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    training = session(city, TODAY)
    bad = SimpleUploadedFile("讲义.txt", b"hello", content_type="text/plain")
    with pytest.raises(ValidationError) as refused:
        services.training_material_add(actor=city_registrar, pk=training.pk, upload=bad)
    assert "不支持该文件类型" in refused.value.messages[0]
    good = SimpleUploadedFile("讲义.pdf", PDF, content_type="application/pdf")
    stored = services.training_material_add(actor=city_registrar, pk=training.pk, upload=good)
    assert stored.owner_type == party_access.TRAINING_OWNER


def test_a_liaison_cannot_create_sessions(city, edu_liaison) -> None:
    with pytest.raises(PermissionDenied):
        services.training_create(actor=edu_liaison, data=TrainingInput(held_on=TODAY, topic="x"))


def test_the_liaison_role_has_the_page_and_bureau_staff_do_not(
    city, city_registrar, edu_liaison
) -> None:
    assert edu_liaison.role == Role.DEPARTMENT_LIAISON
    assert has_perm(edu_liaison, "liaison.page") and not has_perm(city_registrar, "liaison.page")


def test_the_roster_queries_do_not_grow_with_departments(client, city, city_registrar) -> None:
    f.login(client, city_registrar)
    url = reverse("party:liaison_roster")
    serving(city.edu, "赵磊")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        dept = f.department(f"D{n:02d}", f"日照市测试局{n}", "government", city.city)
        serving(dept, f"联络员{n}")
        serving(dept, f"副联络员{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
