"""GET/POST /api/v1/credit-lists (CR-2 … CR-6): the shape of a listing, the missing years in
the evidence, filters, the caller's scope, and a listing by decision that needs its document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from socorg.core.models import AuditLog
from socorg.supervision.models import CreditListing, ListingGround, ListingState
from tests.supervision.credit_helpers import as_user, make_listing, officer

pytestmark = pytest.mark.django_db
__all__ = ["as_user", "officer"]  # fixtures

ITEM_KEYS = {
    "uscc",
    "name",
    "list",
    "rule",
    "evidence",
    "listed_on",
    "delist_earliest",
    "delisted_on",
    "delist_reason",
}


def test_credit_list_shape_names_the_missing_report_years(city, city_registrar, as_user):
    listing = make_listing(city.city_org, evidence={"years": [2023, 2024], "due": {}})
    response = as_user(city_registrar).get("/credit-lists", list="abnormal", active="true")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["page"] == 1
    item = body["items"][0]
    assert ITEM_KEYS <= set(item)
    assert item["uscc"] == city.city_org.uscc and item["name"] == city.city_org.name
    assert (item["list"], item["rule"]) == ("abnormal", "CR-2")
    assert item["evidence"]["years"] == [2023, 2024]
    assert item["listed_on"] == listing.listed_on.isoformat()
    assert item["delisted_on"] is None and item["delist_reason"] == ""


def test_credit_list_filters_active_list_and_organization(city, city_registrar, as_user):
    make_listing(city.city_org)
    gone = make_listing(city.donggang_org, state=ListingState.DELISTED)
    gone.delisted_on, gone.delist_reason = timezone.localdate(), "duty_met"
    gone.save()
    make_listing(
        city.lanshan_org, state=ListingState.NOTICED, respond_by=timezone.localdate()
    )  # not on a list yet
    client = as_user(city_registrar)
    assert client.get("/credit-lists").json()["count"] == 2
    assert [i["name"] for i in client.get("/credit-lists", active="true").json()["items"]] == [
        city.city_org.name
    ]
    inactive = client.get("/credit-lists", active="false").json()["items"]
    assert [(i["name"], i["delist_reason"]) for i in inactive] == [
        (city.donggang_org.name, "duty_met")
    ]
    assert client.get("/credit-lists", list="serious").json()["count"] == 0
    found = client.get("/credit-lists", organization=city.donggang_org.uscc).json()
    assert [i["uscc"] for i in found["items"]] == [city.donggang_org.uscc]


def test_credit_list_is_scoped_to_the_caller(city, lanshan_registrar, org_account, as_user):
    make_listing(city.donggang_org)
    make_listing(city.city_org)
    assert as_user(lanshan_registrar).get("/credit-lists").json()["count"] == 0
    own = as_user(org_account).get("/credit-lists").json()
    assert [i["uscc"] for i in own["items"]] == [city.city_org.uscc]


def test_credit_list_rejects_an_unknown_list(city, city_registrar, as_user):
    response = as_user(city_registrar).get("/credit-lists", list="grey")
    assert response.status_code == 422


def _manual(org, **overrides):
    body = {
        "organization": org.uscc,
        "ground": ListingGround.DISHONEST_DEBTOR,
        "evidence": "（2026）鲁1102执123号，被列为失信被执行人。",
        "facts_on": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "decision_document": "日民社决〔2026〕20号",
    }
    body.update(overrides)
    return body


def test_manual_listing_through_the_api_needs_a_decision_document(city, officer, as_user):
    response = as_user(officer).post("/credit-lists", _manual(city.city_org, decision_document=""))
    assert response.status_code == 422
    assert response.json()["errors"]["decision_document"] == [
        "人工列入须有决定书，请填写决定书文号。"
    ]
    assert not CreditListing.objects.exists()
    assert not AuditLog.objects.filter(action="credit_listing.list_manual").exists()


def test_manual_listing_through_the_api_takes_effect(city, officer, as_user):
    response = as_user(officer).post("/credit-lists", _manual(city.city_org))
    assert response.status_code == 201
    item = response.json()
    assert (item["list"], item["rule"], item["state"]) == ("serious", "CR-4", "listed")
    assert item["listed_on"] == timezone.localdate().isoformat()
    assert item["delist_earliest"] is not None
    # The uniform process endpoint reads the same item.
    assert as_user(officer).get(f"/credit_listing/{item['id']}").status_code == 200


def test_manual_listing_is_refused_to_an_organization_account(city, org_account, as_user):
    response = as_user(org_account).post("/credit-lists", _manual(city.city_org))
    assert response.status_code == 403
    assert not CreditListing.objects.exists()


def test_manual_listing_outside_the_officers_scope_is_not_found(city, lanshan_registrar, as_user):
    response = as_user(lanshan_registrar).post("/credit-lists", _manual(city.donggang_org))
    assert response.status_code == 404
    assert not CreditListing.objects.exists()
