"""Fixtures of the credit-list tests (imported by the test modules that use them, so that the
folder needs no shared conftest): an enforcement officer of the city, the JSON client, and
listings of the city's organizations in the states the people's side handles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from socorg.core.models import Role, User
from socorg.registry.models import Organization
from socorg.supervision.models import (
    CreditList,
    CreditListing,
    ListingGround,
    ListingSource,
    ListingState,
)
from tests import factories as f
from tests.core.api.conftest import as_user

__all__ = ["as_user"]


@pytest.fixture
def officer(city: Any) -> User:
    return f.user("enforcement_officer", Role.ENFORCEMENT_OFFICER, jurisdiction=city.city)


def make_listing(
    organization: Organization,
    *,
    state: str = ListingState.LISTED,
    ground: str = ListingGround.ANNUAL_REPORT_NOT_FILED,
    evidence: dict[str, Any] | None = None,
    respond_by: date | None = None,
    listed_on: date | None = None,
) -> CreditListing:
    """A listing as the sweep leaves it: noticed with a window, or in force."""
    today = timezone.localdate()
    is_listed = state != ListingState.NOTICED
    on = listed_on or today - timedelta(days=30)
    return CreditListing.objects.create(
        organization=organization,
        list=CreditList.ABNORMAL,
        ground=ground,
        rule_id="CR-2",
        evidence=evidence if evidence is not None else {"years": [2023, 2024]},
        state=state,
        source=ListingSource.SWEEP,
        noticed_on=on - timedelta(days=20),
        respond_by=respond_by or on - timedelta(days=6),
        listed_on=on if is_listed else None,
        clock_started_on=on if is_listed else None,
    )
