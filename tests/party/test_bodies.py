"""Party-building bodies and affiliation: an affiliation change is an event carrying its
adjusting document (API and page), the committees' counts, the party reviewer's scope (their
body and the bodies under it), and the bulk re-affiliation through the shared workbook import —
all rows or none."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from socorg.core.models import AuditLog, TaskProgress
from socorg.party.models import AffiliationReason, PartyAffiliation
from socorg.party.rules import affiliations as rules
from socorg.registry.models import OrgStatus
from tests import factories as f
from tests.party.bodies_fixtures import JOINT_NUMBER, affiliate
from tests.party.helpers import upload, workbook


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post("/api/v1" + path, json.dumps(body), content_type="application/json")


@pytest.fixture
def moved(city, bodies):
    """日照市教育学会 under the 两新工委 since 2019."""
    affiliate(city.edu_org, bodies.top)
    return city.edu_org


def test_an_affiliation_change_through_the_api_carries_its_document_and_its_six_issuers(
    city,
    bodies,
    moved,
    city_registrar,
) -> None:
    client = api(city_registrar)
    response = post(
        client,
        "/party/affiliations",
        {
            "organization": moved.uscc,
            "body": "HYDW-EDU",
            "changed_on": "2022-02-15",
            "document": bodies.document.pk,
        },
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert (item["body"], item["previous_body"], item["reason"]) == (
        "HYDW-EDU",
        "LXGW",
        "adjustment",
    )
    assert item["document"]["number"] == JOINT_NUMBER and item["document"]["issuers"] == 6

    history = client.get(f"/api/v1/party/affiliations/{moved.uscc}").json()
    assert history["current"] == "HYDW-EDU"
    assert [(i["changed_on"], i["body"]) for i in history["items"]] == [
        ("2019-01-01", "LXGW"),
        ("2022-02-15", "HYDW-EDU"),
    ]
    assert history["items"][1]["document"]["issuers"] == 6
    assert AuditLog.objects.filter(action="party.affiliation_change").count() == 1


def test_an_adjustment_without_its_document_is_refused_and_nothing_is_written(
    bodies,
    moved,
    city_registrar,
) -> None:
    response = post(
        api(city_registrar),
        "/party/affiliations",
        {"organization": moved.uscc, "body": "HYDW-EDU", "changed_on": "2022-02-15"},
    )
    assert response.status_code == 422
    assert "调整依据文件" in response.content.decode()
    assert PartyAffiliation.objects.filter(organization=moved).count() == 1


def test_a_move_dated_before_the_current_affiliation_began_is_refused(
    bodies,
    moved,
    city_registrar,
) -> None:
    body = {"organization": moved.uscc, "body": "HYDW-EDU", "changed_on": "2018-06-01"}
    response = post(
        api(city_registrar), "/party/affiliations", {**body, "document": bodies.document.pk}
    )
    assert response.status_code == 422
    assert "早于其现隶属关系" in response.content.decode()


def test_the_affiliation_page_records_a_change_and_shows_its_document(
    client,
    bodies,
    moved,
    city_registrar,
) -> None:
    client.force_login(city_registrar)
    url = f"/party/affiliations/{moved.uscc}/"
    response = client.post(
        url,
        {"body": bodies.edu.pk, "changed_on": "2022-02-15", "source_document": bodies.document.pk},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert JOINT_NUMBER in page and "6 个部门联合发文" in page
    assert "中共日照市教育行业委员会" in page
    # Without the document the page says why and keeps the old affiliation.
    refused = client.post(url, {"body": bodies.health.pk, "changed_on": "2023-01-01"})
    assert (
        refused.status_code == 400 and "调整隶属关系须注明调整依据文件" in refused.content.decode()
    )
    assert PartyAffiliation.objects.filter(organization=moved).count() == 2


def test_the_bodies_page_counts_the_joint_document_issuers_and_moves(
    client,
    city,
    bodies,
    moved,
    city_registrar,
) -> None:
    PartyAffiliation.objects.create(
        organization=moved,
        body=bodies.edu,
        previous_body=bodies.top,
        changed_on=date(2022, 2, 15),
        reason=AffiliationReason.ADJUSTMENT,
        source_document=bodies.document,
    )
    client.force_login(city_registrar)
    page = client.get("/party/bodies/").content.decode()
    assert "6 个部门联合发文" in page and "调整 1 个社会组织" in page
    detail = client.get("/party/bodies/?body=HYDW-EDU").content.decode()
    assert "日照市教育学会" in detail


def test_committees_count_each_bodys_organizations_in_force_today(
    city,
    bodies,
    moved,
    city_registrar,
) -> None:
    affiliate(city.city_org, bodies.health)
    removed = f.organization(where=city.city, status=OrgStatus.DEREGISTERED)
    affiliate(removed, bodies.health, date(2019, 1, 1))
    PartyAffiliation.objects.create(
        organization=moved,
        body=bodies.edu,
        previous_body=bodies.top,
        changed_on=date(2022, 2, 15),
        reason=AffiliationReason.ADJUSTMENT,
        source_document=bodies.document,
    )
    items = api(city_registrar).get("/api/v1/party/committees").json()["items"]
    counts = {i["code"]: i["organizations"] for i in items}
    assert counts == {"LXGW": 0, "HYDW-EDU": 1, "HYDW-WJW": 1}
    assert {i["code"]: i["parent"] for i in items}["HYDW-EDU"] == "LXGW"


def test_a_committee_reviewer_sees_the_organizations_of_its_committee_only(
    city,
    bodies,
    moved,
) -> None:
    affiliate(city.city_org, bodies.edu)
    affiliate(city.donggang_org, bodies.health)
    as_edu = api(bodies.edu_reviewer)
    assert as_edu.get(f"/api/v1/party/affiliations/{city.city_org.uscc}").status_code == 200
    assert as_edu.get(f"/api/v1/party/affiliations/{city.donggang_org.uscc}").status_code == 404
    assert as_edu.get(f"/party/affiliations/{city.donggang_org.uscc}/").status_code == 404
    counts = {
        i["code"]: i["organizations"]
        for i in as_edu.get("/api/v1/party/committees").json()["items"]
    }
    assert counts == {"LXGW": 0, "HYDW-EDU": 1, "HYDW-WJW": 0}


def test_the_new_sectors_committee_reviewer_sees_the_organizations_of_every_committee_under_it(
    city,
    bodies,
    moved,
) -> None:
    affiliate(city.city_org, bodies.edu)
    affiliate(city.donggang_org, bodies.health)
    as_top = api(bodies.top_reviewer)
    for org in (moved, city.city_org, city.donggang_org):
        assert as_top.get(f"/api/v1/party/affiliations/{org.uscc}").status_code == 200
    assert as_top.get(f"/api/v1/party/affiliations/{city.lanshan_org.uscc}").status_code == 404
    counts = {
        i["code"]: i["organizations"]
        for i in as_top.get("/api/v1/party/committees").json()["items"]
    }
    assert counts == {"LXGW": 1, "HYDW-EDU": 1, "HYDW-WJW": 1}


# --- the bulk re-affiliation ----------------------------------------------------------------------


def reaffiliation(rows: list[list[Any]]) -> bytes:
    return workbook(rows, headers=rules.WORKBOOK.headers)


def submit(client, captured, data: bytes, document: int) -> TaskProgress:
    with captured(execute=True):
        response = client.post(
            "/party/affiliations/import/",
            {"file": upload(data, "隶属关系.xlsx"), "document": document},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return TaskProgress.objects.latest("id")


def test_a_clean_reaffiliation_workbook_moves_every_row_with_its_document(
    client,
    city,
    bodies,
    moved,
    city_registrar,
    django_capture_on_commit_callbacks,
) -> None:
    affiliate(city.city_org, bodies.top)
    client.force_login(city_registrar)
    data = reaffiliation(
        [
            [moved.uscc, moved.name, "HYDW-EDU", None, "2022-02-15", None],
            [
                city.city_org.uscc,
                city.city_org.name,
                None,
                "中共日照市卫生健康行业委员会",
                "2022-02-15",
                "划转",
            ],
        ]
    )
    progress = submit(client, django_capture_on_commit_callbacks, data, bodies.document.pk)
    assert progress.status == TaskProgress.Status.SUCCEEDED, progress.result
    assert progress.result["imported"] == 2
    moves = PartyAffiliation.objects.filter(reason=AffiliationReason.ADJUSTMENT).order_by("id")
    assert [(m.previous_body, m.body, m.source_document) for m in moves] == [
        (bodies.top, bodies.edu, bodies.document),
        (bodies.top, bodies.health, bodies.document),
    ]
    assert AuditLog.objects.filter(action="party.affiliation_import").count() == 1


def test_a_reaffiliation_workbook_with_one_bad_row_writes_nothing(
    client,
    city,
    bodies,
    moved,
    city_registrar,
    django_capture_on_commit_callbacks,
) -> None:
    affiliate(city.city_org, bodies.top)
    client.force_login(city_registrar)
    data = reaffiliation(
        [
            [moved.uscc, moved.name, "HYDW-EDU", None, "2022-02-15", None],
            [city.city_org.uscc, city.city_org.name, "HYDW-XXX", None, "2022-02-15", None],
            [city.donggang_org.uscc, city.donggang_org.name, "LXGW", None, "2099-01-01", None],
        ]
    )
    before = PartyAffiliation.objects.count()
    progress = submit(client, django_capture_on_commit_callbacks, data, bodies.document.pk)
    assert progress.status == TaskProgress.Status.FAILED
    errors = {(e["row"], e["column"]) for e in progress.result["errors"]}
    assert (3, rules.COL_BODY_CODE) in errors and (4, rules.COL_FROM) in errors
    assert all(row != 2 for row, _col in errors)
    assert PartyAffiliation.objects.count() == before
    page = client.get(f"/party/affiliations/import/?task={progress.pk}").content.decode()
    assert "HYDW-XXX" in page and "未导入任何数据" in page


def test_a_row_moving_an_organization_to_its_current_body_is_an_error(
    client,
    city,
    bodies,
    moved,
    city_registrar,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(city_registrar)
    data = reaffiliation([[moved.uscc, moved.name, "LXGW", None, "2022-02-15", None]])
    progress = submit(client, django_capture_on_commit_callbacks, data, bodies.document.pk)
    assert progress.status == TaskProgress.Status.FAILED
    assert "无需调整" in progress.result["errors"][0]["message"]
