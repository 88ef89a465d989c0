"""Background tasks of registration: thin wrappers over services."""

from __future__ import annotations

from django_tasks import task

from socorg.registration.services import opinion_escalate_overdue


@task()
def opinion_escalate_task() -> int:
    """Daily: flag overdue joint-review opinions to the division head."""
    return opinion_escalate_overdue()
