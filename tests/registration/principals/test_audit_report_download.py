"""The term transition's audit report (RG-8) is downloaded through the transition's access
check: the organization and the bureau may read it, another district's registrar may not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.registration.principals.test_term_transition import approved, file, media  # noqa: F401, F811

pytestmark = pytest.mark.django_db


def test_rg8_audit_report_download_is_scoped(
    client,
    city,
    edu_term,
    approved,  # noqa: F811
    edu_account,
    media,  # noqa: F811
    city_registrar,
    lanshan_registrar,  # noqa: F811
) -> None:
    filing = file(edu_account, city, approved)
    url = reverse("attachment_download", args=[filing.audit_report_id])
    client.force_login(edu_account)
    page = client.get(reverse("registration:term_transition_detail", args=[filing.pk]))
    assert f'href="{url}"' in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(city_registrar)
    assert client.get(url).status_code == 200
    client.force_login(lanshan_registrar)
    assert client.get(url).status_code == 404
