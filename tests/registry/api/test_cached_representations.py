"""The organization detail is served from a cache keyed by the organization's version: a write
is visible on the very next read, a conditional request gets 304 only while nothing changed,
and the cache never widens anyone's data scope."""

from __future__ import annotations

from datetime import date

from django.core.cache import caches

from socorg.core.representations import LOCAL_CACHE
from socorg.core.tokens import token_create
from socorg.registry.models import Branch, BranchKind, Organization
from socorg.registry.services import branch_update, organization_change_apply
from tests.core.api.conftest import API


def detail(client, org, **headers):
    return client.get(f"{API}/organizations/{org.uscc}", headers=headers)


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(user=user)[1]}"}


def read_filling_cache(client, org, capture, **headers):
    """A read whose representation is stored (as it is once the request's reads commit)."""
    with capture(execute=True):
        return detail(client, org, **headers)


def test_api_detail_write_is_visible_on_next_read(
    city, city_registrar, client, django_capture_on_commit_callbacks
) -> None:
    auth = bearer(city_registrar)
    first = read_filling_cache(client, city.city_org, django_capture_on_commit_callbacks, **auth)
    assert first.json()["domicile"] == "日照市东港区测试路1号"
    assert len(caches[LOCAL_CACHE]._cache) >= 1  # type: ignore[attr-defined]

    organization_change_apply(
        actor=city_registrar,
        organization=city.city_org,
        changes={"domicile": "日照市东港区海曲中路2号"},
        application_id=1,
    )

    again = detail(client, city.city_org, **auth)
    assert again.json()["domicile"] == "日照市东港区海曲中路2号"
    assert again["ETag"] != first["ETag"]


def test_api_detail_change_of_a_dependent_row_is_visible_on_next_read(
    city, city_registrar, profiled_org, client, django_capture_on_commit_callbacks
) -> None:
    """A branch, a principal, an event: rows of their own tables, shown in the detail."""
    auth = bearer(city_registrar)
    first = read_filling_cache(client, profiled_org, django_capture_on_commit_callbacks, **auth)
    branch = Branch.objects.get(parent=profiled_org)
    assert [b["status"] for b in first.json()["branches"]] == ["registered"]

    branch_update(actor=city_registrar, branch=branch, values={"status": "deregistered"})

    assert [b["status"] for b in detail(client, profiled_org, **auth).json()["branches"]] == [
        "deregistered"
    ]


def test_api_detail_if_none_match_gets_304_until_the_organization_changes(
    city, city_registrar, client
) -> None:
    auth = bearer(city_registrar)
    tag = detail(client, city.city_org, **auth)["ETag"]
    assert tag.startswith('W/"')

    unchanged = detail(client, city.city_org, **auth, **{"If-None-Match": tag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    Branch.objects.create(
        parent=city.city_org,
        kind=BranchKind.BRANCH,
        name="日照市物流协会冷链分会",
        principal_name="赵六",
        established_on=date(2024, 1, 1),
    )
    changed = detail(client, city.city_org, **auth, **{"If-None-Match": tag})
    assert changed.status_code == 200
    assert [b["name"] for b in changed.json()["branches"]] == ["日照市物流协会冷链分会"]


def test_api_detail_cached_for_one_user_is_404_outside_another_users_scope(
    city, city_registrar, donggang_registrar, client, django_capture_on_commit_callbacks
) -> None:
    """The city registrar's read fills the cache; the 东港区 registrar still cannot see the
    city-level organization, not even by sending its ETag."""
    city_read = read_filling_cache(
        client, city.city_org, django_capture_on_commit_callbacks, **bearer(city_registrar)
    )
    assert city_read.status_code == 200
    district = bearer(donggang_registrar)
    assert detail(client, city.city_org, **district).status_code == 404
    probe = detail(client, city.city_org, **district, **{"If-None-Match": city_read["ETag"]})
    assert probe.status_code == 404


def test_api_detail_read_in_a_rolled_back_transaction_is_never_cached(
    city, city_registrar, client
) -> None:
    """Only committed reads fill the cache (under the test's own transaction nothing does)."""
    response = detail(client, city.city_org, **bearer(city_registrar))
    assert response.status_code == 200
    assert not caches[LOCAL_CACHE]._cache  # type: ignore[attr-defined]


def test_organization_version_rises_on_every_save_even_from_stale_copies(city) -> None:
    """Two copies loaded at the same version, both saved: two different versions, so a
    representation built from the first write can never be served for the second."""
    one = Organization.objects.get(pk=city.city_org.pk)
    two = Organization.objects.get(pk=city.city_org.pk)
    start = one.version
    one.domicile = "甲"
    one.save()
    after_one = one.version  # read back after the save
    two.domicile = "乙"
    two.save(update_fields=["domicile"])
    assert (after_one, two.version) == (start + 1, start + 2)
