"""A password hasher that counts its work, to show that every login attempt costs the same."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    # Same name as the fast hasher of the tests, so existing hashes verify through this one.
    algorithm = "md5"
    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        self.calls.append("encode")
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        self.calls.append("verify")
        return super().verify(password, encoded)

    def harden_runtime(self, password: str, encoded: str) -> None:
        return None

    def must_update(self, encoded: str) -> bool:
        return False

    def safe_summary(self, encoded: str) -> dict[str, Any]:
        return {}
