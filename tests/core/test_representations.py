"""Versions and labels behind cached representations (socorg.core.representations)."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from socorg.core.representations import touch
from socorg.registry.models import (
    Organization,
    OrganizationEvent,
    OrgStatus,
    Person,
    Post,
    Principal,
)


def version(org: Organization) -> int:
    return Organization.objects.values_list("version", flat=True).get(pk=org.pk)


def test_saving_or_deleting_a_dependent_row_bumps_its_organization(city) -> None:
    org = city.city_org
    start = version(org)
    event = OrganizationEvent.objects.create(
        organization=org, kind="renamed", reason="application", occurred_on=date(2024, 1, 1)
    )
    assert version(org) == start + 1
    event.delete()
    assert version(org) == start + 2
    assert version(city.donggang_org) == 1  # other organizations keep theirs


def test_renaming_a_person_bumps_the_organizations_they_lead(city) -> None:
    person = Person.objects.create(name="李四", id_number="37110219800101001X")
    Principal.objects.create(
        organization=city.edu_org, person=person, post=Post.CHAIR, starts_on=date(2021, 1, 1)
    )
    before = version(city.edu_org)
    person.name = "李思"
    person.save()
    assert version(city.edu_org) == before + 1
    assert version(city.city_org) == 1


def test_renaming_a_department_bumps_the_organizations_it_supervises(city) -> None:
    before = version(city.edu_org)
    city.edu.name = "日照市教育和体育局"
    city.edu.save()
    assert version(city.edu_org) == before + 1
    assert version(city.city_org) == 1


def test_touch_bumps_only_the_given_rows(city) -> None:
    assert touch(Organization, [city.city_org.pk, city.edu_org.pk]) == 2
    assert (version(city.city_org), version(city.edu_org), version(city.lanshan_org)) == (2, 2, 1)
    assert touch(Organization, []) == 0


def test_choice_labels_follow_the_active_language(city) -> None:
    org = city.city_org
    assert org.get_status_display() == "正常"
    with translation.override("en"):
        assert org.get_status_display() == "Registered"
    org.status = "no-such-status"
    assert org.get_status_display() == "no-such-status"
    assert OrgStatus.REGISTERED.label == "正常"
