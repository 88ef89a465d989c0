"""Fixtures for the login, layout and home-worklist tests."""

from __future__ import annotations

import pyotp
import pytest

from socorg.core.models import User


@pytest.fixture
def totp_user(city_registrar: User) -> tuple[User, pyotp.TOTP]:
    """The city registrar with two-factor login on, and the authenticator that goes with it."""
    secret = pyotp.random_base32()
    city_registrar.totp_secret = secret
    city_registrar.totp_enabled = True
    city_registrar.save(update_fields=["totp_secret", "totp_enabled"])
    return city_registrar, pyotp.TOTP(secret)
