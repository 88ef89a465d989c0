"""Credit lists, the people's side (CR-2 … CR-5): an officer lists an organization by decision,
the organization answers a notice within its window and applies to be delisted, an officer
decides (through the ``credit_listing`` process), and officers record their attempts to reach
an organization (the sweep's "cannot be contacted" ground reads them).

Every write checks the actor's permission, writes its audit row in the same transaction and
changes a listing's state only through ``core.workflow``."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import workflow
from socorg.core.access import require_perm
from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.core.params import param
from socorg.registry.access import scope_organizations
from socorg.registry.models import EventKind, Organization
from socorg.registry.services.organizations import organization_event_record
from socorg.supervision.models import (
    ContactAttempt,
    ContactKind,
    ContactResult,
    CreditListing,
    ListingGround,
    ListingSource,
    ListingState,
)
from socorg.supervision.models.credit import OPEN_LISTING_STATES
from socorg.supervision.rules import listings as rules

CREDIT_LISTING = "credit_listing"


def _require_in_scope(actor: User, organization: Organization) -> None:
    if not scope_organizations(actor).filter(pk=organization.pk).exists():
        raise ValidationError(_("该社会组织不在您的数据范围内。"))


def _earliest(ground: str, clock_started_on: date, organization: Organization) -> date | None:
    """CR-3, CR-5: the earliest delisting date with the parameters in force for the
    organization's jurisdiction."""
    where = organization.jurisdiction
    return rules.delist_earliest(
        ground=ground,
        clock_started_on=clock_started_on,
        auto_months=int(
            param("CR-3.auto_delisting_months", on=clock_started_on, jurisdiction=where)
        ),
        clean_years=int(param("CR-5.clean_years", on=clock_started_on, jurisdiction=where)),
    )


