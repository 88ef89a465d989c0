"""The demo's dormant-organization cleanup: the city's 2026 campaign, its candidates found by
the campaign's own finder (DO-1) on the data there is, and a few of them in each disposition
(DO-2). A handful of organizations get the contact attempts of an unreachable organization
(two registered letters returned, or the legal representative unanswered) so that the campaign
has candidates even before any annual report is loaded.

The dispositions never remove an organization: the seed's removal figures stay exact. The
candidates in the ``deregistered`` and ``revoked`` states are organizations the seed already
removed during the campaign, recorded with the outcome they had."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from socorg.core.models import User
from socorg.registry.models import EventKind, Organization, OrganizationEvent, OrgStatus
from socorg.supervision.models import (
    CandidateState,
    CleanupCampaign,
    ContactAttempt,
    ContactKind,
    ContactResult,
    DormantCandidate,
)
from socorg.supervision.services import campaigns as services

CAMPAIGN_NAME = "2026年“僵尸型”社会组织清理整治专项行动"
CAMPAIGN_DOCUMENT = "日民发〔2026〕5号"
STARTED_ON = date(2026, 3, 1)
ENDS_ON = date(2026, 12, 31)
UNREACHABLE = 16  # organizations made unreachable for the demo
# How many candidates end up in each disposition, in this order of the found candidates.
PLAN = (
    ("rectifying", 3),
    ("reactivated", 2),
    ("guided_deregistration", 2),
    ("revocation", 2),
    ("dismissed", 1),
)


def _letters(org: Organization, first: date, kind: str, result: str) -> list[ContactAttempt]:
    return [
        ContactAttempt(organization=org, kind=kind, made_on=first, result=result),
        ContactAttempt(
            organization=org, kind=kind, made_on=first + timedelta(days=30), result=result
        ),
    ]


def ensure_demo_campaign() -> int:
    """The campaign unless it exists; returns the number of candidates it has."""
    registrar = User.objects.filter(username="city_registrar").first()
    if registrar is None or CleanupCampaign.objects.filter(name=CAMPAIGN_NAME).exists():
        return 0
    registered = list(
        Organization.objects.filter(status=OrgStatus.REGISTERED, jurisdiction__code="371100")
        .exclude(contact_attempts__isnull=False)
        .order_by("uscc")[: UNREACHABLE * 7]
    )[::7]
    attempts: list[ContactAttempt] = []
    for n, org in enumerate(registered):
        if n % 2:
            attempts += _letters(org, date(2026, 4, 1), ContactKind.PHONE, ContactResult.UNREACHED)
        else:
            attempts += _letters(
                org, date(2026, 3, 16), ContactKind.REGISTERED_LETTER, ContactResult.RETURNED
            )
    ContactAttempt.objects.bulk_create(attempts)
    campaign = services.campaign_create(
        actor=registrar,
        name=CAMPAIGN_NAME,
        jurisdiction_code="371100",
        document=CAMPAIGN_DOCUMENT,
        started_on=STARTED_ON,
        ends_on=ENDS_ON,
    )
    services.campaign_find_candidates(actor=registrar, campaign=campaign)
    _dispose(campaign, registrar)
    _removed_during_campaign(campaign)
    return campaign.candidates.count()


def _dispose(campaign: CleanupCampaign, registrar: User) -> None:
    head = User.objects.get(username="division_head")
    candidates = list(campaign.candidates.order_by("id"))
    due = timezone.localdate() + timedelta(days=30)
    for state, count in PLAN:
        for candidate in candidates[:count]:
            pk = candidate.pk
            if state in ("rectifying", "reactivated"):
                services.candidate_set_rectification_due(actor=registrar, pk=pk, due=due)
                services.candidate_act(
                    actor=registrar, pk=pk, action="notify_rectification", comment=""
                )
            if state == "reactivated":
                services.candidate_act(
                    actor=registrar,
                    pk=pk,
                    action="confirm_reactivated",
                    comment="已恢复正常活动，补报年度工作报告并更新联系方式。",
                )
            if state == "guided_deregistration":
                services.candidate_act(
                    actor=registrar,
                    pk=pk,
                    action="guide_deregistration",
                    comment="约谈负责人，组织已同意自行清算并申请注销登记。",
                )
            if state == "revocation":
                services.candidate_act(
                    actor=registrar,
                    pk=pk,
                    action="propose_revocation",
                    comment="两次挂号信均被退回，通过住所无法取得联系，提请撤销登记。",
                )
            if state == "dismissed":
                services.candidate_act(
                    actor=head,
                    pk=pk,
                    action="dismiss",
                    comment="经实地走访，该组织正常开展活动，联系方式已变更。",
                )
        candidates = candidates[count:]


def _removed_during_campaign(campaign: CleanupCampaign) -> None:
    """Two organizations the seed deregistered and two it revoked during the campaign, as its
    concluded candidates (the seed's events stay the only removal events)."""
    for status, state, kind in (
        (OrgStatus.DEREGISTERED, CandidateState.DEREGISTERED, EventKind.DEREGISTERED),
        (OrgStatus.REVOKED, CandidateState.REVOKED, EventKind.REVOKED),
    ):
        for org in Organization.objects.filter(
            status=status, removed_on__gte=STARTED_ON, jurisdiction__code="371100"
        ).order_by("removed_on", "id")[:2]:
            event = OrganizationEvent.objects.filter(organization=org, kind=kind).first()
            first = org.removed_on - timedelta(days=90) if org.removed_on else STARTED_ON
            letters = _letters(org, first, ContactKind.REGISTERED_LETTER, ContactResult.RETURNED)
            ContactAttempt.objects.bulk_create(letters)
            DormantCandidate.objects.create(
                campaign=campaign,
                organization=org,
                criteria=["unreachable"],
                evidence={"letters_returned": [c.made_on.isoformat() for c in letters]},
                state=state,
                decision_document=(event.details.get("decision_number", "") if event else "")
                if state == CandidateState.REVOKED
                else "",
                outcome_on=org.removed_on,
            )
