"""Workbooks, bulk organizations and small helpers for the party-building tests."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from socorg.core.models import Jurisdiction, JurisdictionLevel
from socorg.party.rules import TEMPLATE_HEADERS
from socorg.registry.models import Category, Level, Organization, OrgType
from socorg.registry.rules.organizations import make_uscc


def workbook(rows: Iterable[Sequence[Any]], headers: Sequence[str] = TEMPLATE_HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "职责导入"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "职责.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def row(
    org: Organization, dept_code: str = "EDU", kind: str = "党建管理", start: Any = "2022-07-01"
) -> list[Any]:
    """One template row: code, name, department code, (no name), kind, start, (no end)."""
    return [org.uscc, org.name, dept_code, None, kind, start, None]


def bulk_organizations(
    where: Jurisdiction, n: int, *, tag: str = "RB", **extra: Any
) -> list[Organization]:
    """``n`` registered social groups in ``where`` created with one INSERT."""
    level = Level.CITY if where.level == JurisdictionLevel.CITY else Level.COUNTY
    area = where.code[:6]
    objs = [
        Organization(
            uscc=make_uscc(org_type=OrgType.SOCIAL_GROUP, area_code=area, serial=f"{tag}{i:06d}"),
            name=f"日照市批量测试协会{tag}{i:04d}",
            org_type=OrgType.SOCIAL_GROUP,
            level=level,
            jurisdiction=where,
            category=Category.OTHER,
            established_on=date(2016, 1, 1),
            **extra,
        )
        for i in range(n)
    ]
    Organization.objects.bulk_create(objs, batch_size=500)
    return list(
        Organization.objects.filter(name__startswith=f"日照市批量测试协会{tag}").order_by("name")
    )
