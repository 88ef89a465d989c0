"""Sections of a liaison officer's page (联络员工作页) contributed by other capabilities.

The party app owns the page (its department's organizations and training) but knows none of
the work other capabilities route to a department: joint-review opinions, annual-report
filing, inspection assignments, complaints. Each app registers a provider from its
``AppConfig.ready``; a provider returns its section for the user (a department liaison,
whose scope is their department), or None when it has nothing to say to that user. Each
section is rendered by the app's own template, in ``order`` then registration order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise

from socorg.core.models import User


@dataclass(frozen=True)
class LiaisonSection:
    key: str  # the section's id on the page, unique among sections
    label: StrOrPromise
    template: str  # rendered with ``section`` (this object) in the context
    data: Any = None
    count: int | None = None  # waiting items, shown as a badge; None shows none
    url: str | None = None  # the full list behind the section
    order: int = 100


LiaisonSectionProvider = Callable[[User], LiaisonSection | None]
_PROVIDERS: list[LiaisonSectionProvider] = []


def register_liaison_section(provider: LiaisonSectionProvider) -> LiaisonSectionProvider:
    """Add a provider once (registering it again changes nothing)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def liaison_sections(user: User) -> list[LiaisonSection]:
    """The sections ``user`` sees on their liaison page."""
    sections = [s for provider in _PROVIDERS if (s := provider(user)) is not None]
    return sorted(sections, key=lambda s: s.order)  # stable: registration order within an order
