"""Sections of an organization's profile contributed by other capabilities (its credit status,
its reports…). The registry owns the profile page but knows none of them: each app registers a
provider from its ``AppConfig.ready``; a provider returns its section for the user and the
organization, or None when the user may not see it. Each section is rendered by the app's own
template as one more tab of the profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise

from socorg.core.models import User


@dataclass(frozen=True)
class ProfileSection:
    key: str  # the tab's id on the page, unique among sections
    label: StrOrPromise
    template: str  # rendered with ``section`` (this object) and ``org`` in the context
    data: Any = None
    count: int | None = None  # the badge on the tab; None or 0 shows none


ProfileSectionProvider = Callable[[User, Any], ProfileSection | None]
_PROVIDERS: list[ProfileSectionProvider] = []


def register_profile_section(provider: ProfileSectionProvider) -> ProfileSectionProvider:
    """Add a provider once (registering it again changes nothing)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def profile_sections(user: User, organization: Any) -> list[ProfileSection]:
    """The sections ``user`` sees on ``organization``'s profile, in registration order."""
    sections = [provider(user, organization) for provider in _PROVIDERS]
    return [section for section in sections if section is not None]
