"""Reference rows shared by the demo scenario and the scale generator: jurisdictions and
departments, created when missing and left alone when present."""

from __future__ import annotations

from socorg.core.models import Department, Jurisdiction
from socorg.demo.reference import AREAS, DEPARTMENTS


def ensure_jurisdictions() -> dict[str, Jurisdiction]:
    """Every area of the seed city, by code. Parents come before children in ``AREAS``."""
    existing = {j.code: j for j in Jurisdiction.objects.filter(code__in=[a.code for a in AREAS])}
    for area in AREAS:
        if area.code in existing:
            continue
        parent = existing[area.parent] if area.parent else None
        path = (parent.path if parent else "/") + area.code + "/"
        existing[area.code] = Jurisdiction.objects.create(
            code=area.code, name=area.name, level=area.level, parent=parent, path=path
        )
    return existing


def ensure_departments(areas: dict[str, Jurisdiction]) -> dict[str, Department]:
    """Every department of the seed city, by code."""
    existing = {
        d.code: d for d in Department.objects.filter(code__in=[d.code for d in DEPARTMENTS])
    }
    missing = [
        Department(
            code=d.code,
            name=d.name,
            short_name=d.short_name,
            kind=d.kind,
            is_supervisory_unit=d.supervisory,
            is_industry_regulator=d.regulator,
            jurisdiction=areas[d.jurisdiction],
        )
        for d in DEPARTMENTS
        if d.code not in existing
    ]
    for dept in Department.objects.bulk_create(missing):
        existing[dept.code] = dept
    return existing
