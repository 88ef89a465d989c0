"""A small registry to search: the city cast plus names chosen for the edges of substring
search (one- and two-character terms, Latin letters in either case, LIKE wildcards, a street
under a district)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from socorg.core.models import Jurisdiction, JurisdictionLevel
from socorg.registry.models import Category, Organization, OrgStatus, OrgType
from tests import factories as f
from tests.conftest import City

NAMES = (
    "日照市IT服务中心",
    "日照市it培训学校",
    "日照市幼儿教育促进会",
    "日照市东港区阳光幼儿园",
    "日照市50%_公益基金会",
    "日照市渔具商会",
    "日照市协会之家",
    "幼",
    "日照市老年书法研究会",
    "日照市ＩＴ联合会",
)


@dataclass
class Registry:
    city: City
    street: Jurisdiction
    street_org: Organization
    deregistered: Organization
    by_name: dict[str, Organization]

    def all(self) -> list[Organization]:
        return list(Organization.objects.order_by("name", "id"))


@pytest.fixture
def registry(city: City) -> Registry:
    street = f.jurisdiction("371102001", "日照街道", JurisdictionLevel.STREET, city.donggang)
    by_name = {name: f.organization(where=city.city, name=name) for name in NAMES}
    street_org = f.organization(
        where=street,
        name="日照市东港区日照街道幼儿舞蹈协会",
        org_type=OrgType.COMMUNITY_ORGANIZATION,
        status=OrgStatus.FILED,
        category=Category.CULTURE,
    )
    deregistered = f.organization(
        where=city.lanshan, name="日照市岚山区书法协会", status=OrgStatus.DEREGISTERED
    )
    return Registry(city, street, street_org, deregistered, by_name)
