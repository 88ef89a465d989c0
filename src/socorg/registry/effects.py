"""What the registry's workflow transitions do. Each effect calls a service; the processes
(``processes.py``) name the effects and nothing else of the registry's writes."""

from __future__ import annotations

from socorg.core.models import User
from socorg.registry.models import DataCorrection
from socorg.registry.services.corrections import correction_apply


def correction_approved(correction: DataCorrection, actor: User, comment: str) -> None:
    """An approved data correction changes the record, in the approval's transaction."""
    correction_apply(correction=correction, actor=actor)
