"""The background half of the crash test: a task the worker runs, writing through the same
service as the web process (a data correction proposed by the city registrar)."""

from __future__ import annotations

from django_tasks import task

from socorg.core.models import User
from socorg.registry.models import Organization
from socorg.registry.services import correction_propose


@task()
def propose_correction(*, organization_id: int, domicile: str, proposer: str) -> int:
    """Propose one correction; the return value (the correction's id) is the acknowledgement."""
    correction = correction_propose(
        actor=User.objects.get(username=proposer),
        organization=Organization.objects.get(pk=organization_id),
        changes={"domicile": domicile},
        reason="住所核实（后台任务）",
    )
    return correction.pk
