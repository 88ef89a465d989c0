"""The sweep started by a person runs in the background with a progress bar (tasks run inline
here, ImmediateBackend); only the roles with ``sweep.run`` may start it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from socorg.core.models import Role, TaskProgress
from socorg.supervision.models import CreditListing, SweepRun
from socorg.supervision.services.sweep_runs import sweep_start
from tests import factories as f


@pytest.fixture(autouse=True)
def immediate_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_sweep_started_by_a_division_head_runs_with_progress(
    city, division_head, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        progress = sweep_start(actor=division_head, as_of=date(2026, 9, 28), dry_run=True)
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.SUCCEEDED
    # The fixture's organizations filed nothing: each is noticed for 2021-2025, in preview.
    assert progress.result["rules"] == {"CR-2": 4}
    assert progress.result["dry_run"] is True
    run = SweepRun.objects.get()
    assert (run.progress_id, run.triggered_by_id, run.dry_run) == (
        progress.pk,
        division_head.pk,
        True,
    )
    assert not CreditListing.objects.exists()


def test_sweep_start_refused_without_the_permission(city) -> None:
    clerk = f.user("clerk", Role.APPROVAL_CLERK, jurisdiction=city.city)
    with pytest.raises(PermissionDenied):
        sweep_start(actor=clerk)
