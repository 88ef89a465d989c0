"""The registry API, opened by every role: holders of ``registry.view`` get their scope, every
other role is refused, and nobody sees an organization outside their scope."""

from __future__ import annotations

import pytest

from socorg.core import access
from socorg.core.models import Role
from socorg.registry import access as registry_access


@pytest.mark.parametrize("role", list(Role))
def test_registry_api_answers_each_role_by_its_permission_and_scope(
    client, city, role_users, role
) -> None:
    client.force_login(role_users[role])
    listing = client.get("/api/v1/organizations")
    detail = client.get(f"/api/v1/organizations/{city.edu_org.uscc}")
    outside = client.get(f"/api/v1/organizations/{city.lanshan_org.uscc}")
    if role in access.PERMISSIONS["registry.view"]:
        assert listing.status_code == 200 and detail.status_code == 200
        uscc_seen = {item["uscc"] for item in listing.json()["items"]}
        in_scope = set(
            registry_access.scope_organizations(role_users[role]).values_list("uscc", flat=True)
        )
        assert uscc_seen <= in_scope
        expected_outside = 200 if city.lanshan_org.uscc in in_scope else 404
        assert outside.status_code == expected_outside
    else:
        assert listing.status_code == 403 and detail.status_code in (403, 404)
        assert outside.status_code in (403, 404)
