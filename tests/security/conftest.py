"""Fixtures of the security tests: each test is written as the attack it stops."""

from __future__ import annotations

from django.test import Client

from tests.factories import PASSWORD

LOGIN = "/login/"


def post_login(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in(client: Client) -> int | None:
    pk = client.session.get("_auth_user_id")
    return int(pk) if pk else None


__all__ = ["PASSWORD", "post_login", "signed_in"]
