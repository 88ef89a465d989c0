"""Prepares one socorg database for the throughput benchmark and measures, in process, what
each benchmarked request costs. Run by ``run.py`` with the server's environment (production
settings, the database under test); writes one JSON object to the file named by its argument.

- creates the audit chain key (as a deployment does first), migrates, and loads the demo data when the database holds no organization;
- makes a registrar of the whole city who is not a demo account (production refuses those),
  with a bearer token and a signed-in session;
- for each request of the mix: the queries it runs and the CPU milliseconds it costs, measured
  with Django's test client in this process after one warm-up request."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any
from urllib.parse import quote

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socorg.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from socorg.core.audit import keys  # noqa: E402
from socorg.core.models import Role, User  # noqa: E402
from socorg.core.tokens import token_create  # noqa: E402
from socorg.registry.models import Organization, OrgStatus  # noqa: E402

USERNAME = "throughput_registrar"
CPU_SAMPLES = 200
HEADERS = {"HTTP_X_FORWARDED_PROTO": "https", "SERVER_NAME": "127.0.0.1"}


def ensure_data() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if keys.load_ring() is None:  # production writes no audit row before its chain key exists
        call_command("audit", "rotate-key", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Organization.objects.exists():
        call_command("demo", "load", verbosity=0)


def registrar() -> User:
    template = User.objects.get(username="city_registrar")
    user, _ = User.objects.update_or_create(
        username=USERNAME,
        defaults={
            "role": Role.REGISTRAR,
            "jurisdiction_id": template.jurisdiction_id,
            "department_id": template.department_id,
            "is_demo": False,
            "is_active": True,
            "first_name": "基准",
        },
    )
    return user


def sample_uscc() -> str:
    """A city-level registered organization with the richest profile."""
    org = (
        Organization.objects.filter(status=OrgStatus.REGISTERED, uscc__isnull=False)
        .annotate(n=Count("principals", distinct=True) + Count("events", distinct=True))
        .order_by("-n", "uscc")
        .first()
    )
    assert org is not None and org.uscc
    return org.uscc


def requests_mix(uscc: str) -> list[dict[str, str]]:
    q = quote("协会")
    return [
        {"name": "API detail", "path": f"/api/v1/organizations/{uscc}", "auth": "token"},
        {"name": "API list, first page", "path": "/api/v1/organizations", "auth": "token"},
        {
            "name": "API list, filter",
            "path": "/api/v1/organizations?type=social_group&status=registered&level=city",
            "auth": "token",
        },
        {"name": "API list, substring", "path": f"/api/v1/organizations?q={q}", "auth": "token"},
        {"name": "profile page", "path": f"/registry/organizations/{uscc}/", "auth": "session"},
        {"name": "home worklist", "path": "/", "auth": "session"},
    ]


def measure(client: Client, path: str, extra: dict[str, str]) -> dict[str, Any]:
    response = client.get(path, **HEADERS, **extra)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path, **HEADERS, **extra)
    start = time.process_time()
    for _ in range(CPU_SAMPLES):
        client.get(path, **HEADERS, **extra)
    cpu_ms = (time.process_time() - start) * 1000 / CPU_SAMPLES
    return {"queries": len(queries), "cpu_ms": round(cpu_ms, 3), "bytes": len(response.content)}


def main() -> None:
    ensure_data()
    user = registrar()
    _, token = token_create(user=user, name="throughput benchmark")
    session_client = Client()
    session_client.force_login(user)
    session = session_client.cookies[settings.SESSION_COOKIE_NAME].value
    mix = requests_mix(sample_uscc())
    token_client = Client()
    for item in mix:
        if item["auth"] == "token":
            item.update(
                measure(token_client, item["path"], {"HTTP_AUTHORIZATION": f"Bearer {token}"})
            )
        else:
            item.update(measure(session_client, item["path"], {}))
    result = json.dumps(
        {
            "token": token,
            "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
            "requests": mix,
            "organizations": Organization.objects.count(),
            "vendor": connection.vendor,
        },
        ensure_ascii=False,
    )
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(result)


if __name__ == "__main__":
    main()
