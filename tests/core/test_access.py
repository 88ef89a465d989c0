from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from socorg.core import access
from socorg.registry import access as registry_access


def test_city_registrar_sees_every_district(city, city_registrar) -> None:
    names = set(registry_access.scope_organizations(city_registrar).values_list("name", flat=True))
    assert {city.donggang_org.name, city.lanshan_org.name, city.city_org.name} <= names


def test_district_registrar_sees_only_own_district(city, donggang_registrar) -> None:
    assert list(registry_access.scope_organizations(donggang_registrar)) == [city.donggang_org]


def test_out_of_scope_organization_does_not_exist_for_the_caller(city, donggang_registrar) -> None:
    with pytest.raises(Http404):
        registry_access.access_organization(donggang_registrar, city.lanshan_org.uscc)


def test_department_liaison_sees_only_supervised_organizations(city, edu_liaison) -> None:
    assert list(registry_access.scope_organizations(edu_liaison)) == [city.edu_org]


def test_organization_account_sees_only_itself(city, org_account) -> None:
    assert list(registry_access.scope_organizations(org_account)) == [city.city_org]


def test_liaison_may_not_write_registry(city, edu_liaison) -> None:
    with pytest.raises(PermissionDenied):
        registry_access.access_organization(edu_liaison, city.edu_org.uscc, write=True)


def test_user_without_role_is_denied_everything(city, django_user_model) -> None:
    nobody = django_user_model.objects.create(username="nobody")
    assert not registry_access.scope_organizations(nobody).exists()
    assert not any(access.has_perm(nobody, p) for p in access.PERMISSIONS)
