"""Set-wise firing (``core.workflow.fire_set``) and bulk audit rows (``audit_record_many``):
the same guarantees as one click — only items in a source state move, each move has its
transition and audit row, the chain stays intact, firing twice moves nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from socorg.core.audit import AuditEntry, audit_record_many, verify_chain
from socorg.core.models import AuditLog, Role, Transition
from socorg.core.workflow import ActionRefused, fire_set, get_process
from socorg.registry.models import EventKind, OrganizationEvent
from socorg.supervision.models import (
    CreditList,
    CreditListing,
    ListingGround,
    ListingSource,
    ListingState,
)
from tests import factories as f

L = ListingState


def noticed(org: Any, ground: str = ListingGround.ANNUAL_REPORT_NOT_FILED) -> CreditListing:
    return CreditListing.objects.create(
        organization=org,
        list=CreditList.ABNORMAL,
        ground=ground,
        rule_id="CR-2",
        evidence={"years": [2025]},
        state=L.NOTICED,
        source=ListingSource.SWEEP,
        noticed_on=date(2026, 9, 28),
        respond_by=date(2026, 10, 16),
    )


def test_fire_set_moves_only_items_in_a_source_state_with_their_rows(city) -> None:
    orgs = f.make_orgs(city.donggang, 3)
    items = [noticed(org) for org in orgs]
    CreditListing.objects.filter(pk=items[2].pk).update(state=L.CANCELLED)
    process = get_process("credit_listing")
    audit_before = AuditLog.objects.count()

    moved = fire_set(
        process=process,
        ids=[item.pk for item in items],
        action="take_effect",
        actor=None,
        on=date(2026, 10, 17),
    )

    assert sorted(moved) == sorted([items[0].pk, items[1].pk])
    states = dict(CreditListing.objects.values_list("pk", "state"))
    assert [states[item.pk] for item in items] == [L.LISTED, L.LISTED, L.CANCELLED]
    assert Transition.objects.filter(process="credit_listing", action="take_effect").count() == 2
    assert AuditLog.objects.count() == audit_before + 2
    assert OrganizationEvent.objects.filter(kind=EventKind.LISTED).count() == 2
    assert CreditListing.objects.get(pk=items[0].pk).listed_on == date(2026, 10, 17)
    assert verify_chain().ok
    # Firing again moves nothing and writes nothing.
    assert (
        fire_set(process=process, ids=[i.pk for i in items], action="take_effect", actor=None) == []
    )
    assert AuditLog.objects.count() == audit_before + 2


def test_fire_set_checks_the_role_of_a_person_and_the_required_comment(city) -> None:
    item = noticed(city.donggang_org)
    process = get_process("credit_listing")
    clerk = f.user("clerk", Role.REGISTRAR, jurisdiction=city.city)
    with pytest.raises(PermissionDenied):
        fire_set(process=process, ids=[item.pk], action="take_effect", actor=clerk)
    with pytest.raises(ActionRefused):
        fire_set(process=process, ids=[item.pk], action="cancel", actor=None)
    assert CreditListing.objects.get(pk=item.pk).state == L.NOTICED


def test_audit_record_many_keeps_the_chain_linked_and_signed(db) -> None:
    with transaction.atomic():
        written = audit_record_many(
            actor=None,
            entries=(
                AuditEntry(
                    action="test.bulk", object_type="test.thing", object_id=n, after={"n": n}
                )
                for n in range(7)
            ),
            batch_size=3,
        )
    assert written == 7
    seqs = list(AuditLog.objects.order_by("id").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + 7))
    assert verify_chain().ok
