"""Fixtures of the party-building tests: tasks run inline, uploads go to a temporary directory,
and a source document issued jointly by two departments."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from socorg.registry.models import SourceDocument


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path) -> None:
    # Changing TASKS fires setting_changed, on which django_tasks rebuilds its backends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def joint_document(city: Any) -> SourceDocument:
    doc = SourceDocument.objects.create(
        title="关于建立社会组织综合监管责任清单的通知",
        number="日民发〔2022〕8号",
        issued_on=date(2022, 5, 1),
    )
    doc.issuers.add(city.edu, city.party)
    return doc
