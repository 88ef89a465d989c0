"""The dormant-organization cleanup (DO-1, DO-2): a campaign finds exactly the organizations
meeting a criterion with their evidence, a second run adds nothing, the dispositions go through
the engine (a revocation needs its decision document and becomes a public event), and the
outcome statistics count the organizations' dated events by outcome, level and period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from socorg.core import workflow
from socorg.core.models import AuditLog, Transition
from socorg.core.rule_defaults import load_rule_defaults
from socorg.registry.models import EventKind, EventReason, Level, OrganizationEvent, OrgStatus
from socorg.supervision.models import (
    AnnualReport,
    CandidateState,
    ContactAttempt,
    DormantCandidate,
)
from socorg.supervision.selectors.campaigns import outcome_statistics
from socorg.supervision.services import campaigns as services
from tests import factories as f

AS_OF = date(2026, 12, 3)  # the report years up to 2025 are closed (AR-1)


@pytest.fixture(autouse=True)
def chinese_messages():
    with translation.override("zh-hans"):
        yield


def reports(org, years, activities=3):
    for year in years:
        AnnualReport.objects.create(
            organization=org,
            year=year,
            org_type=org.org_type,
            submitted_on=date(year + 1, 3, 1),
            activities_held=activities(year) if callable(activities) else activities,
        )


def contact(org, kind, made_on, result):
    ContactAttempt.objects.create(organization=org, kind=kind, made_on=made_on, result=result)


@pytest.fixture
def world(city):
    """Every organization of the city reports its activities 2020–2025, except those named."""
    load_rule_defaults()
    for org in (city.donggang_org, city.lanshan_org, city.city_org, city.edu_org):
        reports(org, range(2020, 2026))
    missed = f.organization(where=city.city, name="日照市未报协会")
    reports(missed, range(2020, 2024))
    idle = f.organization(where=city.donggang, name="日照市东港区停摆协会")
    reports(idle, range(2020, 2026), activities=lambda y: 0 if y >= 2024 else 2)
    young = f.organization(where=city.city, name="日照市新设协会", established_on=date(2023, 3, 1))
    reports(young, (2023, 2024, 2025), activities=lambda y: 4 if y == 2025 else 0)
    letters = f.organization(where=city.lanshan, name="日照市岚山区失联协会")
    reports(letters, range(2020, 2026))
    contact(letters, "registered_letter", date(2026, 3, 2), "returned")
    contact(letters, "registered_letter", date(2026, 4, 20), "returned")
    phone = f.organization(where=city.city, name="日照市电话不通协会")
    reports(phone, range(2020, 2026))
    contact(phone, "phone", date(2026, 5, 6), "unreached")
    contact(phone, "phone", date(2026, 5, 13), "unreached")
    signed = f.organization(where=city.city, name="日照市已签收协会")
    reports(signed, range(2020, 2026))
    contact(signed, "registered_letter", date(2026, 3, 2), "returned")
    contact(signed, "registered_letter", date(2026, 4, 20), "signed")
    f.organization(where=city.city, name="日照市已注销协会", status=OrgStatus.DEREGISTERED)
    return {
        "missed": missed,
        "idle": idle,
        "young": young,
        "letters": letters,
        "phone": phone,
    }


def make_campaign(actor, where="371100"):
    return services.campaign_create(
        actor=actor,
        name="2026年“僵尸型”社会组织清理整治专项行动",
        jurisdiction_code=where,
        document="日民发〔2026〕3号",
        started_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 31),
    )


def found(campaign):
    return {
        c.organization.name: (c.criteria, c.evidence)
        for c in DormantCandidate.objects.filter(campaign=campaign).select_related("organization")
    }


def test_do1_each_criterion_finds_exactly_its_organizations_with_evidence(
    world, city_registrar
) -> None:
    campaign = make_campaign(city_registrar)
    added = services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    got = found(campaign)
    assert added == 5
    assert set(got) == {o.name for o in world.values()}
    criteria, evidence = got["日照市未报协会"]
    assert criteria == ["missed_reports", "inactive_in_scope"]
    assert evidence["years_not_reported"] == [2024, 2025]
    assert evidence["last_activity_year"] == 2023
    criteria, evidence = got["日照市东港区停摆协会"]
    assert criteria == ["inactive_in_scope"]
    assert (evidence["inactive_years"], evidence["last_activity_year"]) == ([2024, 2025], 2023)
    criteria, evidence = got["日照市新设协会"]
    assert criteria == ["inactive_after_certificate"]
    assert evidence["established_on"] == "2023-03-01"
    criteria, evidence = got["日照市岚山区失联协会"]
    assert criteria == ["unreachable"]
    assert evidence["letters_returned"] == ["2026-03-02", "2026-04-20"]
    criteria, evidence = got["日照市电话不通协会"]
    assert criteria == ["unreachable"]
    assert evidence["representative_unreached"] == ["2026-05-06", "2026-05-13"]


def test_do1_the_campaign_keeps_the_criteria_in_force_when_it_began(world, city_registrar):
    campaign = make_campaign(city_registrar)
    assert campaign.criteria["DO-1.missed_reports_consecutive_years"] == 2
    assert campaign.criteria["DO-1.inactive_in_scope_years"] == 2
    assert AuditLog.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()


def test_do1_a_district_campaign_searches_only_its_district(world, city, city_registrar) -> None:
    campaign = make_campaign(city_registrar, where="371102")
    services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    assert set(found(campaign)) == {"日照市东港区停摆协会"}


def test_do1_a_second_run_adds_only_new_candidates(world, city, city_registrar) -> None:
    campaign = make_campaign(city_registrar)
    services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    before = {c.pk: (c.criteria, c.evidence) for c in DormantCandidate.objects.all()}
    assert (
        services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF) == 0
    )
    assert {c.pk: (c.criteria, c.evidence) for c in DormantCandidate.objects.all()} == before
    late = f.organization(where=city.city, name="日照市后查出协会")
    reports(late, range(2020, 2024))
    assert (
        services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF) == 1
    )
    assert set(found(campaign)) - {o.name for o in world.values()} == {"日照市后查出协会"}


def test_do1_finding_candidates_is_set_wise(
    world, city, city_registrar, django_assert_max_num_queries
) -> None:
    campaign = make_campaign(city_registrar)
    for _n in range(15):
        reports(f.organization(where=city.city), range(2020, 2023))
    with django_assert_max_num_queries(20):
        added = services.campaign_find_candidates(
            actor=city_registrar, campaign=campaign, as_of=AS_OF
        )
    assert added == 20


def test_a_campaign_needs_a_name_and_an_end_after_its_start(world, city_registrar) -> None:
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            actor=city_registrar,
            name=" ",
            jurisdiction_code="371100",
            document="",
            started_on=date(2026, 3, 1),
            ends_on=date(2026, 2, 1),
        )
    assert set(exc.value.message_dict) == {"name", "ends_on"}
    assert not AuditLog.objects.filter(action="campaign.create").exists()


@pytest.fixture
def proposed(world, city_registrar):
    campaign = make_campaign(city_registrar)
    services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    candidate = DormantCandidate.objects.get(organization=world["missed"])
    services.candidate_act(
        actor=city_registrar,
        pk=candidate.pk,
        action="propose_revocation",
        comment="连续两年未报送年度工作报告，经两次书面通知仍未整改。",
    )
    return candidate


def test_do2_revocation_without_a_decision_document_is_refused_and_writes_nothing(
    proposed, division_head
) -> None:
    transitions = Transition.objects.count()
    with pytest.raises(workflow.ActionRefused, match="请先填写撤销登记决定书文号"):
        services.candidate_act(
            actor=division_head, pk=proposed.pk, action="revoke", comment="依法撤销登记。"
        )
    proposed.refresh_from_db()
    proposed.organization.refresh_from_db()
    assert proposed.state == CandidateState.REVOCATION
    assert proposed.organization.status == OrgStatus.REGISTERED
    assert Transition.objects.count() == transitions
    assert not OrganizationEvent.objects.filter(kind=EventKind.REVOKED).exists()


def test_do2_revocation_changes_the_status_with_a_public_event(proposed, division_head) -> None:
    services.candidate_set_decision_document(
        actor=division_head, pk=proposed.pk, document="日民撤字〔2026〕12号"
    )
    services.candidate_act(
        actor=division_head, pk=proposed.pk, action="revoke", comment="依法撤销登记。"
    )
    proposed.refresh_from_db()
    org = proposed.organization
    org.refresh_from_db()
    assert proposed.state == CandidateState.REVOKED
    assert (org.status, org.removed_on) == (OrgStatus.REVOKED, timezone.localdate())
    event = OrganizationEvent.objects.get(organization=org, kind=EventKind.REVOKED)
    assert event.is_public and event.reason == EventReason.DORMANT_CLEANUP
    assert event.details["decision_number"] == "日民撤字〔2026〕12号"
    assert AuditLog.objects.filter(action="dormant_candidate.set_decision_document").exists()


def test_do2_the_decision_document_is_refused_when_blank_or_unsafe(proposed, division_head):
    for bad in ("  ", "日民撤字\x07号"):
        with pytest.raises(ValidationError) as exc:
            services.candidate_set_decision_document(
                actor=division_head, pk=proposed.pk, document=bad
            )
        assert "document" in exc.value.message_dict
    proposed.refresh_from_db()
    assert proposed.decision_document == ""


def test_do2_rectification_needs_a_future_deadline_then_reactivates(world, city_registrar) -> None:
    campaign = make_campaign(city_registrar)
    services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    candidate = DormantCandidate.objects.get(organization=world["idle"])
    with pytest.raises(workflow.ActionRefused, match="请先填写整改期限"):
        services.candidate_act(
            actor=city_registrar, pk=candidate.pk, action="notify_rectification", comment=""
        )
    with pytest.raises(ValidationError):
        services.candidate_set_rectification_due(
            actor=city_registrar, pk=candidate.pk, due=timezone.localdate()
        )
    due = timezone.localdate() + timedelta(days=30)
    services.candidate_set_rectification_due(actor=city_registrar, pk=candidate.pk, due=due)
    services.candidate_act(
        actor=city_registrar, pk=candidate.pk, action="notify_rectification", comment=""
    )
    services.candidate_act(
        actor=city_registrar,
        pk=candidate.pk,
        action="confirm_reactivated",
        comment="已恢复开展业务活动并补报年度报告。",
    )
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.REACTIVATED
    kinds = set(
        OrganizationEvent.objects.filter(organization=world["idle"]).values_list("kind", flat=True)
    )
    assert kinds == {EventKind.RECTIFICATION_NOTICE, EventKind.REACTIVATED}


def test_do2_deregistration_is_recorded_only_once_the_organization_is_deregistered(
    world, city_registrar
) -> None:
    campaign = make_campaign(city_registrar)
    services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    candidate = DormantCandidate.objects.get(organization=world["letters"])
    services.candidate_act(
        actor=city_registrar,
        pk=candidate.pk,
        action="guide_deregistration",
        comment="约谈负责人，引导自行申请注销。",
    )
    with pytest.raises(workflow.ActionRefused, match="尚未办结注销登记"):
        services.candidate_act(
            actor=city_registrar, pk=candidate.pk, action="record_deregistered", comment=""
        )


# --- pages ---------------------------------------------------------------------------------------


def test_the_revoke_page_refuses_without_document_next_to_the_reason(
    client, proposed, division_head
) -> None:
    client.force_login(division_head)
    url = reverse("supervision:candidate_transition", args=[proposed.pk])
    response = client.post(
        url,
        {
            "action": "revoke",
            "expected_state": "revocation",
            "comment": "依法撤销。",
            "confirmed": "1",
        },
    )
    assert response.status_code == 400
    assert "请先在线索页面填写撤销登记决定书文号" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.state == CandidateState.REVOCATION


def test_a_disposition_is_confirmed_before_it_is_fired(client, proposed, division_head) -> None:
    client.force_login(division_head)
    url = reverse("supervision:candidate_transition", args=[proposed.pk])
    response = client.post(url, {"action": "revoke", "expected_state": "revocation"})
    assert response.status_code == 200
    assert "确认决定撤销登记" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.state == CandidateState.REVOCATION


def test_the_campaign_page_lists_candidates_with_criteria_and_evidence(
    client, world, city_registrar
) -> None:
    campaign = make_campaign(city_registrar)
    services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    client.force_login(city_registrar)
    page = client.get(reverse("supervision:campaign_detail", args=[campaign.pk])).content.decode()
    assert "日照市岚山区失联协会" in page and "2026-03-02、2026-04-20" in page
    assert "数据范围" in page
    filtered = client.get(
        reverse("supervision:campaign_detail", args=[campaign.pk]), {"criterion": "unreachable"}
    ).content.decode()
    assert "日照市岚山区失联协会" in filtered and "日照市未报协会" not in filtered


def test_a_district_registrar_sees_only_its_district_candidates(
    client, world, city_registrar, lanshan_registrar
) -> None:
    campaign = make_campaign(city_registrar)
    services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    client.force_login(lanshan_registrar)
    page = client.get(reverse("supervision:campaign_detail", args=[campaign.pk])).content.decode()
    assert "日照市岚山区失联协会" in page and "日照市东港区停摆协会" not in page


def test_the_candidate_page_links_the_deregistration_application(
    client, world, city_registrar
) -> None:
    campaign = make_campaign(city_registrar)
    services.campaign_find_candidates(actor=city_registrar, campaign=campaign, as_of=AS_OF)
    candidate = DormantCandidate.objects.get(organization=world["letters"])
    services.candidate_act(
        actor=city_registrar, pk=candidate.pk, action="guide_deregistration", comment="引导注销。"
    )
    client.force_login(city_registrar)
    page = client.get(reverse("supervision:candidate_detail", args=[candidate.pk])).content.decode()
    assert reverse("registration:application_new") in page


# --- statistics ----------------------------------------------------------------------------------


@pytest.fixture
def events(city):
    def event(where, level, kind, on):
        org = f.organization(where=where, level=level)
        OrganizationEvent.objects.create(
            organization=org, kind=kind, reason=EventReason.DORMANT_CLEANUP, occurred_on=on
        )

    event(city.city, Level.CITY, EventKind.DEREGISTERED, date(2021, 5, 1))
    event(city.city, Level.CITY, EventKind.DEREGISTERED, date(2024, 5, 1))
    event(city.city, Level.CITY, EventKind.REVOKED, date(2023, 1, 9))
    event(city.city, Level.CITY, EventKind.REACTIVATED, date(2026, 6, 1))
    event(city.donggang, Level.COUNTY, EventKind.DEREGISTERED, date(2022, 7, 1))
    event(city.donggang, Level.COUNTY, EventKind.REVOKED, date(2019, 12, 31))  # before
    event(city.lanshan, Level.COUNTY, EventKind.REVOKED, date(2025, 2, 2))
    event(city.lanshan, Level.COUNTY, EventKind.LISTED, date(2025, 2, 2))  # not an outcome


def test_do2_statistics_count_outcomes_by_level_and_period(events, city_registrar) -> None:
    stats = outcome_statistics(city_registrar, date(2020, 1, 1), date(2026, 12, 31))
    total = stats.total
    assert (total.deregistered, total.revoked, total.reactivated) == (3, 2, 1)
    by_level = {r.level: (r.deregistered, r.revoked, r.reactivated) for r in stats.by_level}
    assert by_level == {"city": (2, 1, 1), "county": (1, 1, 0)}
    rows = {r.jurisdiction: (r.deregistered, r.revoked) for r in stats.rows}
    assert rows == {"日照市": (2, 1), "东港区": (1, 0), "岚山区": (0, 1)}
    narrow = outcome_statistics(city_registrar, date(2024, 1, 1), date(2024, 12, 31)).total
    assert (narrow.deregistered, narrow.revoked, narrow.reactivated) == (1, 0, 0)


def test_do2_statistics_keep_to_the_users_scope(events, donggang_registrar) -> None:
    total = outcome_statistics(donggang_registrar, date(2019, 1, 1), date(2026, 12, 31)).total
    assert (total.deregistered, total.revoked) == (1, 1)


def test_the_statistics_page_and_its_export(client, events, city_registrar) -> None:
    client.force_login(city_registrar)
    url = reverse("supervision:campaign_statistics")
    page = client.get(url, {"start": "2020-01-01", "end": "2026-12-31"}).content.decode()
    assert 'data-chart-source="outcome-level-chart-data"' in page
    bad = client.get(url, {"start": "2026-01-01", "end": "2020-01-01"}).content.decode()
    assert "截止日期不能早于起始日期" in bad
    export = client.get(reverse("supervision:campaign_statistics_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditLog.objects.filter(action="campaign.statistics_export").exists()


def test_a_district_registrar_finds_only_its_district_in_a_city_campaign(
    world, city_registrar, lanshan_registrar
) -> None:
    campaign = make_campaign(city_registrar)
    services.campaign_find_candidates(actor=lanshan_registrar, campaign=campaign, as_of=AS_OF)
    assert set(found(campaign)) == {"日照市岚山区失联协会"}
