"""The name index (``NameKey``) that the name check (RG-13, RG-15) looks names up in.

The index is derived data: ``name_keys_refresh`` recomputes one organization's rows in the
transaction of the change that moved them (every service that registers, renames or moves an
organization calls it), ``name_keys_rebuild`` (``socorg name_keys rebuild``) all of them. Being
derived, the index is not audited; the registry rows it is computed from are."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.db import connection, transaction

from socorg.registry.models import FormerName, NameKey, NameKeyKind, Organization
from socorg.registry.rules import names as nr
from socorg.registry.selectors.names import all_jurisdiction_rows, jurisdiction_rows

KEY_COLUMNS = (
    "organization_id",
    "kind",
    "authority_code",
    "name",
    "name_normalized",
    "core_key",
    "pinyin_key",
    "sound_key",
    "form_group",
    "bag_key",
    "abbreviation_key",
    "short_key",
    "words",
    "ends_on",
)


COPY_KEYS = f"COPY {NameKey._meta.db_table} (" + ", ".join(KEY_COLUMNS) + ") FROM STDIN"


def name_key_values(
    *,
    name: str,
    authority: str,
    regions: frozenset[str],
    kind: str = NameKeyKind.CURRENT,
    organization_id: int | None = None,
    ends_on: date | None = None,
) -> tuple[Any, ...]:
    """The index row of one name, as values in ``KEY_COLUMNS`` order."""
    keys = nr.name_keys(name, regions)
    return (organization_id, str(kind), authority, name[:100], *stored_keys(keys), ends_on)


def stored_keys(keys: nr.NameKeys) -> tuple[str, ...]:
    """The columns ``name_normalized`` to ``words`` of a name's index row."""
    return (
        keys.normalized,
        keys.core_key,
        keys.pinyin_key,
        keys.sound_key,
        keys.form_group,
        keys.bag_key,
        keys.abbreviation_key,
        keys.short_key,
        keys.encoded_words,
    )


def name_key(**values: Any) -> NameKey:
    """The index row of one name (unsaved); see ``name_key_values``."""
    return NameKey(**dict(zip(KEY_COLUMNS, name_key_values(**values), strict=True)))


def _org_keys(org: Organization, regions: frozenset[str]) -> list[NameKey]:
    authority = nr.authority_code(org.level, org.jurisdiction.code)
    keys = [name_key(name=org.name, authority=authority, regions=regions, organization_id=org.pk)]
    for former in org.former_names.all():
        keys.append(
            name_key(
                name=former.name,
                authority=authority,
                regions=regions,
                kind=NameKeyKind.FORMER,
                organization_id=org.pk,
                ends_on=former.used_until,
            )
        )
    return keys


def name_keys_refresh(organization: Organization) -> list[NameKey]:
    """Recompute one organization's index rows (its name and former names). Call it from every
    service that registers, renames or moves an organization."""
    code = organization.jurisdiction.code
    keys = _org_keys(organization, nr.region_names(jurisdiction_rows(code), code))
    with transaction.atomic():
        NameKey.objects.filter(organization=organization).delete()
        return NameKey.objects.bulk_create(keys)


def _scan(qs: Any, fields: tuple[str, ...], batch: int) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of ``fields`` (the first is the primary key), in key order."""
    last = 0
    while chunk := list(qs.filter(pk__gt=last).order_by("pk").values_list(*fields)[:batch]):
        yield chunk
        last = chunk[-1][0]


class _RegionMemo:
    """Region names per city (``region_names``), computed from all jurisdictions at once."""

    def __init__(self) -> None:
        self.rows = all_jurisdiction_rows()
        self.memo: dict[str, frozenset[str]] = {}

    def __call__(self, code: str) -> frozenset[str]:
        if code[:4] not in self.memo:
            self.memo[code[:4]] = nr.region_names(self.rows, code)
        return self.memo[code[:4]]


def _current_batches(regions: _RegionMemo, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    fields = ("pk", "name", "level", "jurisdiction__code")
    for chunk in _scan(Organization.objects.all(), fields, batch):
        yield [
            name_key_values(
                name=name,
                authority=nr.authority_code(level, code),
                regions=regions(code),
                organization_id=pk,
            )
            for pk, name, level, code in chunk
        ]


def _former_batches(regions: _RegionMemo, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    fields = (
        "pk",
        "organization_id",
        "name",
        "used_until",
        "organization__level",
        "organization__jurisdiction__code",
    )
    for chunk in _scan(FormerName.objects.all(), fields, batch):
        yield [
            name_key_values(
                name=name,
                authority=nr.authority_code(level, code),
                regions=regions(code),
                kind=NameKeyKind.FORMER,
                organization_id=org_id,
                ends_on=used_until,
            )
            for _pk, org_id, name, used_until, level, code in chunk
        ]


def _write_keys(rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor != "postgresql":
        NameKey.objects.bulk_create(
            [NameKey(**dict(zip(KEY_COLUMNS, r, strict=True))) for r in rows], batch_size=1000
        )
        return
    with connection.cursor() as cursor:
        with cursor.copy(COPY_KEYS) as copy:
            for row in rows:
                copy.write_row(row)


def name_keys_rebuild(
    *, batch_size: int = 10_000, progress: Callable[[int], None] | None = None
) -> int:
    """Recompute the whole name index in one transaction (checks meanwhile see the old one).
    Reserved names of pending applications are kept. Returns the number of rows written."""
    regions = _RegionMemo()
    written = 0
    with transaction.atomic():
        NameKey.objects.exclude(kind=NameKeyKind.RESERVED).delete()
        for batches in (_current_batches, _former_batches):
            for rows in batches(regions, batch_size):
                _write_keys(rows)
                written += len(rows)
                if progress:
                    progress(written)
    return written
