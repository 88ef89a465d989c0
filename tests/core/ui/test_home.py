"""The home worklist: each role sees what it should do next, within its data scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socorg.core import calendar
from socorg.core.models import Deadline, Role
from socorg.registry.models import OrgStatus
from socorg.registry.services import correction_propose
from tests import factories as f


@pytest.fixture
def correction(city, city_registrar):
    """A correction of the 物流协会's domicile proposed by the city registrar."""
    return correction_propose(
        actor=city_registrar,
        organization=city.city_org,
        changes={"domicile": "日照市东港区海曲东路1号"},
        reason="住所门牌号登记有误",
    )


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitor_is_redirected_to_login(client, city) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_division_head_sees_corrections_awaiting_decision_with_due_dates(
    client, division_head, correction
) -> None:
    page = home(client, division_head)
    assert "待我审批的数据更正" in page
    assert "日照市物流协会" in page and "住所" in page
    due = Deadline.objects.get(process="data_correction", object_id=str(correction.pk)).due_on
    assert due.strftime("%Y-%m-%d") in page
    assert "剩余" in page and "个工作日" in page
    assert "我提出的数据更正" not in page


def test_division_head_with_nothing_to_decide_is_told_so(client, division_head) -> None:
    page = home(client, division_head)
    assert "目前没有待您审批的数据更正" in page


def test_overdue_correction_is_flagged_in_deadlines(client, division_head, correction) -> None:
    Deadline.objects.filter(object_id=str(correction.pk)).update(
        due_on=timezone.localdate() - timedelta(days=10)
    )
    page = home(client, division_head)
    due = timezone.localdate() - timedelta(days=10)
    late = calendar.working_days_between(due, timezone.localdate())
    assert "已逾期和即将到期的事项" in page
    assert "日照市物流协会" in page and f"已逾期 {late} 个工作日" in page


def test_registrar_sees_own_corrections_and_their_state(client, city_registrar, correction) -> None:
    page = home(client, city_registrar)
    assert "我提出的数据更正" in page
    assert "日照市物流协会" in page and "待审批" in page
    assert "待我审批的数据更正" not in page


def test_registrar_without_corrections_is_told_how_to_propose_one(client, city_registrar) -> None:
    page = home(client, city_registrar)
    assert "您还没有提出数据更正" in page


def test_registrar_has_a_quick_search_of_the_registry(client, city_registrar) -> None:
    page = home(client, city_registrar)
    action = reverse("registry:organization_list")
    assert f'action="{action}"' in page and 'name="q"' in page


def test_status_cards_count_organizations_in_scope_and_link_to_the_filtered_list(
    client, city, donggang_registrar
) -> None:
    f.organization(where=city.donggang, status=OrgStatus.SUSPENDED)
    f.organization(where=city.lanshan, status=OrgStatus.SUSPENDED)  # outside 东港区
    client.force_login(donggang_registrar)
    response = client.get(reverse("home"))
    cards = {c.status: c for c in response.context["work"].data("status_cards")}
    assert cards[OrgStatus.REGISTERED].count == 1
    assert cards[OrgStatus.SUSPENDED].count == 1
    assert cards[OrgStatus.REVOKED].count == 0
    assert [c.status for c in cards.values()] == list(OrgStatus.values)
    assert (
        cards[OrgStatus.SUSPENDED].url
        == reverse("registry:organization_list") + "?status=suspended"
    )
    assert 'href="/registry/organizations/?status=suspended"' in response.content.decode()


def test_registrar_does_not_see_deadlines_outside_the_district(
    client, lanshan_registrar, correction
) -> None:
    Deadline.objects.filter(object_id=str(correction.pk)).update(due_on=timezone.localdate())
    page = home(client, lanshan_registrar)
    assert "日照市物流协会" not in page
    assert "没有逾期或三个工作日内到期的事项" in page


def test_department_liaison_sees_counts_but_no_correction_work(
    client, edu_liaison, correction
) -> None:
    client.force_login(edu_liaison)
    response = client.get(reverse("home"))
    work = response.context["work"]
    # Waiting: the department's organization that has not filed last year's annual report;
    # then the way to the liaison's own page.
    assert work.sections == ["waiting", "search", "status_cards", "liaison_page", "deadlines"]
    assert sum(c.count for c in work.data("status_cards")) == 1
    assert "数据更正" not in response.content.decode()


def test_organization_account_sees_its_own_organization(client, city, org_account) -> None:
    client.force_login(org_account)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.context["work"].sections == ["own_organization", "annual_report_due"]
    assert "本组织" in page and city.city_org.name in page and city.city_org.uscc in page
    assert city.edu_org.name not in page
    assert "数据范围内的社会组织" not in page and 'name="q"' not in page


def test_organization_account_links_to_its_profile_when_that_page_exists(
    client, city, org_account
) -> None:
    client.force_login(org_account)
    own = client.get(reverse("home")).context["work"].data("own_organization")
    try:
        expected = reverse("registry:organization_detail", args=[city.city_org.uscc])
    except Exception:
        expected = None
    assert own.organization == city.city_org and own.url == expected


def test_account_without_role_gets_a_helpful_empty_page(client, city) -> None:
    nobody = f.user("nobody", "")
    page = home(client, nobody)
    assert "尚未分配可用的工作" in page


def test_layout_shows_name_role_scope_and_the_six_faces(client, city, donggang_registrar) -> None:
    page = home(client, donggang_registrar)
    assert "donggang_registrar" in page and "登记员" in page and "东港区" in page
    for face in ("登记库", "登记审批", "监督管理", "体制与党建", "培育扶持", "统计分析"):
        assert face in page
    assert "建设中" in page
    assert 'href="#main"' in page and 'id="main"' in page
    assert f'action="{reverse("logout")}"' in page


def test_department_user_scope_is_the_department(client, edu_liaison) -> None:
    page = home(client, edu_liaison)
    assert "日照市教育局" in page


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.DIVISION_HEAD, Role.DEPARTMENT_LIAISON])
def test_home_query_count_does_not_grow_with_the_worklist(
    client, city, city_registrar, division_head, edu_liaison, role
) -> None:
    user = {Role.REGISTRAR: city_registrar, Role.DIVISION_HEAD: division_head}.get(
        role, edu_liaison
    )
    client.force_login(user)

    def propose(org) -> None:
        correction_propose(
            actor=city_registrar, organization=org, changes={"domicile": "新住所"}, reason="更正"
        )
        Deadline.objects.update(due_on=timezone.localdate() - timedelta(days=1))

    propose(city.city_org)
    one = _home_queries(client)
    for org in (city.edu_org, city.donggang_org, city.lanshan_org):
        propose(org)
    assert _home_queries(client) == one


def test_faces_open_only_for_roles_that_may_use_their_page(
    client, city, org_account, edu_liaison
) -> None:
    client.force_login(org_account)
    faces = {f.key: f for f in client.get(reverse("home")).context["nav_faces"]}
    # An organization account is shown only the faces it may use: not the registry's list,
    # not the structure.
    assert "registry" not in faces and "structure" not in faces
    assert faces["registration"].url == reverse("registration:home")
    client.force_login(edu_liaison)
    faces = {f.key: f for f in client.get(reverse("home")).context["nav_faces"]}
    assert faces["structure"].url == reverse("party:department_list")
