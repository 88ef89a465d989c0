"""Two registrars issue certificates of the same authority at the same moment, each on their
own database connection: both succeed, with consecutive and different numbers."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from socorg.core.audit import verify_chain
from socorg.core.models import AuditLog, Role
from socorg.registration.services.certificates import ISSUE_ACTION, certificate_issue
from tests import factories as f
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]


def _issue_at_once(pairs: list[tuple[Any, Any]]) -> list[Any]:
    return at_once(
        [
            lambda actor=actor, org=org: certificate_issue(actor=actor, organization=org)
            for actor, org in pairs
        ]
    )


def test_concurrent_issues_of_one_authority_take_different_numbers(
    city, city_registrar, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    colleague = f.user(
        "second_registrar", Role.REGISTRAR, jurisdiction=city.city, department=city.civil_affairs
    )
    results = _issue_at_once([(city_registrar, city.city_org), (colleague, city.edu_org)])

    assert not any(isinstance(r, Exception) for r in results), results
    numbers = sorted(e.after["number"] for e in AuditLog.objects.filter(action=ISSUE_ACTION))
    assert numbers == ["日民证字第000001号", "日民证字第000002号"]
    assert verify_chain().ok
