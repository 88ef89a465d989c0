"""Fixtures of principal vetting and term transitions: the party-building reviewer responsible
for the 教育学会, the education bureau's supervisory-unit reviewer, a party reviewer of another
body, and the 教育学会's current term."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from stdnum.cn import ric

from socorg.core.models import DepartmentKind, Role, User
from socorg.registration.rules.terms import add_years
from socorg.registry.models import Person, Post, Principal, Responsibility, ResponsibilityKind, Term
from tests import factories as f

_serial = itertools.count(1)


def id_number(born: date, area: str = "110101") -> str:
    """A valid resident ID number of someone born on ``born``."""
    body = f"{area}{born:%Y%m%d}{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def born_years_ago(years: int, *, days: int = 0) -> date:
    """Birth date of someone who turns ``years`` full years ``days`` days after today."""
    return add_years(date.today(), -years) + timedelta(days=days)


@pytest.fixture
def party_reviewer(city) -> User:
    Responsibility.objects.create(
        organization=city.edu_org,
        department=city.party,
        kind=ResponsibilityKind.PARTY_BUILDING_MANAGEMENT,
        effective_from=date(2020, 1, 1),
    )
    return f.user("party_reviewer", Role.PARTY_BUILDING_REVIEWER, department=city.party)


@pytest.fixture
def other_party_reviewer(city) -> User:
    other = f.department(
        "HYDW", "日照市交通运输行业党委", DepartmentKind.PARTY_BUILDING_BODY, city.city
    )
    return f.user("other_party_reviewer", Role.PARTY_BUILDING_REVIEWER, department=other)


@pytest.fixture
def edu_reviewer(city) -> User:
    return f.user("edu_reviewer", Role.SUPERVISORY_UNIT_REVIEWER, department=city.edu)


@pytest.fixture
def edu_term(city) -> Term:
    """The 教育学会's first term, expiring in two months, chaired by 王会长."""
    starts = add_years(date.today(), -5) + timedelta(days=60)
    term = Term.objects.create(
        organization=city.edu_org,
        number=1,
        starts_on=starts,
        ends_on=add_years(starts, 5) - timedelta(days=1),
    )
    chair = Person.objects.create(name="王会长", id_number=id_number(date(1965, 3, 1)))
    Principal.objects.create(
        organization=city.edu_org,
        term=term,
        person=chair,
        post=Post.CHAIR,
        is_legal_representative=True,
        starts_on=starts,
    )
    city.edu_org.legal_representative = "王会长"
    city.edu_org.save(update_fields=["legal_representative"])
    return term


@pytest.fixture
def edu_account(city) -> User:
    """The account of the 教育学会 (the shared ``org_account`` belongs to the 物流协会)."""
    return f.user("edu_account", Role.ORGANIZATION, organization=city.edu_org)
