"""The people's side of the credit lists (CR-2 … CR-5) through the pages: listing by decision
needs its document, the organization answers a notice within its window and applies to be
delisted, an officer decides, and nobody sees a listing outside their scope."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from socorg.core.models import AuditLog, Deadline
from socorg.registry.models import EventKind, OrganizationEvent
from socorg.supervision.models import (
    ContactAttempt,
    CreditListing,
    DelistReason,
    ListingGround,
    ListingState,
)
from socorg.supervision.rules.listings import add_months
from tests import factories as f
from tests.core.ui.test_clerk_facing_text import visible_text
from tests.supervision.credit_helpers import as_user, make_listing, officer

pytestmark = pytest.mark.django_db
__all__ = ["as_user", "officer"]  # fixtures


def _client(user) -> Client:
    return f.login(Client(), user)


def _create_url(org) -> str:
    return reverse("supervision:credit_create", kwargs={"key": org.uscc})


def test_cr4_manual_listing_without_a_decision_document_is_refused_and_writes_nothing(
    city, officer
):
    response = _client(officer).post(
        _create_url(city.city_org),
        {
            "ground": ListingGround.LARGE_FINE,
            "evidence_text": "日民罚〔2026〕3号行政处罚决定书，罚款8万元。",
            "facts_on": "2026-03-02",
            "decision_document": "  ",
        },
    )
    assert response.status_code == 200
    assert "人工列入须有决定书，请填写决定书文号。" in response.content.decode()
    assert not CreditListing.objects.exists()
    assert not OrganizationEvent.objects.filter(kind=EventKind.LISTED).exists()
    assert not AuditLog.objects.filter(action="credit_listing.list_manual").exists()


def test_cr4_manual_listing_takes_effect_at_once_with_its_event_and_earliest_delisting(
    city, officer
):
    today = timezone.localdate()
    response = _client(officer).post(
        _create_url(city.city_org),
        {
            "ground": ListingGround.LARGE_FINE,
            "evidence_text": "日民罚〔2026〕3号行政处罚决定书，罚款8万元。",
            "facts_on": (today - timedelta(days=10)).isoformat(),
            "decision_document": "日民社决〔2026〕12号",
        },
    )
    listing = CreditListing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:credit_listing", kwargs={"pk": listing.pk})
    assert (listing.state, listing.list, listing.rule_id) == ("listed", "serious", "CR-4")
    assert listing.listed_on == listing.clock_started_on == today
    # CR-5: two full years with no new ground.
    assert listing.delist_earliest == add_months(today, 24)
    assert listing.decision_document == "日民社决〔2026〕12号"
    event = OrganizationEvent.objects.get(kind=EventKind.LISTED)
    assert event.reason == ListingGround.LARGE_FINE and event.is_public
    assert AuditLog.objects.filter(action="credit_listing.list_manual").count() == 1


def test_cr3_a_new_ground_while_listed_restarts_the_clock_of_the_other_listings(city, officer):
    old = make_listing(city.city_org, ground=ListingGround.UNREACHABLE, evidence={"letters": []})
    _client(officer).post(
        _create_url(city.city_org),
        {
            "ground": ListingGround.RECTIFICATION_NOT_DONE,
            "evidence_text": "整改通知书逾期未整改。",
            "decision_document": "日民社决〔2026〕13号",
        },
    )
    old.refresh_from_db()
    assert old.clock_started_on == timezone.localdate()


def test_cr2_the_organization_answers_a_notice_within_the_window(city, org_account):
    today = timezone.localdate()
    listing = make_listing(
        city.city_org, state=ListingState.NOTICED, respond_by=today + timedelta(days=3)
    )
    page = _client(org_account).get(reverse("supervision:credit_mine"))
    assert "请于" in page.content.decode() and listing.get_ground_display() in page.content.decode()
    response = _client(org_account).post(
        reverse("supervision:credit_respond", kwargs={"pk": listing.pk}),
        {"response": "2024年度报告已于上周补报。", "back": "mine"},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.response == "2024年度报告已于上周补报。"
    assert listing.responded_on == today
    assert listing.state == ListingState.NOTICED  # the officer or the sweep decides on it
    assert OrganizationEvent.objects.filter(
        kind=EventKind.LISTING_NOTICED, details__responded=True, is_public=False
    ).exists()
    assert AuditLog.objects.filter(action="credit_listing.respond").count() == 1


def test_cr2_an_answer_after_the_window_is_refused_with_a_clear_message(city, org_account):
    yesterday = timezone.localdate() - timedelta(days=1)
    listing = make_listing(city.city_org, state=ListingState.NOTICED, respond_by=yesterday)
    response = _client(org_account).post(
        reverse("supervision:credit_respond", kwargs={"pk": listing.pk}),
        {"response": "我们已补报。"},
    )
    assert response.status_code == 200
    assert f"陈述申辩期限已于 {yesterday} 届满，不能再提交" in response.content.decode()
    listing.refresh_from_db()
    assert listing.response == "" and listing.responded_on is None
    assert not AuditLog.objects.filter(action="credit_listing.respond").exists()


def test_cr3_delisting_application_then_approval_delists_with_the_event(city, org_account, officer):
    listing = make_listing(city.city_org)
    response = _client(org_account).post(
        reverse("supervision:credit_apply", kwargs={"pk": listing.pk}),
        {"statement": "已补报2023、2024年度报告。", "expected_state": "listed", "back": "mine"},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.state == ListingState.DELISTING_REQUESTED
    # CR-3: the officer's decision runs on a clock of working days.
    clock = Deadline.objects.get(process="credit_listing", object_id=str(listing.pk))
    assert clock.rule_id == "CR-3" and clock.closed_at is None

    page = _client(officer).get(reverse("supervision:credit_listing", kwargs={"pk": listing.pk}))
    assert "核实通过，移出名录" in page.content.decode()
    response = _client(officer).post(
        reverse("supervision:credit_transition", kwargs={"pk": listing.pk}),
        {"action": "approve_delisting", "expected_state": "delisting_requested", "comment": ""},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.state == ListingState.DELISTED
    assert listing.delist_reason == DelistReason.DUTY_MET
    assert listing.delisted_on == timezone.localdate()
    assert OrganizationEvent.objects.filter(
        kind=EventKind.DELISTED, reason=DelistReason.DUTY_MET
    ).exists()
    clock.refresh_from_db()
    assert clock.closed_at is not None


def test_cr3_refusing_a_delisting_needs_a_reason(city, officer):
    listing = make_listing(city.city_org, state=ListingState.DELISTING_REQUESTED)
    response = _client(officer).post(
        reverse("supervision:credit_transition", kwargs={"pk": listing.pk}),
        {"action": "refuse_delisting", "expected_state": "delisting_requested", "comment": ""},
    )
    assert response.status_code == 200
    assert "执行“不予移出”需要填写意见。" in response.content.decode()
    listing.refresh_from_db()
    assert listing.state == ListingState.DELISTING_REQUESTED


def test_a_district_registrar_does_not_see_another_districts_listing(
    city, donggang_registrar, lanshan_registrar
):
    listing = make_listing(city.donggang_org)
    url = reverse("supervision:credit_listing", kwargs={"pk": listing.pk})
    assert _client(donggang_registrar).get(url).status_code == 200
    assert _client(lanshan_registrar).get(url).status_code == 404
    page = _client(lanshan_registrar).get(reverse("supervision:credit_list"))
    assert city.donggang_org.name not in page.content.decode()
    page = _client(donggang_registrar).get(reverse("supervision:credit_list"))
    assert city.donggang_org.name in page.content.decode()


def test_an_organization_sees_only_its_own_listings(city, org_account):
    own = make_listing(city.city_org)
    other = make_listing(city.donggang_org)
    client = _client(org_account)
    assert (
        client.get(reverse("supervision:credit_listing", kwargs={"pk": own.pk})).status_code == 200
    )
    assert (
        client.get(reverse("supervision:credit_listing", kwargs={"pk": other.pk})).status_code
        == 404
    )
    page = client.get(reverse("supervision:credit_mine")).content.decode()
    assert city.donggang_org.name not in page
    assert "申请移出" in page


def test_list_filters_by_list_ground_and_jurisdiction(city, city_registrar):
    make_listing(city.donggang_org)
    make_listing(city.lanshan_org, ground=ListingGround.UNREACHABLE, evidence={"letters": []})
    client = _client(city_registrar)
    url = reverse("supervision:credit_list")
    page = client.get(url, {"jurisdiction": "371103"}).content.decode()
    assert city.lanshan_org.name in page and city.donggang_org.name not in page
    page = client.get(url, {"ground": ListingGround.ANNUAL_REPORT_NOT_FILED}).content.decode()
    assert city.donggang_org.name in page and city.lanshan_org.name not in page
    page = client.get(url, {"list": "serious"}).content.decode()
    assert city.donggang_org.name not in page
    page = client.get(url, {"active": "false"}).content.decode()
    assert city.donggang_org.name not in page


def test_listing_page_explains_the_rule_and_names_the_missing_years_without_rule_ids(
    city, city_registrar
):
    listing = make_listing(city.city_org, evidence={"years": [2023, 2024], "due": {}})
    page = _client(city_registrar).get(
        reverse("supervision:credit_listing", kwargs={"pk": listing.pk})
    )
    text = page.content.decode()
    assert "未按规定时限报送年度工作报告的，列入活动异常名录" in text
    assert "2023年度、2024年度" in text
    assert "CR-" not in text


def test_the_registry_profile_shows_the_credit_status(city, city_registrar):
    make_listing(city.city_org)
    page = _client(city_registrar).get(
        reverse("registry:organization_detail", kwargs={"key": city.city_org.uscc})
    )
    text = page.content.decode()
    assert 'id="credit-tab"' in text and "活动异常名录" in text


def test_an_officer_records_a_returned_registered_letter(city, officer):
    url = reverse("supervision:credit_contact", kwargs={"key": city.city_org.uscc})
    made_on = timezone.localdate() - timedelta(days=3)
    response = _client(officer).post(
        url, {"kind": "registered_letter", "made_on": made_on.isoformat(), "result": "returned"}
    )
    assert response.status_code == 302
    attempt = ContactAttempt.objects.get()
    assert (attempt.kind, attempt.result, attempt.made_on) == (
        "registered_letter",
        "returned",
        made_on,
    )
    assert attempt.recorded_by == officer
    assert AuditLog.objects.filter(action="contact_attempt.record").count() == 1


def test_a_contact_attempt_in_the_future_is_refused(city, officer):
    url = reverse("supervision:credit_contact", kwargs={"key": city.city_org.uscc})
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _client(officer).post(
        url, {"kind": "phone", "made_on": tomorrow.isoformat(), "result": "unreached"}
    )
    assert response.status_code == 200
    assert "联系日期不能晚于今天。" in response.content.decode()
    assert not ContactAttempt.objects.exists()


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def test_english_credit_pages_show_no_chinese_outside_data(city, officer, org_account):
    """The pages in English: labels, grounds, states and the rule in words are translated;
    only recorded data (names, places, evidence text) stays as written."""
    today = timezone.localdate()
    notice = make_listing(
        city.city_org, state=ListingState.NOTICED, respond_by=today + timedelta(days=5)
    )
    listed = make_listing(
        city.city_org, ground=ListingGround.UNREACHABLE, evidence={"letters": ["2026-03-02"]}
    )
    data = sorted(
        {
            *(org.name for org in (city.city_org, city.donggang_org, city.lanshan_org)),
            *(place.name for place in (city.city, city.donggang, city.lanshan)),
            city.city_org.domicile,
            officer.username,
            "张三",
            "简体中文",  # the language switch names Chinese in Chinese
        },
        key=len,
        reverse=True,
    )
    pages = {
        officer: [
            reverse("supervision:credit_list"),
            reverse("supervision:credit_listing", kwargs={"pk": listed.pk}),
            _create_url(city.city_org),
            reverse("supervision:credit_contact", kwargs={"key": city.city_org.uscc}),
            reverse("registry:organization_detail", kwargs={"key": city.city_org.uscc}),
        ],
        org_account: [
            "/",
            reverse("supervision:credit_mine"),
            reverse("supervision:credit_listing", kwargs={"pk": notice.pk}),
        ],
    }
    shown: dict[str, list[str]] = {}
    # The requests switch this thread's language; the tests after this one speak Chinese again.
    with translation.override(settings.LANGUAGE_CODE):
        for user, urls in pages.items():
            client = _client(user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                text = visible_text(response.content.decode())
                for s in data:
                    text = text.replace(s, " ")
                if found := HAN.findall(text):
                    shown[f"{user.username} {url}"] = sorted(set(found))
    assert shown == {}, "\n".join(f"{k}: {v}" for k, v in shown.items())
