"""Departments: the list with per-department counts, and a department's responsibility map."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socorg.registry.models import Responsibility, ResponsibilityKind
from tests.factories import login, make_orgs

LIST = reverse("party:department_list")


def detail_url(department) -> str:
    return reverse("party:department_detail", args=[department.code])


def give_responsibility(orgs, department, **extra) -> None:
    Responsibility.objects.bulk_create(
        Responsibility(
            organization=org,
            department=department,
            kind=ResponsibilityKind.COMPREHENSIVE_SUPERVISION,
            effective_from=date(2022, 5, 1),
            **extra,
        )
        for org in orgs
    )


def row(response, code: str):
    return next(d for d in response.context["departments"] if d.code == code)


def test_department_list_counts_organizations_in_scope(client, city, city_registrar) -> None:
    make_orgs(city.donggang, 2, supervisory_unit=city.edu)
    give_responsibility([city.donggang_org, city.lanshan_org], city.party)
    give_responsibility([city.city_org], city.party, effective_to=date(2023, 1, 1))  # ended
    response = login(client, city_registrar).get(LIST)
    assert response.status_code == 200
    assert row(response, "EDU").supervised_count == 3
    assert row(response, "EDU").regulated_count == 0
    assert row(response, "LXGW").responsible_count == 2


def test_counts_stay_within_the_district_registrars_scope(client, city, donggang_registrar) -> None:
    give_responsibility([city.donggang_org, city.lanshan_org], city.party)
    response = login(client, donggang_registrar).get(LIST)
    assert row(response, "LXGW").responsible_count == 1


def test_liaison_sees_only_own_department(client, city, edu_liaison) -> None:
    response = login(client, edu_liaison).get(LIST)
    assert [d.code for d in response.context["departments"]] == ["EDU"]
    assert login(client, edu_liaison).get(detail_url(city.party)).status_code == 404


def test_organization_account_may_not_open_departments(client, city, org_account) -> None:
    assert login(client, org_account).get(LIST).status_code == 403


def test_department_detail_lists_its_responsibility_map(
    client, city, city_registrar, joint_document
) -> None:
    give_responsibility([city.donggang_org], city.party, source_document=joint_document)
    response = login(client, city_registrar).get(detail_url(city.party))
    body = response.content.decode()
    assert city.donggang_org.name in body
    assert "综合监管" in body and "日民发〔2022〕8号" in body


def test_department_detail_is_paginated(client, city, city_registrar) -> None:
    give_responsibility(make_orgs(city.city, 23), city.party)
    client = login(client, city_registrar)
    first = client.get(detail_url(city.party))
    assert len(first.context["page"].rows) == 20 and first.context["page"].total == 23
    assert len(client.get(detail_url(city.party), {"page": 2}).context["page"].rows) == 3


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_department_pages_queries_do_not_grow_with_rows(
    client, city, city_registrar, django_assert_max_num_queries
) -> None:
    client = login(client, city_registrar)
    client.get(LIST)
    give_responsibility(make_orgs(city.city, 3, supervisory_unit=city.edu), city.party)
    few = (_queries(client, LIST), _queries(client, detail_url(city.party)))
    give_responsibility(make_orgs(city.city, 27, supervisory_unit=city.edu), city.party)
    many = (_queries(client, LIST), _queries(client, detail_url(city.party)))
    assert many == few
    with django_assert_max_num_queries(10):
        client.get(LIST)
    # Two of them are the department's liaisons and its training record.
    with django_assert_max_num_queries(14):
        client.get(detail_url(city.party))


def test_department_list_filters_by_kind_and_name(client, city, city_registrar) -> None:
    client = login(client, city_registrar)
    by_kind = client.get(LIST, {"kind": "party_building_body"})
    assert [d.code for d in by_kind.context["departments"]] == ["LXGW"]
    by_name = client.get(LIST, {"q": "教育"})
    assert [d.code for d in by_name.context["departments"]] == ["EDU"]
    assert client.get(LIST, {"kind": "bogus"}).status_code == 200
