"""Party instructors (党建工作指导员): assignment history, the visit log's validation, the
follow-up closed through the engine, the workload figures against a hand-counted fixture, the
instructors API's scope and the instructor's home."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socorg.core.models import AuditLog, Department, DepartmentKind, Role, Transition, User
from socorg.core.workflow import ActionRefused
from socorg.party.models import InstructorAssignment, InstructorVisit, VisitState
from socorg.party.selectors.instructors import instructor_workloads
from socorg.party.services import instructors as services
from socorg.registry.models import Organization, Responsibility, ResponsibilityKind
from tests import factories as f

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


@dataclass
class Cast:
    yl: Department
    et: Department
    alice: User  # instructor of the elderly-care division
    bob: User  # instructor of the child-welfare division
    carol: User  # instructor without organizations
    o1: Organization
    o2: Organization
    o3: Organization
    o4: Organization
    o5: Organization


def _instructor(username: str, name: str, division: Department) -> User:
    person = f.user(username, Role.PARTY_INSTRUCTOR, department=division)
    User.objects.filter(pk=person.pk).update(full_name=name)
    person.full_name = name
    return person


@pytest.fixture
def cast(city) -> Cast:
    yl = f.department("MZJ-YL", "日照市民政局养老服务科", DepartmentKind.DIVISION, city.city)
    et = f.department("MZJ-ET", "日照市民政局儿童福利科", DepartmentKind.DIVISION, city.city)
    return Cast(
        yl=yl,
        et=et,
        alice=_instructor("alice", "王丽", yl),
        bob=_instructor("bob", "赵强", et),
        carol=_instructor("carol", "孙梅", et),
        o1=f.organization(where=city.city, name="日照市养老服务协会"),
        o2=f.organization(where=city.city, name="日照市老年人体育协会"),
        o3=f.organization(where=city.city, name="日照市颐养服务中心"),
        o4=f.organization(where=city.city, name="日照市康养促进会"),
        o5=f.organization(where=city.donggang, name="日照市东港区儿童关爱协会"),
    )


def _assign(head: User, instructor: User, org: Organization, start: date) -> InstructorAssignment:
    return services.assignment_start(
        actor=head, instructor_id=instructor.pk, organization=org.uscc or "", started_on=start
    )


def _visit(
    who: User, a: InstructorAssignment, on: date, follow_ups: str = "", due: date | None = None
) -> InstructorVisit:
    return services.visit_record(
        actor=who,
        assignment_pk=a.pk,
        visited_on=on,
        topics="组织生活、党员发展",
        findings="支部会议记录不全",
        follow_ups=follow_ups,
        follow_up_due=due,
    )


# --- assignment history -----------------------------------------------------------------------


def test_assignment_history_keeps_each_period_and_refuses_overlaps(division_head, cast) -> None:
    first = _assign(division_head, cast.alice, cast.o1, date(LAST_YEAR, 1, 1))
    services.assignment_end(
        actor=division_head, pk=first.pk, end_on=date(LAST_YEAR, 6, 30), reason="岗位调整"
    )
    with pytest.raises(ValidationError, match="已被选派到该社会组织"):
        _assign(division_head, cast.alice, cast.o1, date(LAST_YEAR, 6, 1))
    second = _assign(division_head, cast.alice, cast.o1, date(LAST_YEAR, 7, 1))
    history = list(
        InstructorAssignment.objects.filter(instructor=cast.alice, organization=cast.o1)
        .order_by("started_on")
        .values_list("started_on", "ended_on", "division__code")
    )
    assert history == [
        (date(LAST_YEAR, 1, 1), date(LAST_YEAR, 6, 30), "MZJ-YL"),
        (date(LAST_YEAR, 7, 1), None, "MZJ-YL"),
    ]
    with pytest.raises(ValidationError, match="已被选派"):
        _assign(division_head, cast.alice, cast.o1, TODAY)
    assert AuditLog.objects.filter(action="instructor_assignment.start").count() == 2
    assert second.ended_on is None


@pytest.mark.parametrize(
    ("end_on", "message"),
    [
        (date(LAST_YEAR, 1, 1), "不能早于选派日期"),
        (TODAY + timedelta(days=1), "不能晚于今天"),
    ],
)
def test_an_assignment_ends_between_its_start_and_today(
    division_head, cast, end_on, message
) -> None:
    a = _assign(division_head, cast.alice, cast.o1, date(LAST_YEAR, 3, 1))
    with pytest.raises(ValidationError, match=message):
        services.assignment_end(actor=division_head, pk=a.pk, end_on=end_on)
    a.refresh_from_db()
    assert a.ended_on is None


def test_an_assignment_ends_once(division_head, cast) -> None:
    a = _assign(division_head, cast.alice, cast.o1, date(LAST_YEAR, 3, 1))
    services.assignment_end(actor=division_head, pk=a.pk, end_on=TODAY)
    with pytest.raises(ValidationError, match="已于"):
        services.assignment_end(actor=division_head, pk=a.pk, end_on=TODAY)


def test_an_assignment_does_not_start_in_the_future(division_head, cast) -> None:
    with pytest.raises(ValidationError, match="不能晚于今天"):
        _assign(division_head, cast.alice, cast.o1, TODAY + timedelta(days=1))
    assert not InstructorAssignment.objects.exists()


def test_only_the_division_head_assigns(cast, city_registrar) -> None:
    for who in (cast.alice, city_registrar):
        with pytest.raises(PermissionDenied):
            _assign(who, cast.alice, cast.o1, TODAY)


def test_an_organization_outside_the_heads_scope_cannot_be_assigned(city, cast) -> None:
    dg_head = f.user("dg_head", Role.DIVISION_HEAD, jurisdiction=city.donggang)
    with pytest.raises(Exception) as refused:
        _assign(dg_head, cast.alice, cast.o5, TODAY)
    assert refused.type.__name__ == "Http404"  # the instructor's division is the city's


# --- visit log --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"visited_on": TODAY + timedelta(days=1)}, "走访日期不能晚于今天"),
        ({"visited_on": date(LAST_YEAR, 1, 31)}, "须在选派期间内"),
        ({"topics": "  "}, "请填写指导内容"),
        ({"findings": ""}, "请填写发现的问题"),
        ({"follow_ups": "督促按期换届"}, "请填写跟进期限"),
        ({"follow_up_due": TODAY}, "写明跟进事项"),
        (
            {
                "visited_on": date(LAST_YEAR, 6, 1),
                "follow_ups": "补齐记录",
                "follow_up_due": date(LAST_YEAR, 5, 1),
            },
            "跟进期限不能早于走访日期",
        ),
        ({"topics": "走" * 201}, "不能超过 200 个字符"),
    ],
)
def test_a_visit_is_refused_with_its_reason_and_nothing_is_written(
    division_head, cast, change, message
) -> None:
    a = _assign(division_head, cast.alice, cast.o1, date(LAST_YEAR, 2, 1))
    values = {
        "visited_on": TODAY,
        "topics": "组织生活",
        "findings": "无",
        "follow_ups": "",
        "follow_up_due": None,
        **change,
    }
    with pytest.raises(ValidationError, match=message):
        services.visit_record(actor=cast.alice, assignment_pk=a.pk, **values)
    assert not InstructorVisit.objects.exists()
    assert not AuditLog.objects.filter(action="instructor_visit.record").exists()


def test_a_visit_is_recorded_only_by_the_assigned_instructor(division_head, cast) -> None:
    a = _assign(division_head, cast.alice, cast.o1, date(LAST_YEAR, 2, 1))
    with pytest.raises(Exception) as refused:
        _visit(cast.bob, a, TODAY)
    assert refused.type.__name__ == "Http404"
    with pytest.raises(PermissionDenied):
        _visit(division_head, a, TODAY)
    assert not InstructorVisit.objects.exists()


def test_a_follow_up_waits_until_its_instructor_closes_it_through_the_engine(
    division_head, cast
) -> None:
    a = _assign(division_head, cast.alice, cast.o1, date(LAST_YEAR, 2, 1))
    visit = _visit(cast.alice, a, TODAY, "督促按期换届", TODAY + timedelta(days=10))
    assert visit.state == VisitState.FOLLOW_UP_OPEN
    assert _visit(cast.alice, a, TODAY).state == VisitState.NO_FOLLOW_UP
    with pytest.raises(ActionRefused, match="需要填写意见"):
        services.visit_follow_up_close(actor=cast.alice, pk=visit.pk, result="")
    services.visit_follow_up_close(actor=cast.alice, pk=visit.pk, result="已召开换届筹备会")
    visit.refresh_from_db()
    assert visit.state == VisitState.FOLLOW_UP_DONE and visit.follow_up_done_on == TODAY
    assert visit.follow_up_result == "已召开换届筹备会"
    assert Transition.objects.filter(
        process="instructor_visit", object_id=str(visit.pk), action="close_follow_up"
    ).exists()


# --- workload ---------------------------------------------------------------------------------


@pytest.fixture
def workload_fixture(division_head, cast) -> Cast:
    """Hand-counted: alice has o1, o2, o3 now and had o4 last year; this year she visited o1
    twice (one follow-up open, due today) and o2 once; last year she visited o1 with a follow-up
    still open and long overdue, and o4. Bob has o1 and o5 now and visited nobody. Carol has
    nothing."""
    start = date(LAST_YEAR, 1, 1)
    a1, a2 = (_assign(division_head, cast.alice, o, start) for o in (cast.o1, cast.o2))
    _assign(division_head, cast.alice, cast.o3, start)
    a4 = _assign(division_head, cast.alice, cast.o4, start)
    _visit(cast.alice, a4, date(LAST_YEAR, 3, 1))
    services.assignment_end(actor=division_head, pk=a4.pk, end_on=date(LAST_YEAR, 12, 31))
    _visit(cast.alice, a1, date(LAST_YEAR, 6, 1), "补齐会议记录", date(LAST_YEAR, 7, 1))
    _visit(cast.alice, a1, TODAY, "督促按期换届", TODAY)
    _visit(cast.alice, a1, TODAY)
    _visit(cast.alice, a2, TODAY)
    _assign(division_head, cast.bob, cast.o1, start)
    _assign(division_head, cast.bob, cast.o5, start)
    return cast


def test_workload_matches_the_hand_count(workload_fixture, city_registrar) -> None:
    c = workload_fixture
    report = instructor_workloads(city_registrar, today=TODAY)
    rows = {
        r.name: (
            r.organizations,
            r.visits,
            r.visited,
            r.unvisited,
            r.open_follow_ups,
            r.overdue_follow_ups,
        )
        for r in report.rows
    }
    assert rows == {
        "王丽": (3, 3, 2, 1, 2, 1),
        "赵强": (2, 0, 0, 2, 0, 0),
        "孙梅": (0, 0, 0, 0, 0, 0),
    }
    assert (report.instructors, report.organizations) == (2, 4)
    assert c.o4.pk not in set(
        InstructorAssignment.objects.current(TODAY).values_list("organization_id", flat=True)
    )


def test_workload_takes_the_same_queries_whatever_the_number_of_instructors(
    workload_fixture, division_head, city, city_registrar
) -> None:
    with CaptureQueriesContext(connection) as before:
        instructor_workloads(city_registrar, today=TODAY)
    for n in range(3):
        extra = _instructor(f"extra{n}", f"新指导员{n}", workload_fixture.yl)
        org = f.organization(where=city.city)
        a = _assign(division_head, extra, org, date(LAST_YEAR, 1, 1))
        _visit(extra, a, TODAY, "跟进", TODAY)
    with CaptureQueriesContext(connection) as after:
        rows = instructor_workloads(city_registrar, today=TODAY).rows
    assert len(rows) == 6 and len(after) <= len(before)


def test_workload_page_shows_the_figures(workload_fixture, city_registrar) -> None:
    client = Client()
    client.force_login(city_registrar)
    page = client.get("/party/instructors/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="figure-instructors">2<' in html and 'id="figure-organizations">4<' in html


# --- the instructors API's scope ----------------------------------------------------------------


def _api(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _items(user: User) -> dict[str, list[str]]:
    response = _api(user).get("/api/v1/party/instructors")
    assert response.status_code == 200, response.content
    return {item["name"]: item["organizations"] for item in response.json()["items"]}


def test_instructors_api_is_scoped(
    workload_fixture, city, city_registrar, donggang_registrar, org_account
) -> None:
    c = workload_fixture
    assert _items(city_registrar) == {
        "王丽": sorted([c.o1.uscc, c.o2.uscc, c.o3.uscc]),
        "赵强": sorted([c.o1.uscc, c.o5.uscc]),
    }
    assert _items(donggang_registrar) == {"赵强": [c.o5.uscc]}
    reviewer = f.user("party_reviewer", Role.PARTY_BUILDING_REVIEWER, department=city.party)
    Responsibility.objects.create(
        organization=c.o2,
        department=city.party,
        kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT,
        effective_from=date(2022, 2, 15),
    )
    assert _items(reviewer) == {"王丽": [c.o2.uscc]}
    assert _items(c.bob) == {"赵强": sorted([c.o1.uscc, c.o5.uscc])}
    first = _api(city_registrar).get("/api/v1/party/instructors").json()["items"][0]
    assert set(first) == {"id", "name", "division", "organizations"}
    assert _api(org_account).get("/api/v1/party/instructors").status_code == 403
    assert _api(None).get("/api/v1/party/instructors").status_code == 401


# --- the instructor's home ----------------------------------------------------------------------


def test_the_instructors_home_lists_their_organizations_and_due_follow_ups(
    workload_fixture,
) -> None:
    c = workload_fixture
    html = _api(c.alice).get("/").content.decode()
    for org in (c.o1, c.o2, c.o3):
        assert org.name in html
    assert c.o4.name not in html and c.o5.name not in html
    assert "督促按期换届" in html and "补齐会议记录" in html
    assert "到期的走访跟进事项" in html
    assert c.o1.name not in _api(c.carol).get("/").content.decode()


# --- through the pages --------------------------------------------------------------------------


def test_an_instructor_records_a_visit_and_closes_its_follow_up_through_the_pages(
    division_head, cast
) -> None:
    head = _api(division_head)
    response = head.post(
        f"/party/instructors/{cast.alice.pk}/assign/",
        {"organization": cast.o1.uscc, "started_on": date(LAST_YEAR, 2, 1).isoformat()},
    )
    assert response.status_code == 302
    a = InstructorAssignment.objects.get(instructor=cast.alice, organization=cast.o1)

    alice = _api(cast.alice)
    url = f"/party/instructors/assignments/{a.pk}/visits/"
    refused = alice.post(
        url,
        {
            "visited_on": TODAY.isoformat(),
            "topics": "换届准备",
            "findings": "支部换届到期",
            "follow_ups": "督促换届",
        },
    )
    assert refused.status_code == 200 and "有跟进事项时请填写跟进期限" in refused.content.decode()
    assert not InstructorVisit.objects.exists()
    saved = alice.post(
        url,
        {
            "visited_on": TODAY.isoformat(),
            "topics": "换届准备",
            "findings": "支部换届到期",
            "follow_ups": "督促换届",
            "follow_up_due": (TODAY + timedelta(days=7)).isoformat(),
        },
    )
    assert saved.status_code == 302
    visit = InstructorVisit.objects.get()
    assert "督促换届" in alice.get("/").content.decode()

    assert _api(cast.bob).post(f"/party/instructors/visits/{visit.pk}/close/").status_code == 404
    closed = alice.post(f"/party/instructors/visits/{visit.pk}/close/", {"result": "已完成换届"})
    assert closed.status_code == 302
    visit.refresh_from_db()
    assert visit.state == VisitState.FOLLOW_UP_DONE

    ended = head.post(
        f"/party/instructors/assignments/{a.pk}/end/",
        {"end_on": TODAY.isoformat(), "reason": "岗位调整"},
    )
    assert ended.status_code == 302
    a.refresh_from_db()
    assert a.ended_on == TODAY and a.end_reason == "岗位调整"
