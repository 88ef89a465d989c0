"""The departments a user may see (the data scope of the party-building pages)."""

from __future__ import annotations

import pytest
from django.http import Http404

from socorg.party import access as party_access


def test_department_liaison_sees_only_own_department(city, edu_liaison) -> None:
    assert list(party_access.scope_departments(edu_liaison)) == [city.edu]


def test_district_registrar_sees_the_departments_above_their_district(
    city, donggang_registrar
) -> None:
    assert city.edu in party_access.scope_departments(donggang_registrar)
    with pytest.raises(Http404):
        party_access.access_department(donggang_registrar, "NO-SUCH")
