"""The brand 日出初光 暖益港城 as a program: organizations join, activities are planned with
their participating members and reported held (through the workflow engine) or cancelled,
and the showcase — what the portal will publish — shows only members and activities held."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from socorg.core import workflow
from socorg.core.models import AuditLog, Transition
from socorg.party.models import ActivityState, BrandActivity, BrandMember, BrandProgram
from socorg.party.selectors import brand as selectors
from socorg.party.services import brand as services
from socorg.party.services.brand import ActivityInput
from socorg.registry.models import OrgStatus
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def program(city) -> BrandProgram:
    return BrandProgram.objects.create(
        code="rcc-nygc",
        name="日出初光 暖益港城",
        slogan="党建引领 公益同行",
        jurisdiction=city.city,
        launched_on=date(2022, 6, 1),
    )


def _plan(actor, program, orgs, *, starts_on=None, title="关爱留守儿童志愿服务"):
    day = starts_on or TODAY - timedelta(days=2)
    return services.brand_activity_plan(
        actor=actor,
        program=program.pk,
        data=ActivityInput(title=title, starts_on=day, ends_on=day, venue="东港区社区服务中心"),
        organization_ids=[o.pk for o in orgs],
    )


def test_the_brand_journey_from_members_to_the_showcase(
    client, city, city_registrar, program
) -> None:
    f.login(client, city_registrar)
    for org in (city.edu_org, city.city_org):
        response = client.post(
            reverse("party:brand_member_add", args=[program.pk]),
            {"organization": org.uscc, "joined_on": "2023-03-01", "role": "志愿服务队"},
        )
        assert response.status_code == 302
    day = (TODAY - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("party:brand_activity_new", args=[program.pk]),
        {
            "title": "暖益港城·敬老助餐",
            "starts_on": day,
            "ends_on": day,
            "organizations": [city.edu_org.pk, city.city_org.pk],
        },
    )
    assert response.status_code == 302
    activity = BrandActivity.objects.get()
    assert activity.state == ActivityState.PLANNED
    showcase = selectors.brand_showcase("rcc-nygc")
    assert showcase is not None and showcase.activity_count == 0  # planned: not published
    response = client.post(
        reverse("party:brand_activity_held", args=[activity.pk]),
        {"participants": "120", "volunteers": "15", "comment": "为 60 位老人送餐"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.state, activity.participants) == (ActivityState.HELD, 120)
    assert Transition.objects.filter(process="brand_activity", to_state="held").count() == 1
    assert AuditLog.objects.filter(action="brand_activity.hold").exists()
    showcase = selectors.brand_showcase("rcc-nygc")
    assert showcase is not None
    assert (showcase.member_count, showcase.activity_count, showcase.participants) == (2, 1, 120)
    assert showcase.activities[0].organizations == sorted([city.edu_org.name, city.city_org.name])
    page = client.get(reverse("party:brand_showcase", args=[program.pk])).content.decode()
    assert "暖益港城·敬老助餐" in page and "120" in page


def test_an_activity_cannot_be_reported_held_before_it_starts_and_nothing_is_written(
    city, city_registrar, program
) -> None:
    services.brand_member_add(
        actor=city_registrar, program=program.pk, organization=city.edu_org.uscc, joined_on=TODAY
    )
    activity = _plan(city_registrar, program, [city.edu_org], starts_on=TODAY + timedelta(days=7))
    with pytest.raises(workflow.ActionRefused) as refused:
        services.brand_activity_report_held(
            actor=city_registrar, pk=activity.pk, participants=50, volunteers=None
        )
    assert "活动尚未开始" in str(refused.value)
    activity.refresh_from_db()
    assert (activity.state, activity.participants) == (ActivityState.PLANNED, None)
    assert not Transition.objects.filter(process="brand_activity").exists()


def test_participants_must_be_members_on_the_first_day(city, city_registrar, program) -> None:
    services.brand_member_add(
        actor=city_registrar, program=program.pk, organization=city.edu_org.uscc, joined_on=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        _plan(city_registrar, program, [city.edu_org, city.city_org], starts_on=TODAY)
    assert "活动开始当日的品牌成员组织" in refused.value.message_dict["organizations"][0]
    with pytest.raises(ValidationError) as before_joining:
        _plan(city_registrar, program, [city.edu_org], starts_on=TODAY - timedelta(days=1))
    assert "organizations" in before_joining.value.message_dict
    with pytest.raises(ValidationError) as none:
        _plan(city_registrar, program, [], starts_on=TODAY)
    assert "至少选择一家" in none.value.message_dict["organizations"][0]
    assert not BrandActivity.objects.exists()


def test_an_activity_ending_before_it_starts_is_refused(city, city_registrar, program) -> None:
    services.brand_member_add(
        actor=city_registrar, program=program.pk, organization=city.edu_org.uscc, joined_on=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        services.brand_activity_plan(
            actor=city_registrar,
            program=program.pk,
            data=ActivityInput(title="x", starts_on=TODAY, ends_on=TODAY - timedelta(days=1)),
            organization_ids=[city.edu_org.pk],
        )
    assert "结束日期不能早于开始日期" in refused.value.message_dict["ends_on"][0]
    assert not BrandActivity.objects.exists()


def test_joining_is_refused_twice_for_a_deregistered_organization_or_out_of_scope(
    city, city_registrar, donggang_registrar, program
) -> None:
    services.brand_member_add(
        actor=city_registrar, program=program.pk, organization=city.edu_org.name, joined_on=TODAY
    )
    with pytest.raises(ValidationError) as twice:
        services.brand_member_add(
            actor=city_registrar,
            program=program.pk,
            organization=city.edu_org.uscc,
            joined_on=TODAY,
        )
    assert "已是品牌成员组织" in twice.value.message_dict["organization"][0]
    gone = f.organization(where=city.city, name="日照市已注销协会", status=OrgStatus.DEREGISTERED)
    with pytest.raises(ValidationError) as deregistered:
        services.brand_member_add(
            actor=city_registrar, program=program.pk, organization=gone.uscc, joined_on=TODAY
        )
    assert "不是登记状态" in deregistered.value.message_dict["organization"][0]
    with pytest.raises(ValidationError) as outside:
        services.brand_member_add(
            actor=donggang_registrar,
            program=program.pk,
            organization=city.lanshan_org.uscc,
            joined_on=TODAY,
        )
    assert "未找到该社会组织" in outside.value.message_dict["organization"][0]
    with pytest.raises(ValidationError) as early:
        services.brand_member_add(
            actor=city_registrar,
            program=program.pk,
            organization=city.city_org.uscc,
            joined_on=date(2020, 1, 1),
        )
    assert "不能早于品牌创建日期" in early.value.message_dict["joined_on"][0]
    assert BrandMember.objects.count() == 1


def test_cancelling_needs_a_reason(client, city, city_registrar, program) -> None:
    services.brand_member_add(
        actor=city_registrar, program=program.pk, organization=city.edu_org.uscc, joined_on=TODAY
    )
    activity = _plan(city_registrar, program, [city.edu_org], starts_on=TODAY)
    f.login(client, city_registrar)
    url = reverse("party:brand_activity_transition", args=[activity.pk])
    client.post(url, {"action": "cancel", "expected_state": "planned", "comment": ""})
    activity.refresh_from_db()
    assert activity.state == ActivityState.PLANNED
    client.post(url, {"action": "cancel", "expected_state": "planned", "comment": "暴雨改期"})
    activity.refresh_from_db()
    assert activity.state == ActivityState.CANCELLED
    showcase = selectors.brand_showcase("rcc-nygc")
    assert showcase is not None and showcase.activity_count == 0


def test_a_liaison_reads_the_brand_but_cannot_change_it(client, city, edu_liaison, program) -> None:
    with pytest.raises(PermissionDenied):
        services.brand_member_add(
            actor=edu_liaison, program=program.pk, organization=city.edu_org.uscc, joined_on=TODAY
        )
    f.login(client, edu_liaison)
    assert client.get(reverse("party:brand_detail", args=[program.pk])).status_code == 200
    response = client.post(
        reverse("party:brand_member_add", args=[program.pk]),
        {"organization": city.edu_org.uscc, "joined_on": TODAY.isoformat()},
    )
    assert response.status_code == 403
    assert not BrandMember.objects.exists()


def test_the_showcase_selector_is_unscoped_published_data(city, city_registrar, program) -> None:
    """What the portal reads: no user, only what may be published."""
    services.brand_member_add(
        actor=city_registrar, program=program.pk, organization=city.edu_org.uscc, joined_on=TODAY
    )
    showcase = selectors.brand_showcase("rcc-nygc")
    assert showcase is not None
    assert [m.name for m in showcase.members] == [city.edu_org.name]
    assert selectors.brand_showcase("no-such-brand") is None
