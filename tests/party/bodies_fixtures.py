"""Helpers of the party-building bodies' tests; the ``bodies`` fixture (the 两新工委 with two
industry committees under it, their reviewers, the 2022 joint document of six departments) is
in ``conftest``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socorg.core.models import User
from socorg.party.models import AffiliationReason, PartyAffiliation, PartyBody
from socorg.registry.models import Organization, SourceDocument

JOINT_NUMBER = "日组通〔2022〕8号"


@dataclass
class Bodies:
    top: PartyBody
    edu: PartyBody
    health: PartyBody
    document: SourceDocument
    top_reviewer: User
    edu_reviewer: User


def affiliate(org: Organization, body: PartyBody, on: date = date(2019, 1, 1)) -> PartyAffiliation:
    """A first affiliation, as the demo records the roster before the 2022 adjustment."""
    return PartyAffiliation.objects.create(
        organization=org, body=body, changed_on=on, reason=AffiliationReason.INITIAL
    )
