"""Steps of the registration journeys the attack tests share: an application brought into the
joint review, opinions given, 补正 asked and answered."""

from __future__ import annotations

from typing import Any

from socorg.core.models import User
from socorg.core.workflow import fire
from socorg.registration.models import Application, Opinion
from socorg.registration.processes import APPLICATION, OPINION
from socorg.registration.services.opinions import application_accept
from tests.registration.test_joint_review import _ready


def in_review(
    founder: User, clerk: User, data: dict[str, Any], *, consulted: list[str] | None = None
) -> Application:
    """Submitted and accepted (with the departments to consult, for a direct registration)."""
    app = _ready(founder, data)
    fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
    application_accept(actor=clerk, pk=app.pk, codes=consulted)
    return Application.objects.get(pk=app.pk)


def opinion(app: Application, code: str, role: str | None = None) -> Opinion:
    rows = Opinion.objects.filter(application=app, department__code=code)
    return rows.get(role=role) if role else rows.get()


def give(
    app: Application, code: str, actor: User, action: str = "consent", comment: str = ""
) -> None:
    fire(process=OPINION, key=opinion(app, code).pk, action=action, actor=actor, comment=comment)


def states(app: Application) -> dict[tuple[str, str], str]:
    """(department code, role) -> state of every opinion of ``app``."""
    rows = Opinion.objects.filter(application=app).select_related("department")
    return {(o.department.code, o.role): o.state for o in rows}
