"""Fixtures of the party-building tests: tasks run inline, uploads go to a temporary directory,
and a source document issued jointly by two departments."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path) -> None:
    # Changing TASKS fires setting_changed, on which django_tasks rebuilds its backends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
