"""The registry's API tests use the JSON client of the API mechanism's tests."""

from tests.core.api.conftest import as_user, fast_password_hashing, profiled_org

__all__ = ["as_user", "fast_password_hashing", "profiled_org"]
