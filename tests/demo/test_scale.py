"""``socorg demo scale --orgs N``: N organizations with their people, term, event and
responsibility, valid and unique credit codes, on top of the seed city's reference data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from socorg.core.models import Department, Jurisdiction
from socorg.demo import scale
from socorg.demo.reference import AREAS, DEPARTMENTS
from socorg.registry.models import (
    Organization,
    OrganizationEvent,
    Person,
    Principal,
    Responsibility,
    Term,
)
from socorg.registry.rules.organizations import (
    id_number_problem,
    uscc_problem,
    uscc_record_mismatch,
)


def test_scale_2000_creates_complete_organizations(db) -> None:
    out = StringIO()
    call_command("demo", "scale", "--orgs", "2000", stdout=out)
    assert Organization.objects.count() == 2000
    assert Person.objects.count() == Principal.objects.count() == 4000
    assert Term.objects.count() == Responsibility.objects.count() == 2000
    assert OrganizationEvent.objects.filter(kind="registered").count() == 2000
    assert Jurisdiction.objects.count() == len(AREAS)
    assert Department.objects.count() == len(DEPARTMENTS)
    assert "行/秒" in out.getvalue()


def test_scale_credit_codes_are_valid_and_unique(db) -> None:
    call_command("demo", "scale", "--orgs", "2000", stdout=StringIO())
    rows = list(Organization.objects.values_list("uscc", "org_type", "level", "jurisdiction__code"))
    codes = [r[0] for r in rows]
    assert len(set(codes)) == len(codes) == 2000
    for uscc, org_type, level, code in rows:
        area = "371100" if level == "city" else code[:6]
        assert uscc_problem(uscc) is None, uscc
        assert uscc_record_mismatch(uscc, org_type=org_type, area_code=area) is None, uscc


def test_scale_people_and_names_are_plausible(db) -> None:
    call_command("demo", "scale", "--orgs", "2000", stdout=StringIO())
    assert all(
        id_number_problem(n) is None for n in Person.objects.values_list("id_number", flat=True)
    )
    names = set(Organization.objects.values_list("name", flat=True))
    assert len(names) > 1950  # varied: region + 字号/core + form
    assert Organization.objects.filter(name__contains="协会").exists()
    assert Organization.objects.filter(name__contains="幼儿园").exists()
    org = Organization.objects.filter(status="registered").first()
    assert org is not None
    assert org.principals.get(is_legal_representative=True).person.name == org.legal_representative


def test_a_second_scale_run_adds_more_without_collisions(db) -> None:
    call_command("demo", "scale", "--orgs", "300", stdout=StringIO())
    call_command("demo", "scale", "--orgs", "300", "--seed", "2", stdout=StringIO())
    assert Organization.objects.count() == 600
    assert Organization.objects.values("uscc").distinct().count() == 600
    assert Person.objects.values("id_number").distinct().count() == 1200


def test_scale_refuses_a_non_positive_count(db) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="正整数"):
        call_command("demo", "scale", "--orgs", "0", stdout=StringIO())


@pytest.mark.postgres
def test_large_copy_rebuilds_the_indexes_and_foreign_keys_it_dropped(
    db, monkeypatch, on_postgres
) -> None:
    """The PostgreSQL path for large loads drops secondary indexes and foreign keys, and must
    put every one of them back."""
    if not on_postgres:
        pytest.skip("PostgreSQL only")

    def definitions() -> set[tuple[str, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'registry_%' "
                "UNION ALL SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
                "AND conrelid::regclass::text LIKE 'registry_%'"
            )
            return {tuple(r) for r in cursor.fetchall()}

    before = definitions()
    monkeypatch.setattr(scale, "INDEX_REBUILD_FROM", 100)
    call_command("demo", "scale", "--orgs", "500", stdout=StringIO())
    assert definitions() == before
    assert Organization.objects.count() == 500
    assert Organization.objects.values("uscc").distinct().count() == 500
