"""Fixtures of the access tests: one user of every role, with the scope that role has."""

from __future__ import annotations

from typing import Any

import pytest

from socorg.core import access
from socorg.core.models import Role
from tests import factories as f


@pytest.fixture
def role_users(city) -> dict[str, Any]:
    users = {}
    for role in Role:
        scope: dict[str, Any] = {}
        if role in access.JURISDICTION_ROLES:
            scope["jurisdiction"] = city.city
        elif role in access.DEPARTMENT_ROLES:
            scope["department"] = city.edu
        elif role == Role.ORGANIZATION:
            scope["organization"] = city.edu_org
        users[role] = f.user(f"matrix_{role}", role, **scope)
    return users
