"""The organization profile: sections, keys, scope and the audit section."""

from __future__ import annotations

from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from socorg.core.representations import LOCAL_CACHE
from socorg.registry.models import EventKind, EventReason, OrganizationEvent, OrgStatus, OrgType
from socorg.registry.services import correction_propose
from tests import factories as f
from tests.factories import login


def profile_url(org) -> str:
    return reverse("registry:organization_detail", args=[org.uscc or org.pk])


def test_profile_shows_every_section(client, city, city_registrar, full_record) -> None:
    body = login(client, city_registrar).get(profile_url(full_record)).content.decode()
    for section in ("基本信息", "负责人与届次", "分支机构", "责任部门", "事件记录", "数据更正"):
        assert section in body
    assert full_record.uscc in body
    assert "日照市教育局" in body  # supervisory unit


def test_profile_lists_principals_with_post_legal_representative_and_age(
    client, city, city_registrar, full_record
) -> None:
    response = login(client, city_registrar).get(profile_url(full_record))
    body = response.content.decode()
    today = timezone.localdate()
    age = today.year - 1960 - ((today.month, today.day) < (3, 15))
    assert "第3届" in body and "李明" in body and "会长/理事长" in body
    assert f"<td>{age}</td>" in body
    assert "法定代表人" in body


def test_profile_lists_branches_and_responsibilities(
    client, city, city_registrar, full_record
) -> None:
    body = login(client, city_registrar).get(profile_url(full_record)).content.decode()
    assert "日照市教育学会学前教育专业委员会" in body
    assert "日照市两新工委" in body and "党建管理" in body
    assert "日民发〔2022〕8号" in body


def test_profile_shows_event_history_with_chinese_labels(client, city, city_registrar) -> None:
    org = f.organization(where=city.city, name="日照市书画院")
    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.DOMICILE_CHANGED,
        reason=EventReason.APPLICATION,
        occurred_on=timezone.localdate(),
        details={"domicile": "日照市东港区海曲路8号"},
    )
    body = login(client, city_registrar).get(profile_url(org)).content.decode()
    assert "住所变更" in body and "依申请" in body
    assert "住所：日照市东港区海曲路8号" in body


def test_community_organization_without_credit_code_is_reached_by_its_id(
    client, city, city_registrar
) -> None:
    org = f.organization(
        where=city.donggang,
        name="东港区秦楼街道广场舞队",
        org_type=OrgType.COMMUNITY_ORGANIZATION,
        status=OrgStatus.FILED,
    )
    response = login(client, city_registrar).get(
        reverse("registry:organization_detail", args=[org.pk])
    )
    assert response.status_code == 200
    assert "无（备案组织）" in response.content.decode()


def test_profile_outside_scope_says_so(client, city, donggang_registrar) -> None:
    response = login(client, donggang_registrar).get(profile_url(city.lanshan_org))
    assert response.status_code == 403
    assert "该社会组织不在您的数据范围内" in response.content.decode()


def test_audit_section_only_for_division_head(client, city, city_registrar, division_head) -> None:
    correction_propose(
        actor=city_registrar,
        organization=city.city_org,
        changes={"domicile": "日照市新址1号"},
        reason="档案核对",
    )
    registrar_body = login(client, city_registrar).get(profile_url(city.city_org)).content.decode()
    assert "审计记录" not in registrar_body
    head_body = login(client, division_head).get(profile_url(city.city_org)).content.decode()
    assert "审计记录" in head_body
    assert "提出数据更正（data_correction.propose）" in head_body


def test_next_actions_follow_the_role(
    client, city, city_registrar, edu_liaison, division_head
) -> None:
    registrar_body = login(client, city_registrar).get(profile_url(city.edu_org)).content.decode()
    assert reverse("registry:correction_propose", args=[city.edu_org.uscc]) in registrar_body
    assert (
        reverse("registry:organization_profile_export", args=[city.edu_org.uscc]) in registrar_body
    )
    liaison_body = login(client, edu_liaison).get(profile_url(city.edu_org)).content.decode()
    assert "提出数据更正" not in liaison_body
    assert "导出登记档案" not in liaison_body


def test_profile_queries_do_not_grow_with_the_record(
    client, city, city_registrar, full_record
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(client, city_registrar)
    client.get(profile_url(full_record))

    def count() -> int:
        caches[LOCAL_CACHE].clear()  # the whole record is read, not its cached fragments
        with CaptureQueriesContext(connection) as ctx:
            client.get(profile_url(full_record))
        return len(ctx.captured_queries)

    few = count()
    for n in range(5):
        correction_propose(
            actor=city_registrar,
            organization=full_record,
            changes={"contact_phone": f"0633-888{n}"},
            reason="核对",
        )
        OrganizationEvent.objects.create(
            organization=full_record,
            kind=EventKind.FILED,
            reason=EventReason.APPLICATION,
            occurred_on=timezone.localdate(),
        )
    assert count() == few


def test_profile_page_shows_a_write_on_the_next_read(client, city, city_registrar) -> None:
    """The record's sections are cached under the organization's version: a new event, a
    renamed supervisory unit, are on the page at once."""
    client = login(client, city_registrar)
    org = city.edu_org
    page = client.get(profile_url(org)).content.decode()
    assert "日照市教育局" in page and "暂无事件记录" in page

    OrganizationEvent.objects.create(
        organization=org,
        kind=EventKind.FILED,
        reason=EventReason.APPLICATION,
        occurred_on=timezone.localdate(),
    )
    city.edu.name = "日照市教育和体育局"
    city.edu.save()

    page = client.get(profile_url(org)).content.decode()
    assert "日照市教育和体育局" in page
    assert "暂无事件记录" not in page


def test_a_renaming_event_reads_before_and_after_in_words(client, city, city_registrar) -> None:
    OrganizationEvent.objects.create(
        organization=city.city_org,
        kind=EventKind.RENAMED,
        reason=EventReason.APPLICATION,
        occurred_on=timezone.localdate(),
        details={"from": "日照市物流研究会", "to": city.city_org.name},
    )
    body = login(client, city_registrar).get(profile_url(city.city_org)).content.decode()
    assert "变更前：日照市物流研究会" in body and f"变更后：{city.city_org.name}" in body
    assert "from：" not in body
