"""Fixtures of the attack tests: the registration cast (founders, the approval clerk, the party
reviewer, the API client), the API tests' JSON client (``as_user``) and a second supervisory
unit with its liaison; the login helpers. Each test is written as the attack it stops."""

from __future__ import annotations

import pytest
from django.test import Client

from socorg.core.models import Department, DepartmentKind, Role, User
from tests import factories as f
from tests.core.api.conftest import as_user, fast_password_hashing  # noqa: F401  (fixtures)
from tests.factories import PASSWORD
from tests.registration.conftest import (  # noqa: F401  (fixtures)
    api,
    approval_clerk,
    chinese_messages,
    founder,
    party_reviewer,
    rule_params,
    upload_dir,
)


@pytest.fixture
def health(city) -> Department:
    """日照市卫生健康委员会: a supervisory unit and industry regulator other than 市教育局."""
    return f.department(
        "WJW",
        "日照市卫生健康委员会",
        DepartmentKind.GOVERNMENT,
        city.city,
        is_supervisory_unit=True,
        is_industry_regulator=True,
    )


@pytest.fixture
def health_liaison(health) -> User:
    return f.user("health_liaison", Role.DEPARTMENT_LIAISON, department=health)


LOGIN = "/login/"


def post_login(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in(client: Client) -> int | None:
    pk = client.session.get("_auth_user_id")
    return int(pk) if pk else None


__all__ = ["PASSWORD", "post_login", "signed_in"]
