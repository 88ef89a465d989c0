"""The attacks of the security tests use the API tests' JSON client and the cast of
``tests/conftest.py``."""

from tests.core.api.conftest import as_user, fast_password_hashing

__all__ = ["as_user", "fast_password_hashing"]
