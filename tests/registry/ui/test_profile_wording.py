"""The profile shows what is known and nothing else: the name's parts only when recorded
(never "— · — · —"), and a certificate without an end date valid 长期, as on the certificate."""

from __future__ import annotations

import datetime

from django.urls import reverse

from socorg.registry.models import Organization
from tests.factories import login


def _profile(client, user, org: Organization) -> str:
    return (
        login(client, user)
        .get(reverse("registry:organization_detail", args=[org.uscc]))
        .content.decode()
    )


def test_name_parts_are_hidden_when_none_is_recorded(client, city, city_registrar) -> None:
    Organization.objects.filter(pk=city.city_org.pk).update(
        region_name="", core_name="", org_form=""
    )
    body = _profile(client, city_registrar, city.city_org)
    assert "名称构成" not in body and "— · —" not in body


def test_recorded_name_parts_are_joined_without_placeholders(client, city, city_registrar) -> None:
    Organization.objects.filter(pk=city.city_org.pk).update(
        region_name="日照市", core_name="物流", org_form=""
    )
    body = _profile(client, city_registrar, city.city_org)
    assert "名称构成" in body and "日照市 · 物流</dd>" in body


def test_certificate_without_end_date_is_valid_long_term(client, city, city_registrar) -> None:
    Organization.objects.filter(pk=city.city_org.pk).update(certificate_valid_until=None)
    body = _profile(client, city_registrar, city.city_org)
    assert "证书有效期至</dt><dd>长期</dd>" in body


def test_certificate_end_date_is_shown_when_recorded(client, city, city_registrar) -> None:
    Organization.objects.filter(pk=city.city_org.pk).update(
        certificate_valid_until=datetime.date(2030, 6, 30)
    )
    body = _profile(client, city_registrar, city.city_org)
    assert "证书有效期至</dt><dd>2030-06-30</dd>" in body
