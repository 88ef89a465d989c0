"""The registry filters by removal date (``removed_from``, ``removed_to``, both inclusive) on
the organization list, its export and ``GET /api/v1/organizations``."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from socorg.core.models import AuditLog
from socorg.registry import selectors
from socorg.registry.models import OrgStatus
from tests import factories as f

LIST = reverse("registry:organization_list")
EXPORT = reverse("registry:organization_export")


@pytest.fixture
def removed(city) -> dict[str, str]:
    """Deregistered on the last day of 2019, the first day of 2020 and in 2023; revoked in 2021."""
    days = {
        "日照市旧城改造协会": (OrgStatus.DEREGISTERED, date(2019, 12, 31)),
        "日照市元旦协会": (OrgStatus.DEREGISTERED, date(2020, 1, 1)),
        "日照市渔具协会": (OrgStatus.DEREGISTERED, date(2023, 6, 30)),
        "日照市休眠协会": (OrgStatus.REVOKED, date(2021, 3, 1)),
    }
    for name, (status, day) in days.items():
        f.organization(where=city.city, name=name, status=status, removed_on=day)
    return {name: str(day) for name, (_status, day) in days.items()}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_selector_keeps_removals_within_the_bounds_inclusive(removed, city_registrar) -> None:
    def names(**bounds) -> set[str]:
        filters = selectors.OrganizationFilters(**bounds)
        return {o.name for o in selectors.organization_search(city_registrar, filters)}

    assert names(removed_from=date(2020, 1, 1)) == {
        "日照市元旦协会",
        "日照市渔具协会",
        "日照市休眠协会",
    }
    assert names(removed_to=date(2020, 1, 1)) == {"日照市旧城改造协会", "日照市元旦协会"}
    assert names(removed_from=date(2021, 3, 1), removed_to=date(2023, 6, 30)) == {
        "日照市休眠协会",
        "日照市渔具协会",
    }


def test_the_list_page_filters_by_removal_date_with_chinese_labels(removed, city_registrar) -> None:
    response = client_for(city_registrar).get(
        LIST, {"removed_from": "2020-01-01", "status": "deregistered"}
    )
    page = response.content.decode()
    assert "注销/撤销日期 从" in page and "注销/撤销日期 至" in page
    assert {o.name for o in response.context["page"].rows} == {"日照市元旦协会", "日照市渔具协会"}
    assert response.context["form"].active_filter_count == 2


def test_the_list_page_explains_bounds_in_the_wrong_order(removed, city_registrar) -> None:
    response = client_for(city_registrar).get(
        LIST, {"removed_from": "2023-01-01", "removed_to": "2020-01-01"}
    )
    assert "截止日期不能早于起始日期" in response.content.decode()
    assert response.context["filters"].removed_from == date(2023, 1, 1)
    assert response.context["filters"].removed_to is None


def test_the_export_applies_the_removal_dates(removed, city_registrar) -> None:
    response = client_for(city_registrar).get(
        EXPORT, {"removed_from": "2020-01-01", "removed_to": "2021-12-31"}
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    column = rows[0].index("注销/撤销日期")
    assert sorted((r[1], r[column].date().isoformat()) for r in rows[1:]) == [
        ("日照市休眠协会", "2021-03-01"),
        ("日照市元旦协会", "2020-01-01"),
    ]
    audit = AuditLog.objects.get(action="organization.export")
    assert audit.after["filters"]["removed_from"] == "2020-01-01"


def test_the_api_filters_by_removal_date(removed, city_registrar) -> None:
    response = client_for(city_registrar).get(
        "/api/v1/organizations", {"removed_from": "2020-01-01", "status": "deregistered"}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert {(i["name"], i["removed_on"]) for i in items} == {
        ("日照市元旦协会", "2020-01-01"),
        ("日照市渔具协会", "2023-06-30"),
    }
    bad = client_for(city_registrar).get("/api/v1/organizations", {"removed_to": "2020-13-01"})
    assert bad.status_code == 422
