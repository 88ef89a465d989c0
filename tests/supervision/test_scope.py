"""The supervision records a user sees are exactly those of the organizations the registry lets
them see: the direct condition ``in_organization_scope`` writes for each role keeps the same
records as the registry's own organization scope."""

from __future__ import annotations

import pytest

from socorg.core.models import Role
from socorg.registry.access import scope_organizations
from socorg.supervision.access import scope_annual_reports, scope_listings
from socorg.supervision.models import CreditListing
from tests import factories as f
from tests.supervision.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(city, city_registrar, donggang_registrar, edu_liaison, org_account):
    auditor = f.user("auditor", Role.AUDITOR, jurisdiction=city.city)
    nobody = f.user("admin", Role.ADMINISTRATOR, jurisdiction=city.city)
    stray = f.user("stray_org", Role.ORGANIZATION)  # an organization account with no organization
    return [city_registrar, donggang_registrar, edu_liaison, org_account, auditor, nobody, stray]


def test_each_role_sees_the_reports_and_listings_of_exactly_its_organizations(
    city, everyone
) -> None:
    orgs = [city.donggang_org, city.lanshan_org, city.city_org, city.edu_org]
    for org in orgs:
        report(org, 2025, "submitted")
        CreditListing.objects.create(
            organization=org,
            list="abnormal",
            ground="annual_report_not_filed",
            rule_id="CR-2",
            source="sweep",
        )
    for user in everyone:
        visible = set(scope_organizations(user).values_list("pk", flat=True))
        reports = set(scope_annual_reports(user).values_list("organization_id", flat=True))
        listings = set(scope_listings(user).values_list("organization_id", flat=True))
        if reports:  # roles that may read reports see those of their organizations, no other
            assert reports == visible, user.username
        if listings:
            assert listings == visible, user.username
    assert set(scope_annual_reports(everyone[3]).values_list("organization_id", flat=True)) == {
        city.city_org.pk
    }
    assert set(scope_annual_reports(everyone[1]).values_list("organization_id", flat=True)) == {
        city.donggang_org.pk
    }
    assert not scope_annual_reports(everyone[6]).exists()
