"""The demo plan reproduces the seed's figures before anything touches the database, and the
synthetic people and codes it uses are valid and never collide."""

from __future__ import annotations

from collections import Counter
from random import Random

import pytest
from stdnum.cn import ric

from socorg.demo import people
from socorg.demo.catalogue import KINDS
from socorg.demo.loader import demo_serial
from socorg.demo.reference import DEPARTMENTS, GOVERNMENT_DEPARTMENTS, INDUSTRY_PARTY_COMMITTEES
from socorg.demo.scale import scale_serial
from socorg.demo.scenario import EXPECTED, REFORM_DAY, SEED, Slot, plan_community, plan_slots
from socorg.registry.rules.organizations import make_uscc, uscc_problem


@pytest.fixture(scope="module")
def slots() -> list[Slot]:
    return plan_slots(Random(SEED))


def test_plan_counts_match_the_seed(slots: list[Slot]) -> None:
    by = Counter((s.level, s.status) for s in slots)
    assert by["city", "registered"] + by["county", "registered"] == EXPECTED["registered"]
    assert by["city", "registered"] == EXPECTED["registered_city"]
    assert by["city", "deregistered"] + by["county", "deregistered"] == EXPECTED["deregistered"]
    assert by["city", "revoked"] + by["county", "revoked"] == EXPECTED["revoked"]
    assert by["city", "deregistered"] == EXPECTED["deregistered_city"]
    assert by["city", "revoked"] == EXPECTED["revoked_city"]


def test_1221_mapped_is_the_city_as_it_stood_on_the_reform_day(slots: list[Slot]) -> None:
    """1,128 today − 95 registered since + 188 removed since = 1,221."""
    city = [s for s in slots if s.level == "city"]
    registered_since = [s for s in city if s.status == "registered" and s.established >= REFORM_DAY]
    removed_since = [s for s in city if s.removed_on and s.removed_on >= REFORM_DAY]
    assert sum(s.mapped for s in slots) == EXPECTED["mapped_city_organizations"]
    assert EXPECTED["registered_city"] - len(registered_since) + len(removed_since) == 1221
    assert all(s.established < REFORM_DAY for s in city if s.mapped)


def test_every_government_department_manages_at_least_one_mapped_organization(
    slots: list[Slot],
) -> None:
    managers = {s.supervisor or s.regulator for s in slots if s.mapped}
    assert managers == {d.code for d in GOVERNMENT_DEPARTMENTS}
    assert len(GOVERNMENT_DEPARTMENTS) == EXPECTED["government_departments"]
    assert len(INDUSTRY_PARTY_COMMITTEES) == EXPECTED["industry_party_committees"]


def test_rg15_no_duplicate_name_within_a_registering_authority(slots: list[Slot]) -> None:
    names = Counter((s.authority, s.name) for s in slots)
    assert max(names.values()) == 1


def test_removals_fall_between_2020_and_october_2026(slots: list[Slot]) -> None:
    removed = [s for s in slots if s.removed_on]
    assert min(s.removed_on for s in removed).year >= 2020  # type: ignore[type-var]
    assert max(s.removed_on for s in removed).isoformat() <= "2026-10-31"  # type: ignore[type-var]
    assert all(s.established < s.removed_on for s in removed)  # type: ignore[operator]


def test_type_mix_is_about_55_42_3(slots: list[Slot]) -> None:
    mix = Counter(s.kind.org_type for s in slots if s.status == "registered")
    total = sum(mix.values())
    assert round(mix["social_group"] / total, 2) in (0.54, 0.55, 0.56)
    assert round(mix["social_service_agency"] / total, 2) in (0.41, 0.42, 0.43)
    assert round(mix["foundation"] / total, 2) == 0.03


def test_plan_is_deterministic() -> None:
    first = [(s.name, s.established, s.status) for s in plan_slots(Random(SEED))]
    again = [(s.name, s.established, s.status) for s in plan_slots(Random(SEED))]
    assert first == again


def test_community_organizations_are_4038_under_streets() -> None:
    community = plan_community(Random(SEED))
    assert len(community) == EXPECTED["filed_community"]
    assert len({(c.street, c.name) for c in community}) == len(community)
    assert all(len(c.street) == 9 for c in community)


def test_department_codes_are_unique() -> None:
    codes = [d.code for d in DEPARTMENTS]
    assert len(codes) == len(set(codes))


def test_social_service_agencies_never_plan_branches() -> None:
    """RG-5: the catalogue gives branches only to social groups and foundations."""
    assert {k.org_type for k in KINDS.values()} == {
        "social_group",
        "social_service_agency",
        "foundation",
    }


@pytest.mark.parametrize(
    "index", [0, 1, 999, 1000, 123_456, 999_999, 1_000_000, people.ID_CAPACITY - 1]
)
def test_synthetic_id_numbers_are_valid_gb11643(index: int) -> None:
    number = people.id_number(index)
    assert ric.validate(number) == number
    assert ric.get_birth_date(number) == people.birth_date(index)
    assert (int(number[16]) % 2 == 1) == (people.sex_of(index) == "M")


def test_synthetic_id_numbers_never_repeat() -> None:
    numbers = {people.id_number(i) for i in range(50_000)}
    numbers |= {people.id_number(people.ID_CAPACITY - 1 - i) for i in range(20_000)}
    assert len(numbers) == 70_000


def test_id1_demo_and_scale_serials_give_valid_disjoint_codes() -> None:
    demo = {
        make_uscc(org_type="social_group", area_code="371100", serial=demo_serial(i))
        for i in range(5000)
    }
    scale = {
        make_uscc(org_type="social_group", area_code="371100", serial=scale_serial(i))
        for i in range(5000)
    }
    assert len(demo) == len(scale) == 5000
    assert not demo & scale
    assert all(uscc_problem(code) is None for code in demo | scale)


def test_identity_agrees_with_its_parts() -> None:
    for index in (0, 7, 1_000_001, 33_333_333):
        assert people.identity(index) == (
            people.id_number(index),
            people.birth_date(index),
            people.sex_of(index),
        )
