"""``socorg demo load``: the seed city's figures, exactly, and a second run that changes nothing.

The full load takes a few seconds; it runs once, in one test, and every check on the loaded
data lives in that test (a helper per concern)."""

from __future__ import annotations

import time
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from socorg.core.models import Department, Jurisdiction, User
from socorg.demo.loader import DEMO_PASSWORD, figures
from socorg.demo.reference import INDUSTRY_PARTY_COMMITTEE_CODES
from socorg.demo.scenario import EXPECTED
from socorg.registry import access as registry_access
from socorg.registry.models import (
    Branch,
    Organization,
    OrganizationEvent,
    Person,
    Principal,
    Responsibility,
    SourceDocument,
)
from socorg.registry.rules.organizations import (
    id_number_problem,
    uscc_problem,
    uscc_record_mismatch,
)


def _row_counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("registry").get_models(),
        *apps.get_app_config("core").get_models(),
    ]
    return {m._meta.label: m.objects.count() for m in models}


@pytest.mark.slow
def test_demo_load_reproduces_the_seed_and_is_idempotent(db, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    out = StringIO()
    started = time.process_time()  # CPU time: immune to a busy machine
    call_command("demo", "load", stdout=out)
    assert time.process_time() - started < 60
    assert figures() == EXPECTED
    assert "socorg-demo" in out.getvalue()
    printed = out.getvalue()
    assert "≠" not in printed  # every printed figure (the list selector's) matches the seed
    assert any(
        line.split()[:3] == ["2020年以来注销登记", "315", "315"] for line in printed.splitlines()
    )

    _every_credit_code_is_valid()
    _principals_are_valid_people()
    _names_are_unique_per_authority()
    _removals_have_coded_events()
    _responsibility_map_matches_the_document()
    _rg5_no_branch_under_a_social_service_agency()
    _the_cast_logs_in_with_demo_flags()
    _donggang_registrar_sees_only_donggang()
    _the_clerk_and_the_reviewers_see_work()

    before = _row_counts()
    started = time.process_time()
    call_command("demo", "load", stdout=StringIO())
    assert time.process_time() - started < 5
    assert _row_counts() == before


def _every_credit_code_is_valid() -> None:
    """ID-1..ID-5: every registered, deregistered or revoked organization has a valid code with
    the authority digit 5, its type digit and its registering authority's area code."""
    rows = Organization.objects.exclude(org_type="community_organization").values_list(
        "uscc", "org_type", "level", "jurisdiction__code"
    )
    for uscc, org_type, level, code in rows:
        area = "371100" if level == "city" else code[:6]
        assert uscc_problem(uscc) is None, uscc
        assert uscc_record_mismatch(uscc, org_type=org_type, area_code=area) is None, uscc
    assert (
        not Organization.objects.filter(org_type="community_organization")
        .exclude(uscc=None)
        .exists()
    )


def _principals_are_valid_people() -> None:
    assert all(
        id_number_problem(n) is None for n in Person.objects.values_list("id_number", flat=True)
    )
    registered = Organization.objects.filter(status="registered").exclude(
        org_type="community_organization"
    )
    legal = Principal.objects.filter(is_legal_representative=True, organization__in=registered)
    assert legal.count() == registered.count()
    assert legal.filter(post="chair").count() == registered.count()
    assert (
        Principal.objects.filter(post="secretary_general", organization__in=registered).count()
        == registered.count()
    )


def _names_are_unique_per_authority() -> None:
    """RG-15: no duplicate name within one registering authority."""
    names = Counter(
        ("city" if level == "city" else code[:6], name)
        for name, level, code in Organization.objects.exclude(
            org_type="community_organization"
        ).values_list("name", "level", "jurisdiction__code")
    )
    assert max(names.values()) == 1


def _removals_have_coded_events() -> None:
    for status in ("deregistered", "revoked"):
        removed = Organization.objects.filter(status=status)
        events = OrganizationEvent.objects.filter(kind=status, organization__in=removed)
        assert events.count() == removed.count()
        assert not events.filter(reason="").exists()
        assert removed.filter(removed_on__lt="2020-01-01").count() == 0
        assert removed.filter(removed_on__gt="2026-10-31").count() == 0


def _responsibility_map_matches_the_document() -> None:
    doc = SourceDocument.objects.get(number__startswith="日组通〔2022〕")
    assert doc.issuers.count() == 6
    mapped = Responsibility.objects.filter(kind="party_building_management", source_document=doc)
    assert mapped.values("organization").distinct().count() == 1221
    assert set(mapped.values_list("department__kind", flat=True)) == {"government"}
    assert mapped.values("department").distinct().count() == 56
    assert not mapped.exclude(organization__level="city").exists()
    current = Responsibility.objects.current().filter(kind="party_building_management")
    unmanaged = Organization.objects.filter(level="city", status="registered").exclude(
        id__in=current.values("organization_id")
    )
    assert unmanaged.count() == 95  # registered since the document: the coverage report's gap
    assert (
        Department.objects.filter(
            code__in=INDUSTRY_PARTY_COMMITTEE_CODES, kind="party_building_body"
        ).count()
        == 12
    )


def _rg5_no_branch_under_a_social_service_agency() -> None:
    parents = set(Branch.objects.values_list("parent__org_type", flat=True))
    assert parents == {"social_group", "foundation"}


def _the_cast_logs_in_with_demo_flags() -> None:
    cast = User.objects.filter(is_demo=True)
    assert cast.count() == 15
    assert User.objects.get(username="founder_demo").organization is None
    assert all(u.check_password(DEMO_PASSWORD) and u.full_name for u in cast)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser  # three administrators, no superuser
    assert User.objects.get(username="org_demo").organization.name == "日照市物流协会"  # type: ignore[union-attr]
    assert User.objects.get(username="party_reviewer").department.code == "LXGW"  # type: ignore[union-attr]


def _donggang_registrar_sees_only_donggang() -> None:
    user = User.objects.get(username="donggang_registrar")
    scope = registry_access.scope_organizations(user)
    donggang = Jurisdiction.objects.get(code="371102")
    assert scope.exists()
    assert not scope.exclude(jurisdiction__path__startswith=donggang.path).exists()
    assert (
        scope.count()
        == Organization.objects.filter(jurisdiction__path__startswith=donggang.path).count()
    )


def _the_clerk_and_the_reviewers_see_work() -> None:
    """The demo applications: a founder's draft, one awaiting acceptance, one in joint review
    with opinions pending for 市教育局 and 两新工委."""
    from socorg.registration.access import scope_applications
    from socorg.registration.selectors import applications as selectors

    founder = User.objects.get(username="founder_demo")
    states = sorted(scope_applications(founder).values_list("state", flat=True))
    assert states == ["draft", "joint_review", "submitted"]
    assert (
        selectors.applications_to_accept(User.objects.get(username="approval_clerk")).count() == 1
    )
    for username in ("edu_liaison", "party_reviewer"):
        assert selectors.opinions_to_give(User.objects.get(username=username)).count() == 1
