"""Two division heads approve the same correction at the same moment, each on their own
database connection: exactly one wins, the other is told someone else handled it, and the
organization changes once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from socorg.core.audit import verify_chain
from socorg.core.models import AuditLog, Role, Transition
from socorg.core.workflow import StaleState, fire
from socorg.registry.models import CorrectionState, EventReason, OrganizationEvent
from socorg.registry.processes import DATA_CORRECTION
from socorg.registry.services import correction_propose
from tests import factories as f
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]

ROUNDS = 3


def _approve_at_once(correction_pk: int, actors: list[Any]) -> list[Any]:
    """Fire ``approve`` from one thread per actor, released together."""
    return at_once(
        [
            lambda actor=actor: fire(
                process=DATA_CORRECTION, key=correction_pk, action="approve", actor=actor
            )
            for actor in actors
        ]
    )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_concurrent_approvals_change_the_organization_once(
    city, city_registrar, division_head, round_
) -> None:
    deputy = f.user(
        "deputy_division_head",
        Role.DIVISION_HEAD,
        jurisdiction=city.city,
        department=city.civil_affairs,
    )
    correction = correction_propose(
        actor=city_registrar,
        organization=city.city_org,
        changes={"domicile": f"日照市东港区并发路{round_ + 1}号"},
        reason="住所更正",
    )
    results = _approve_at_once(correction.pk, [division_head, deputy])

    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert len(losers) == 1 and isinstance(losers[0], StaleState), results
    assert "已被他人处理" in str(losers[0])
    assert "已批准" in str(losers[0])

    correction.refresh_from_db()
    assert correction.state == CorrectionState.APPROVED
    assert Transition.objects.filter(object_id=str(correction.pk), action="approve").count() == 1
    assert AuditLog.objects.filter(action="data_correction.approve").count() == 1
    assert AuditLog.objects.filter(action="organization.correct").count() == 1
    assert OrganizationEvent.objects.filter(reason=EventReason.DATA_CORRECTION).count() == 1
    city.city_org.refresh_from_db()
    assert city.city_org.domicile == f"日照市东港区并发路{round_ + 1}号"
    assert verify_chain().ok