def listing_create_manual(
    *,
    actor: User,
    organization: Organization,
    ground: str,
    evidence_text: str,
    facts_on: date | None,
    decision_document: str,
) -> CreditListing:
    """List ``organization`` by decision (CR-2, CR-4): it takes effect at once with its
    decision document. The organization's other open listings on the same list restart their
    clock (CR-3: a new ground while listed)."""
    require_perm(actor, "credit.list")
    _require_in_scope(actor, organization)
    decision_document = decision_document.strip()
    evidence_text = evidence_text.strip()
    errors: dict[str, list[str]] = {}
    if ground not in ListingGround.values:
        errors["ground"] = [_("请选择列入事由。")]
    if not decision_document:
        errors["decision_document"] = [_("人工列入须有决定书，请填写决定书文号。")]
    if not evidence_text:
        errors["evidence_text"] = [_("请写明列入所依据的事实。")]
    today = timezone.localdate()
    if facts_on is not None and facts_on > today:
        errors["facts_on"] = [_("事实发生日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    list_code = rules.list_of(ground)
    evidence: dict[str, str] = {"text": evidence_text}
    if facts_on is not None:
        evidence["on"] = facts_on.isoformat()
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        open_listings = CreditListing.objects.filter(
            organization=organization, list=list_code, state__in=OPEN_LISTING_STATES
        )
        if open_listings.filter(ground=ground).exists():
            raise ValidationError(
                {"ground": [_("该组织已因同一事由在列或正在告知，不能重复列入。")]}
            )
        listing = CreditListing.objects.create(
            organization=organization,
            list=list_code,
            ground=ground,
            rule_id=rules.rule_of(ground),
            evidence=evidence,
            state=ListingState.LISTED,
            source=ListingSource.MANUAL,
            listed_on=today,
            clock_started_on=today,
            delist_earliest=_earliest(ground, today, organization),
            decision_document=decision_document,
            decided_by=actor,
        )
        restarted = []
        for other in open_listings.exclude(pk=listing.pk).filter(
            state__in=(ListingState.LISTED, ListingState.DELISTING_REQUESTED)
        ):
            other.clock_started_on = today
            other.delist_earliest = _earliest(other.ground, today, organization)
            other.save(update_fields=["clock_started_on", "delist_earliest", "updated_at"])
            restarted.append(other.pk)
        organization_event_record(
            organization=organization,
            kind=EventKind.LISTED,
            reason=ground,
            on=today,
            details={
                "list": list_code,
                "rule": listing.rule_id,
                "evidence": evidence,
                "decision_document": decision_document,
            },
        )
        audit_record(
            actor=actor,
            action="credit_listing.list_manual",
            obj=listing,
            after={
                "organization": organization.pk,
                "list": list_code,
                "ground": ground,
                "evidence": evidence,
                "decision_document": decision_document,
                "delist_earliest": str(listing.delist_earliest or ""),
                "clock_restarted": restarted,
            },
        )
        workflow.start(process=workflow.get_process(CREDIT_LISTING), obj=listing)
    return listing


def listing_respond(*, actor: User, listing: CreditListing, response: str) -> CreditListing:
    """The organization answers the notice before an automatic listing (CR-2 due process),
    up to and including the last day of the window. The answer is an event of its history;
    an officer (or the sweep, when the ground is cured) decides on it."""
    require_perm(actor, "credit.respond")
    response = response.strip()
    if not response:
        raise ValidationError({"response": [_("请填写陈述申辩意见。")]})
    with transaction.atomic():
        locked = CreditListing.objects.select_for_update().get(pk=listing.pk)
        if locked.organization_id != actor.organization_id:
            raise ValidationError(_("只能对本组织收到的告知提出陈述申辩。"))
        if locked.state != ListingState.NOTICED:
            raise ValidationError(
                {
                    "response": [
                        _("该记录已不在陈述申辩阶段（当前状态：%(state)s）。")
                        % {"state": locked.get_state_display()}
                    ]
                }
            )
        if locked.responded_on is not None:
            raise ValidationError(
                {
                    "response": [
                        _("已于 %(d)s 提交陈述申辩意见，不能重复提交。")
                        % {"d": locked.responded_on}
                    ]
                }
            )
        today = timezone.localdate()
        if not rules.may_respond(respond_by=locked.respond_by, today=today):
            raise ValidationError(
                {
                    "response": [
                        _(
                            "陈述申辩期限已于 %(d)s 届满，不能再提交；如有异议，请与登记管理机关联系。"
                        )
                        % {"d": locked.respond_by or "—"}
                    ]
                }
            )
        locked.response = response
        locked.responded_on = today
        locked.save(update_fields=["response", "responded_on", "updated_at"])
        organization_event_record(
            organization=locked.organization,
            kind=EventKind.LISTING_NOTICED,
            reason=locked.ground,
            on=today,
            details={"list": locked.list, "rule": locked.rule_id, "responded": True},
            is_public=False,
        )
        audit_record(
            actor=actor,
            action="credit_listing.respond",
            obj=locked,
            after={"response": response, "responded_on": today.isoformat()},
        )
    listing.response, listing.responded_on = locked.response, locked.responded_on
    return listing


def listing_apply_delisting(
    *, actor: User, listing: CreditListing, statement: str, expected_state: str | None = None
) -> CreditListing:
    """The organization applies to be delisted after meeting its duty (CR-3); an officer
    verifies and decides within the clock the application starts."""
    require_perm(actor, "credit.respond")
    if not statement.strip():
        raise ValidationError({"statement": [_("请说明已履行的义务或已纠正的情况。")]})
    return workflow.fire(
        process=workflow.get_process(CREDIT_LISTING),
        key=listing.pk,
        action="apply_delisting",
        actor=actor,
        comment=statement,
        expected_state=expected_state,
    )


def contact_attempt_record(
    *,
    actor: User,
    organization: Organization,
    kind: str,
    made_on: date,
    result: str,
    note: str = "",
) -> ContactAttempt:
    """One attempt to reach the organization (a registered letter, a call, a visit) with its
    result; two returned letters at the right distance are the sweep's "cannot be contacted"
    ground (CR-2)."""
    require_perm(actor, "contact.record")
    _require_in_scope(actor, organization)
    note = note.strip()
    errors: dict[str, list[str]] = {}
    if kind not in ContactKind.values:
        errors["kind"] = [_("请选择联系方式。")]
    if result not in ContactResult.values:
        errors["result"] = [_("请选择联系结果。")]
    if made_on > timezone.localdate():
        errors["made_on"] = [_("联系日期不能晚于今天。")]
    if len(note) > 200:
        errors["note"] = [_("说明不能超过 200 个字符。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(
            organization=organization,
            kind=kind,
            made_on=made_on,
            result=result,
            note=note,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="contact_attempt.record",
            obj=attempt,
            after={
                "organization": organization.pk,
                "kind": kind,
                "made_on": made_on.isoformat(),
                "result": result,
                "note": note,
            },
        )
    return attempt
